/**
 * The dialogue plugin's `talk` through the real server (issue 10 "dialogue: talk", seed 003 §1.3):
 * the reply is the line for the world's genre and the NPC's affinity tier, falling back to
 * `default` when the genre has none; talking raises affinity up to the daily cap per NPC, then
 * gains nothing but still answers; the reply cache's hits and misses are on `/metrics`; bad
 * narrative files and talk slots without lines to fall back on stop start-up.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices, loadConfig } from "../../src/server/boot.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";
import { bootTestServer, joinWorld, TEST_ADMIN_PASSWORD, waitFor, writeWorlds, type JoinedClient, type TestServer } from "../support/server.ts";

const PLUGINS = fileURLToPath(new URL("../fixtures/plugins/dialogue", import.meta.url));

/** One line per list, so each reply is exact whatever the seeded draw. */
const NARRATIVE = {
  "default.json": { talk: { lines: ["{npc} shrugs at {player}."], tiers: { stranger: ["{npc} eyes {player} warily."], acquaintance: ["{npc} waves at {player}."] } } },
  "noir.json": { talk: { tiers: { stranger: ['"Beat it, {player}," says {npc}.'] } } },
};

const chat = { slotId: "chat", interactionId: "talk", config: { affinityGain: 20, dailyCap: 30 } };
const PIER = {
  genre: "noir",
  map: ["#####", "#S..#", "#...#", "#####"],
  npcs: [
    { id: "keeper", name: "Keeper", at: [2, 1], behaviours: [], plugins: { interactions: { slots: [chat] } } },
    { id: "barman", name: "Barman", at: [1, 2], behaviours: [], plugins: { interactions: { slots: [chat] } } },
  ],
};

/** A temp data dir with `narrative` files (`{ "noir.json": content }`; strings as is) and `worlds`. */
function dataDirWith(narrative: Record<string, unknown>, worlds: Record<string, object>): string {
  const dataDir = makeTempDir();
  mkdirSync(join(dataDir, "narrative"));
  for (const [name, content] of Object.entries(narrative)) writeFileSync(join(dataDir, "narrative", name), typeof content === "string" ? content : JSON.stringify(content));
  return writeWorlds(worlds, dataDir);
}

const bootFails = (dataDir: string) => createServices(loadConfig({ DATA_DIR: dataDir, DATABASE_PATH: ":memory:", ADMIN_PASSWORD: "x-admin-password", LOG_LEVEL: "silent", PLUGINS_DIR: PLUGINS }));

let server: TestServer;
beforeAll(async () => {
  server = await bootTestServer(dataDirWith(NARRATIVE, { pier: PIER }), { PLUGINS_DIR: PLUGINS });
});
afterAll(async () => {
  await server?.shutdown();
  removeTempDirs();
});

