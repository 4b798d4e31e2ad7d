/**
 * The README's "Writing an interaction" example, loaded exactly as written next to the real
 * dispatcher: a player next to an NPC with a `coin_toss` slot tosses until it wins once, and the
 * reply, the outcome's effects and the NPC's affinity are what the example says.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readmeExample, REPO_ROOT } from "../support/readme.ts";
import { bootTestServer, joinWorld, waitFor, writeWorlds, type TestServer } from "../support/server.ts";

const MARKER = "<!-- example: plugins/coin-toss/index.ts -->";

let server: TestServer;
let pluginsDir: string;

beforeAll(async () => {
  pluginsDir = mkdtempSync(join(REPO_ROOT, ".tmp-readme-interactions-"));
  mkdirSync(join(pluginsDir, "coin-toss"));
  writeFileSync(join(pluginsDir, "coin-toss", "index.ts"), readmeExample(MARKER));
  mkdirSync(join(pluginsDir, "interactions"));
  writeFileSync(join(pluginsDir, "interactions", "index.ts"), 'export { default } from "../../plugins/interactions/index.ts";\n');
  const slots = [{ slotId: "toss", interactionId: "coin_toss", config: { winChance: 0.5, affinity: 2 } }];
  server = await bootTestServer(writeWorlds({ fair: { map: ["#####", "#S..#", "#####"], npcs: [{ id: "gambler", name: "Gambler", at: [2, 1], behaviours: [], plugins: { interactions: { slots } } }] } }), { PLUGINS_DIR: pluginsDir });
});

afterAll(async () => {
  await server?.shutdown();
  rmSync(pluginsDir, { recursive: true, force: true });
});

describe("the README's interaction example", () => {
  it("loads beside the dispatcher; tossing runs the stored config and a win raises the gambler's affinity by 2", async () => {
    const a = await joinWorld(server.client(), { worldId: "fair" });
    const replies: Array<Record<string, unknown>> = [];
    a.room.onMessage("interaction", (m) => replies.push(m));
    const relations = () => server.services.runtimes.get("fair")!.world.byId.get(a.welcome.actorId)!.pluginState?.get("interactions") ?? null;
    for (let i = 0; i < 12 && !replies.some((r) => r.success === true); i++) {
      a.room.send("interact", { targetId: "gambler", slotId: "toss" });
      await waitFor(() => replies.length === i + 1, `toss ${i + 1}`);
      await new Promise((resolve) => setTimeout(resolve, 550)); // 2 attempts a second at most
    }
    const wins = replies.filter((r) => r.success === true);
    expect(wins).toHaveLength(1);
    expect(wins[0]).toEqual({
      interactionId: "coin_toss",
      slotId: "toss",
      targetId: "gambler",
      success: true,
      message: "Gambler laughs: you win.",
      effects: [{ kind: "relationship", playerId: a.welcome.actorId, npcId: "gambler", axis: "affinity", delta: 2 }],
    });
    for (const loss of replies.filter((r) => r.success === false)) expect(loss).toMatchObject({ message: "Gambler pockets the coin.", effects: [] });
    expect(relations()).toEqual({ relationships: { "npc:gambler": { affinity: 2 } } });
    await a.room.leave();
  });
});
