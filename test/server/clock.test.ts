/**
 * The in-game clock through the real server (issue 10): a joined client's synced state carries the
 * world's game time (day, hour, minute) for its tick, and a plugin's `daily` task runs in the tick
 * where game time reaches its minute. A plugin registering a bad schedule stops start-up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gameTimeAt } from "../../src/core/index.ts";
import { loadStandalonePlugins } from "../../src/server/standalone-plugins.ts";
import { makePluginsDir, rejectionOf, removePluginDirs } from "../plugins/support.ts";
import { bootTestServer, joinWorld, waitTicks, writeWorlds, type TestServer } from "../support/server.ts";

/** 60 s a game day at 20 Hz: 1.2 game minutes a tick, from 23:58 of day 0. */
const CLOCK = { secondsPerGameDay: 60, startTime: "23:58" };
const LANE = { map: ["######", "#S..S#", "######"], clock: CLOCK };

/** A plugin whose task, run at game midnight, records the tick in its world state. */
function bellPlugin(schedule: Record<string, unknown>): string {
  return `export const manifest = { id: "bell", name: "Bell", version: "1.0.0", permissions: ["scheduler:register", "world-state"] };
export function onLoad(ctx) {
  const state = ctx.state;
  ctx.scheduler.register({ name: "bell:midnight", ...${JSON.stringify(schedule)}, run(world, tick) { state.setWorld(world, { rang: [...(state.getWorld(world)?.rang ?? []), tick] }); } });
}
`;
}

let server: TestServer;

beforeAll(async () => {
  server = await bootTestServer(writeWorlds({ lane: LANE }), { PLUGINS_DIR: makePluginsDir({ "bell/index.mjs": bellPlugin({ daily: "00:00" }) }) });
});

afterAll(async () => {
  await server?.shutdown();
  removePluginDirs();
});

describe("the clock through the real server", () => {
  it("a joined client's state carries the game day, hour and minute of its tick", async () => {
    const a = await joinWorld(server.client(), { worldId: "lane" });
    await waitTicks(a.room, 3);
    const world = server.services.runtimes.get("lane")!.world;
    expect(world.clock).toEqual({ secondsPerGameDay: 60, startMinute: 1438 });
    // Tick 2 is game minute 1438 + floor(2.4) = 1440: day 1, 00:00; by tick 3 the client is past it.
    const tick = a.room.state.tick as number;
    expect(tick).toBeGreaterThanOrEqual(3);
    const { day, hour, minute } = gameTimeAt(world.clock, 20, tick);
    expect({ day: a.room.state.clock.day, hour: a.room.state.clock.hour, minute: a.room.state.clock.minute }).toEqual({ day, hour, minute });
    expect(day).toBe(1);
    // The plugin's daily 00:00 task ran once, at tick 2 (the first tick of day 1).
    expect(world.pluginState.get("bell")).toEqual({ rang: [2] });
    await a.room.leave();
  });

  it("a plugin registering a bad schedule stops start-up with plugin/hook-failed, naming the task and field", async () => {
    const dir = makePluginsDir({ "bell/index.mjs": bellPlugin({ daily: "midnight" }) });
    const error = await rejectionOf(loadStandalonePlugins(dir));
    expect(error).toMatchObject({ code: "plugin/hook-failed" });
    expect((error as Error).message).toContain('plugin bell: scheduled task "bell:midnight": daily must be "HH:MM" on a 24-hour clock (00:00–23:59), got "midnight"');
  });
});
