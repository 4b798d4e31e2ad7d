import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { spawnServer, type ServerProcess } from "../support/process.ts";
import { joinWorld, newClient, seenAt, testPort, waitFor, waitTicks, writeWorlds } from "../support/server.ts";

const npc = (id: string, x: number, y: number) => ({ id, name: id, at: [x, y], behaviours: ["Moveable"] });
const WORLD = { map: ["##########", "#S.......#", "##########"], npcs: [npc("c1", 2, 1), npc("c2", 3, 1)] };

let running: ServerProcess | undefined;
afterEach(() => {
  running?.child.kill("SIGKILL");
  running = undefined;
});

async function start(dataDir: string, env: Record<string, string> = {}): Promise<{ proc: ServerProcess; endpoint: string }> {
  const port = testPort(1);
  running = await spawnServer({ PORT: String(port), DATA_DIR: dataDir, DATABASE_PATH: join(dataDir, "db", "arbiter.sqlite"), ADMIN_PASSWORD: "restart-admin", ...env });
  return { proc: running, endpoint: `ws://127.0.0.1:${port}` };
}

/** Joins, pushes the crates two cells east, and returns the tick the client last saw. */
async function pushCrates(endpoint: string): Promise<number> {
  const me = await joinWorld(newClient(endpoint), { worldId: "quay" });
  me.room.send("move", { dir: "E" });
  await waitFor(() => seenAt(me.room, "c2")?.[0] === 4, "first push");
  me.room.send("move", { dir: "E" });
  await waitFor(() => seenAt(me.room, "c2")?.[0] === 5, "second push");
  expect(seenAt(me.room, "c1")).toEqual([4, 1]);
  await waitTicks(me.room, 45);
  return me.room.state.tick as number;
}

async function expectCratesPushed(endpoint: string, afterTick: number): Promise<void> {
  const again = await joinWorld(newClient(endpoint), { worldId: "quay" });
  expect(seenAt(again.room, "c1")).toEqual([4, 1]);
  expect(seenAt(again.room, "c2")).toEqual([5, 1]);
  expect(again.room.state.tick as number).toBeGreaterThanOrEqual(afterTick - 25);
  const players = [...again.room.state.actors.values()].filter((a: { kind: string }) => a.kind === "player");
  expect(players.map((p: { id: string }) => p.id)).toEqual([again.welcome.actorId]);
  expect(seenAt(again.room, again.welcome.actorId)).toEqual([1, 1]);
  await again.room.leave();
}

describe("persistence across restarts (real server process)", () => {
  it("after a graceful shutdown the world resumes from its SQLite snapshot, NPCs where they were", async () => {
    const dataDir = writeWorlds({ quay: WORLD });
    const first = await start(dataDir);
    const tick = await pushCrates(first.endpoint);
    first.proc.child.kill("SIGTERM");
    expect(await first.proc.exited).toBe(0);
    expect(first.proc.output()).toContain("world closed and snapshotted");
    const second = await start(dataDir);
    await expectCratesPushed(second.endpoint, tick);
  });

  it("after a crash (SIGKILL) the world resumes from the journal, and the dead player's actor is gone", async () => {
    const dataDir = writeWorlds({ quay: WORLD });
    const first = await start(dataDir);
    const tick = await pushCrates(first.endpoint);
    first.proc.child.kill("SIGKILL");
    await first.proc.exited;
    const second = await start(dataDir);
    await expectCratesPushed(second.endpoint, tick);
    expect(second.proc.output()).toMatch(/"replayed":\d+/);
    expect(second.proc.output()).not.toContain("diverged");
  });
});

/** The quay with an Aggressive brute at [4, 1]. */
const BRUTE_QUAY = { quay: { map: ["##########", "#S.......#", "##########"], npcs: [{ id: "brute", name: "Brute", at: [4, 1], behaviours: ["Aggressive"] }] } };

/** Ada joins, walks to [3, 1] and pushes the brute, which hits back (health 100 → 94); returns her session id. */
async function walkIntoTheBrute(endpoint: string): Promise<string> {
  const me = await joinWorld(newClient(endpoint), { worldId: "quay", name: "Ada" });
  me.room.send("move", { dir: "E" });
  await waitFor(() => seenAt(me.room, me.welcome.actorId)?.[0] === 2, "step 1");
  me.room.send("move", { dir: "E" });
  await waitFor(() => seenAt(me.room, me.welcome.actorId)?.[0] === 3, "step 2");
  me.room.send("move", { dir: "E" });
  await waitFor(() => me.room.state.actors.get(me.welcome.actorId)?.owner?.stats.get("attributes.health") === 94, "damage");
  return me.welcome.sessionId!;
}

describe("sessions across restarts (real server process)", () => {
  it("a session resumes its character, damaged health and last position after a restart", async () => {
    const dataDir = writeWorlds(BRUTE_QUAY);
    const first = await start(dataDir);
    const sessionId = await walkIntoTheBrute(first.endpoint);
    first.proc.child.kill("SIGTERM");
    expect(await first.proc.exited).toBe(0);

    const second = await start(dataDir);
    const again = await joinWorld(newClient(second.endpoint), { sessionId });
    expect(again.welcome.worldId).toBe("quay");
    expect(again.room.state.actors.get(again.welcome.actorId).name).toBe("Ada");
    expect(seenAt(again.room, again.welcome.actorId)).toEqual([3, 1]);
    await waitFor(() => again.room.state.actors.get(again.welcome.actorId)?.owner?.stats.get("attributes.health") === 94, "health kept");
    await again.room.leave();
  });

  it("a crash before any snapshot keeps a session's last journaled position and damaged health", async () => {
    const dataDir = writeWorlds(BRUTE_QUAY);
    // No periodic snapshot in this run: only the journal knows where the player went.
    const first = await start(dataDir, { SNAPSHOT_EVERY_TICKS: "100000" });
    const sessionId = await walkIntoTheBrute(first.endpoint);
    // What a client has seen was committed first (JOURNAL_FLUSH_TICKS 1: the journal before the patch).
    first.proc.child.kill("SIGKILL");
    await first.proc.exited;

    const second = await start(dataDir);
    const again = await joinWorld(newClient(second.endpoint), { sessionId });
    expect(again.welcome.worldId).toBe("quay");
    expect(seenAt(again.room, again.welcome.actorId)).toEqual([3, 1]);
    await waitFor(() => again.room.state.actors.get(again.welcome.actorId)?.owner?.stats.get("attributes.health") === 94, "health kept");
    // The crashed actor was removed: the resumed player is the only one.
    const players = [...again.room.state.actors.values()].filter((a: { kind: string }) => a.kind === "player");
    expect(players.map((p: { id: string }) => p.id)).toEqual([again.welcome.actorId]);
    expect(second.proc.output()).not.toContain("diverged");
    await again.room.leave();
  });
});