const world = () => server.services.runtimes.get("pier")!.world;
const stateOf = (actorId: string, pluginId: string) => world().byId.get(actorId)?.pluginState?.get(pluginId) ?? null;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("talk through the real server", () => {
  let sam: JoinedClient & { replies: Array<Record<string, unknown>> };
  let id: string;
  beforeAll(async () => {
    sam = Object.assign(await joinWorld(server.client(), { worldId: "pier", name: "Sam" }), { replies: [] as Array<Record<string, unknown>> });
    sam.room.onMessage("interaction", (m) => sam.replies.push(m));
    id = sam.welcome.actorId;
    expect(world().byId.get(id)).toMatchObject({ x: 1, y: 1, name: "Sam" });
  });

  /** Talks to `npcId` and returns the reply. */
  async function talk(npcId: string): Promise<Record<string, unknown>> {
    const before = sam.replies.length;
    sam.room.send("interact", { targetId: npcId, slotId: "chat" });
    await waitFor(() => sam.replies.length === before + 1, `the reply of ${npcId}`);
    return sam.replies[before]!;
  }
  const record = (npcId: string, gain: number, gainedToday: number, capped: boolean) => ({ kind: "dialogue-talk", playerId: id, npcId, day: 0, gain, gainedToday, capped });
  const raise = (npcId: string, delta: number) => ({ kind: "relationship", playerId: id, npcId, axis: "affinity", delta });

  it("a stranger gets the genre's line for the stranger tier, and affinity rises by affinityGain", async () => {
    expect(await talk("keeper")).toEqual({ interactionId: "talk", slotId: "chat", targetId: "keeper", success: true, message: '"Beat it, Sam," says Keeper.', effects: [raise("keeper", 20), record("keeper", 20, 20, false)] });
    expect(stateOf(id, "interactions")).toEqual({ relationships: { "npc:keeper": { affinity: 20 } } });
    expect(stateOf(id, "dialogue")).toEqual({ talks: { keeper: { day: 0, gained: 20 } } });
  });

  it("the daily cap cuts the next gain to what is left of it", async () => {
    expect(await talk("keeper")).toMatchObject({ success: true, message: '"Beat it, Sam," says Keeper.', effects: [raise("keeper", 10), record("keeper", 10, 30, true)] });
    expect(stateOf(id, "interactions")).toEqual({ relationships: { "npc:keeper": { affinity: 30 } } });
    await pause(1100); // past the dispatcher's 2 attempts per second
  });

  it("an acquaintance in a genre without acquaintance or untiered lines gets default's acquaintance line; at the cap the talk succeeds and gains 0", async () => {
    expect(await talk("keeper")).toMatchObject({ success: true, message: "Keeper waves at Sam.", effects: [record("keeper", 0, 30, true)] });
    expect(stateOf(id, "interactions")).toEqual({ relationships: { "npc:keeper": { affinity: 30 } } });
    expect(stateOf(id, "dialogue")).toEqual({ talks: { keeper: { day: 0, gained: 30 } } });
  });

  it("the cap is per NPC: another NPC's affinity still rises", async () => {
    expect(await talk("barman")).toMatchObject({ success: true, message: '"Beat it, Sam," says Barman.', effects: [raise("barman", 20), record("barman", 20, 20, false)] });
    expect(stateOf(id, "interactions")).toEqual({ relationships: { "npc:keeper": { affinity: 30 }, "npc:barman": { affinity: 20 } } });
    expect(stateOf(id, "dialogue")).toEqual({ talks: { keeper: { day: 0, gained: 30 }, barman: { day: 0, gained: 20 } } });
  });

  it("/metrics counts the reply cache: 1 hit (the second stranger line for Keeper), 3 misses", async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString("base64")}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^arbiter_plugin_dialogue_cache_hits_total 1$/m);
    expect(text).toMatch(/^arbiter_plugin_dialogue_cache_misses_total 3$/m);
  });

  it("GET /api/interactions lists talk with its config schema", async () => {
    const list = await (await fetch(`http://127.0.0.1:${server.port}/api/interactions`)).json();
    const talkEntry = list.interactions.find((i: { id: string }) => i.id === "talk");
    expect(talkEntry.name).toBe("Talk");
    expect(talkEntry.configSchema.properties).toEqual({
      affinityGain: { type: "integer", minimum: 0, maximum: 20, default: 2 },
      dailyCap: { type: "integer", minimum: 0, maximum: 100, default: 10 },
    });
  });
});

describe("dialogue at start-up", () => {
  it("a bad narrative file stops start-up naming the file and the field path", async () => {
    const dataDir = dataDirWith({ ...NARRATIVE, "noir.json": { talk: { tiers: { stranger: ["Beat it, {pal}"] } } } }, { pier: PIER });
    await expect(bootFails(dataDir)).rejects.toThrow(/plugin "dialogue" failed in onLoad: .*narrative\/noir\.json: invalid narrative file\n {2}- talk\.tiers\.stranger\[0\]: unknown placeholder \{pal\} \(have: \{npc\}, \{player\}\)/);
  });

  it("a talk slot with no default lines to fall back on stops start-up naming the world file and slot", async () => {
    const dataDir = dataDirWith({ "noir.json": NARRATIVE["noir.json"] }, { pier: PIER });
    await expect(bootFails(dataDir)).rejects.toThrow(/pier\.json: invalid world file\n {2}- npcs\[0\]\.plugins\.interactions\.slots\[0\]\.config: talk needs lines to fall back on: narrative\/default\.json has no "talk\.lines"/);
  });

  it("a talk config out of range stops start-up naming the field", async () => {
    const bad = { ...PIER, npcs: [{ ...PIER.npcs[0], plugins: { interactions: { slots: [{ ...chat, config: { affinityGain: 50 } }] } } }] };
    await expect(bootFails(dataDirWith(NARRATIVE, { pier: bad }))).rejects.toThrow(/pier\.json: invalid world file\n {2}- npcs\[0\]\.plugins\.interactions\.slots\[0\]\.config\.affinityGain: /);
  });
});
