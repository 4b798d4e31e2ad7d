/**
 * Inventories across restarts of the real server process (issue 10 "items"): a player's in its
 * session, an NPC's in the world's snapshot (graceful shutdown) or rebuilt by replaying the journal
 * (crash), with no divergence.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { playerAuthorization } from "../support/http.ts";
import { marketDataDir, seenInventory } from "../support/items.ts";
import { spawnServer, type ServerProcess } from "../support/process.ts";
import { joinWorld, newClient, testPort, waitFor } from "../support/server.ts";

const PLUGINS = fileURLToPath(new URL("../fixtures/plugins/items", import.meta.url));
const ADMIN = `Basic ${Buffer.from("admin:restart-admin").toString("base64")}`;

let running: ServerProcess | undefined;
afterEach(() => {
  running?.child.kill("SIGKILL");
  running = undefined;
});

async function start(dataDir: string): Promise<{ proc: ServerProcess; port: number; endpoint: string }> {
  const port = testPort(1);
  running = await spawnServer({ PORT: String(port), DATA_DIR: dataDir, DATABASE_PATH: join(dataDir, "db", "arbiter.sqlite"), ADMIN_PASSWORD: "restart-admin", PLUGINS_DIR: PLUGINS });
  return { proc: running, port, endpoint: `ws://127.0.0.1:${port}` };
}

/** GET `path` as the admin, or as the player who owns the session in it (support/http.ts). */
const getJson = async (port: number, path: string, admin = false) => (await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: admin ? ADMIN : await playerAuthorization(port, path) } })).json();

/** A new player eats an apple and gives the other to the merchant; returns its session id. */
async function eatAndGive(endpoint: string, leave: boolean): Promise<string> {
  const me = await joinWorld(newClient(endpoint), { worldId: "market" });
  let gave = false;
  me.room.onMessage("interaction", () => (gave = true));
  me.room.onMessage("item", () => undefined);
  me.room.send("use", { itemId: "apple" });
  me.room.send("offer", { itemId: "apple" });
  me.room.send("interact", { targetId: "merchant", interactionId: "give_item" });
  await waitFor(() => gave, "the gift");
  await waitFor(() => seenInventory(me.room, me.welcome.actorId).items["apple"] === undefined, "the synced inventory without apples");
  expect(seenInventory(me.room, me.welcome.actorId)).toEqual({ gold: 10, items: { knife: 1 }, equipped: {} });
  if (leave) await me.room.leave();
  return me.welcome.sessionId!;
}

async function expectKept(port: number, endpoint: string, sessionId: string): Promise<void> {
  expect(await getJson(port, `/api/sessions/${sessionId}/inventory`)).toEqual({ sessionId, worldId: "market", actorId: null, gold: 10, items: { knife: 1 }, equipped: {} });
  const back = await joinWorld(newClient(endpoint), { sessionId });
  await waitFor(() => seenInventory(back.room, back.welcome.actorId).gold === 10, "the resumed synced inventory");
  expect(seenInventory(back.room, back.welcome.actorId)).toEqual({ gold: 10, items: { knife: 1 }, equipped: {} });
  expect(back.room.state.actors.get(back.welcome.actorId).owner.stats.get("attributes.health")).toBe(75);
  expect(await getJson(port, "/api/worlds/market/npcs/merchant/inventory", true)).toEqual({ worldId: "market", npcId: "merchant", gold: 50, items: { bread: 2, apple: 1 }, equipped: {} });
  await back.room.leave();
}

describe("inventories across restarts (real server process)", () => {
  it("after a graceful shutdown: the player's in its session, the NPC's in the snapshot", async () => {
    const dataDir = marketDataDir();
    const first = await start(dataDir);
    const sessionId = await eatAndGive(first.endpoint, false);
    first.proc.child.kill("SIGTERM");
    expect(await first.proc.exited).toBe(0);
    const second = await start(dataDir);
    await expectKept(second.port, second.endpoint, sessionId);
  });

  it("after a crash: the NPC's is rebuilt by replaying the journal, hash for hash", async () => {
    const dataDir = marketDataDir();
    const first = await start(dataDir);
    const sessionId = await eatAndGive(first.endpoint, true);
    // The gift's tick was journaled before its reply went out (JOURNAL_FLUSH_TICKS 1); the session was saved at the leave.
    first.proc.child.kill("SIGKILL");
    await first.proc.exited;
    const second = await start(dataDir);
    await expectKept(second.port, second.endpoint, sessionId);
    expect(second.proc.output()).toMatch(/"replayed":\d+/);
    expect(second.proc.output()).not.toContain("diverged");
  });
});
