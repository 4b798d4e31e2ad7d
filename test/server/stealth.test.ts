/**
 * Stealth through the real server (issue 10 "Tests"), with SDK clients over WebSockets and the real
 * interactions, items, stealth and crimes plugins:
 * - a `thief` NPC next to the spawn point picks a joining player's pocket through the dispatcher
 *   (`source: "ai"`), and the player is notified;
 * - two clients: one picks an NPC's pocket while the other watches the NPC's public synced state,
 *   which does not change, and receives nothing meant for the thief;
 * - tampering: a client-sent config, a success flag, a non-adjacent target, a downed target, an
 *   unknown slot, an NPC of another world and a flood each get their code, change nothing and are
 *   audited.
 * Outcomes are exact: every pickpocket config here has chances of 0 or 1 and a one-value gold range.
 */
import { fileURLToPath } from "node:url";
import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gameTimeAt, hashWorld, type World } from "../../src/core/index.ts";
import { inventoryOf } from "../../plugins/items/inventory.ts";
import { crimesOf } from "../../plugins/stealth/crimes.ts";
import { ADMIN_AUTH, request } from "../support/http.ts";
import { seenInventory, writeItems } from "../support/items.ts";
import { publicTierOf } from "../../rooms/schema.ts";
import { signedInClient, bootTestServer, waitFor, waitTicks, writeWorlds, type JoinedClient, type TestServer } from "../support/server.ts";
import { writeCharacters } from "../support/server-with-characters.ts";

const PLUGINS = fileURLToPath(new URL("../fixtures/plugins/stealth", import.meta.url));

/** The default character carries exactly 5 gold: one theft's worth (see the thief's config). */
const PURSE_HOLDER = { defaultFor: ["default"], starting_inventory: { gold: 5, items: {} } };

/** A pickpocket that always lifts `gold` and is never seen. */
const sureLift = (gold: number) => ({ baseSuccessChance: 1, detectionChance: 0, gold: { min: gold, max: gold }, agilityScaled: false });
const purse = (gold: number) => ({ interactions: { slots: [{ slotId: "purse", interactionId: "pickpocket", config: sureLift(gold) }] }, items: { gold: 40 } });

/**
 * The thief stands east of the only spawn point and tries every tick (`chancePerTick: 1`), always
 * lifts 5 gold and is always seen. The player holds 5, so the first attempt empties its purse and
 * every later one lifts nothing: the gold moved is exactly 5 however many ticks pass.
 */
const DEN = {
  map: ["#####", "#S..#", "#####"],
  respawnTicks: 72_000,
  npcs: [
    {
      id: "quick",
      name: "Quickfingers",
      at: [2, 1],
      behaviours: [],
      ai: "thief",
      plugins: {
        stealth: { thief: { chancePerTick: 1, pickpocket: { baseSuccessChance: 1, detectionChance: 1, gold: { min: 5, max: 5 }, agilityScaled: false } } },
        items: { gold: 3 },
      },
    },
  ],
};

/** Spawns at [1, 1] (next to the mark at [2, 1]) and [5, 1]. */
const SQUARE = {
  map: ["#######", "#S...S#", "#######"],
  npcs: [{ id: "mark", name: "Mark", at: [2, 1], behaviours: [], plugins: purse(7) }],
};

/**
 * The player spawns at [2, 2] between the mark (east) and the sleeper (south); the distant NPC at
 * [5, 1] is 4 cells away. Each has a `purse` slot that would lift 7 gold if an attempt ran.
 */
const ALLEY = {
  map: ["#######", "#.....#", "#.S...#", "#.....#", "#######"],
  respawnTicks: 72_000,
  npcs: [
    { id: "mark", name: "Mark", at: [3, 2], behaviours: [], plugins: purse(7) },
    { id: "sleeper", name: "Sleeper", at: [2, 3], behaviours: [], plugins: purse(7) },
    { id: "distant", name: "Distant", at: [5, 1], behaviours: [], plugins: purse(7) },
  ],
};

/** Another world: `ferryman` exists only here. */
const HARBOUR = {
  map: ["#####", "#S..#", "#####"],
  npcs: [{ id: "ferryman", name: "Ferryman", at: [2, 1], behaviours: [], plugins: purse(7) }],
};

let server: TestServer;
beforeAll(async () => {
  const dataDir = writeItems(writeCharacters(writeWorlds({ den: DEN, square: SQUARE, alley: ALLEY, harbour: HARBOUR }), { holder: PURSE_HOLDER }));
  server = await bootTestServer(dataDir, { PLUGINS_DIR: PLUGINS });
});
afterAll(async () => {
  await server?.shutdown();
});

const world = (id: string): World => server.services.runtimes.get(id)!.world;
const auditRows = () =>
  server.services.store.db.prepare("SELECT tick, session_id, actor_id, target_id, slot_id, interaction_id, source, payload, verdict, code FROM interactions_audit ORDER BY id").all() as Array<Record<string, unknown>>;
const resultRows = () => server.services.store.db.prepare("SELECT actor_id, target_id, success, message, effects FROM interactions_results ORDER BY id").all() as Array<Record<string, unknown>>;

type Message = Record<string, unknown>;

interface Player extends JoinedClient {
  id: string;
  interactions: Message[];
  notifications: Message[];
}

/**
 * Joins `worldId` like `joinWorld`, with handlers for `interaction` and `notification` registered
 * as soon as the room is joined: a thief next to the spawn point acts in the first tick.
 */
async function join(worldId: string): Promise<Player> {
  const room = await (await signedInClient(server, { worldId })).joinOrCreate("world", { worldId });
  const player = { room, errors: [], interactions: [], notifications: [], leftWith: undefined } as unknown as Player & { welcome?: Player["welcome"] };
  room.onMessage("welcome", (m) => (player.welcome = m));
  room.onMessage("error", (m) => player.errors.push(m));
  room.onMessage("interaction", (m) => player.interactions.push(m));
  room.onMessage("notification", (m) => player.notifications.push(m));
  room.onLeave((code) => (player.leftWith = code));
  await waitFor(() => player.welcome !== undefined && room.state?.actors?.size > 0, "welcome and first state");
  player.id = player.welcome!.actorId;
  return player;
}

/**
 * Every field of an actor's synced state (rooms/schema.ts `ActorState`) as `room`'s client sees it:
 * the public ones, and the owner-only object's (`stats`, `gold`, `items`, `equipped`), which is
 * undefined outside the owner's view.
 */
function seenActor(room: Room, actorId: string) {
  const actor = room.state.actors.get(actorId);
  if (actor === undefined) return undefined;
  const entries = (map: { forEach(fn: (value: unknown, key: string) => void): void } | undefined) => {
    const out: Record<string, unknown> = {};
    map?.forEach((value, key) => (out[key] = value));
    return out;
  };
  return {
    id: actor.id,
    kind: actor.kind,
    name: actor.name,
    x: actor.x,
    y: actor.y,
    behaviours: actor.behaviours,
    downed: actor.downed,
    health: publicTierOf(room.state, actor, "attributes.health"),
    owner: actor.owner && { stats: entries(actor.owner.stats), gold: actor.owner.gold, items: entries(actor.owner.items), equipped: entries(actor.owner.equipped) },
  };
}

/**
 * What the state hash covers besides the tick (src/core/hash.ts `hashWorld`: generator state,
 * player counter, actor count, the two actor sums, the world's plugin hash), and each actor's
 * plugin state itself. `hashWorld` runs first to settle the plugin-state hashes, which are lazy.
 */
function fingerprint(w: World) {
  hashWorld(w);
  return {
    actorSumA: w.actorSumA,
    actorSumB: w.actorSumB,
    pluginHash: w.pluginHash,
    rng: w.rng.state,
    nextPlayerNo: w.nextPlayerNo,
    actors: w.order.length,
    pluginState: Object.fromEntries(w.order.map((a) => [a.id, a.pluginState === null ? null : Object.fromEntries(a.pluginState)])),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a thief NPC through the real server", () => {
  it("picks the pocket of a player who spawns next to it: the player is notified, 5 gold moves, the thief is flagged, the attempt is audited as the AI's", async () => {
    const auditBefore = auditRows().length;
    const resultsBefore = resultRows().length;
    const me = await join("den");
    expect(world("den").byId.get(me.id)).toMatchObject({ x: 1, y: 1 });
    await waitFor(() => me.notifications.length >= 1, "the notification");
    expect(me.notifications[0]).toEqual({ kind: "pickpocketed", message: "Quickfingers picked your pocket: 5 gold gone.", from: "quick" });
    // Later attempts find the purse empty; being seen each time, the thief is noticed.
    for (const later of me.notifications.slice(1)) expect(later).toEqual({ kind: "pickpocketed", message: "You caught Quickfingers reaching for your purse.", from: "quick" });

    // The player joined with its template's 5 gold, the thief with its world file's 3.
    expect(inventoryOf(world("den").byId.get(me.id)!)).toEqual({ gold: 0, items: {}, equipped: {} });
    expect(inventoryOf(world("den").byId.get("quick")!)).toEqual({ gold: 8, items: {}, equipped: {} });
    await waitFor(() => seenInventory(me.room, me.id).gold === 0, "the synced purse, empty");

    await waitFor(() => auditRows().length > auditBefore, "the audit row");
    const first = auditRows()[auditBefore]!;
    expect(first).toEqual({
      tick: first.tick,
      session_id: null,
      actor_id: "quick",
      target_id: me.id,
      slot_id: "job:pickpocket",
      interaction_id: "pickpocket",
      source: "ai",
      // The journaled payload of the AI's attempt: the config it used is the thief's, stored on the server.
      payload: JSON.stringify({
        targetId: me.id,
        source: "ai",
        interactionId: "pickpocket",
        config: { baseSuccessChance: 1, detectionChance: 1, gold: { min: 5, max: 5 }, affinityLoss: 10, trustLoss: 15, agilityScaled: false },
      }),
      verdict: "executed",
      code: null,
    });
    // The thief thinks in the first tick after the join.
    expect(first.tick).toBe(me.welcome.tick);
    const { day, hour, minute } = gameTimeAt(world("den").clock, world("den").tickRate, first.tick as number);
    const crimes = crimesOf(world("den").byId.get("quick")!);
    expect(Object.keys(crimes)).toEqual(["pickpocket"]);
    expect(crimes["pickpocket"]![0]).toEqual({ victimId: me.id, day, hour, minute });
    for (const crime of crimes["pickpocket"]!) expect(crime.victimId).toBe(me.id);

    const results = resultRows().slice(resultsBefore);
    expect(results[0]).toEqual({
      actor_id: "quick",
      target_id: me.id,
      success: 1,
      message: `You lift 5 gold from ${world("den").byId.get(me.id)!.name}. You were seen.`,
      effects: JSON.stringify([
        { kind: "transfer-gold", fromId: me.id, toId: "quick", amount: 5 },
        { kind: "stealth-crime", actorId: "quick", crime: "pickpocket", victimId: me.id, day, hour, minute },
      ]),
    });
    // Gold moved once: no later result transfers any.
    expect(results.slice(1).filter((r) => (r.effects as string).includes("transfer-gold"))).toEqual([]);
    expect(me.interactions).toEqual([]);
    expect(me.errors).toEqual([]);
    await me.room.leave();
    await waitFor(() => !server.services.runtimes.has("den"), "the den to close");
  });
});

describe("two clients: one picks an NPC's pocket while the other watches", () => {
  it("the watcher sees the NPC's public state unchanged, gets neither the reply nor a notification and sees no inventory; the thief sees its gold", async () => {
    const thief = await join("square");
    const watcher = await join("square");
    expect(world("square").byId.get(thief.id)).toMatchObject({ x: 1, y: 1 });
    expect(world("square").byId.get(watcher.id)).toMatchObject({ x: 5, y: 1 });
    expect(inventoryOf(world("square").byId.get("mark")!)).toEqual({ gold: 40, items: {}, equipped: {} });

    const before = seenActor(watcher.room, "mark");
    expect(before).toEqual({
      id: "mark",
      kind: "npc",
      name: "Mark",
      x: 2,
      y: 1,
      // No behaviours, never downed: both fields absent (README, "Synced state").
      behaviours: undefined,
      downed: undefined,
      health: "healthy",
      // The owner-only object: nobody owns an NPC.
      owner: undefined,
    });
    await waitFor(() => seenInventory(thief.room, thief.id).gold === 5, "the thief's synced purse");

    thief.room.send("interact", { targetId: "mark", slotId: "purse" });
    await waitFor(() => thief.interactions.length === 1, "the interaction reply");
    expect(thief.interactions[0]).toEqual({
      interactionId: "pickpocket",
      slotId: "purse",
      targetId: "mark",
      success: true,
      message: "You lift 7 gold from Mark.",
      effects: [{ kind: "transfer-gold", fromId: "mark", toId: thief.id, amount: 7 }],
    });
    expect(inventoryOf(world("square").byId.get("mark")!)).toEqual({ gold: 33, items: {}, equipped: {} });
    expect(inventoryOf(world("square").byId.get(thief.id)!)).toEqual({ gold: 12, items: {}, equipped: {} });
    await waitFor(() => seenInventory(thief.room, thief.id).gold === 12, "the thief's synced gold");
    expect(seenInventory(thief.room, thief.id)).toEqual({ gold: 12, items: {}, equipped: {} });

    // Messages of the tick that ran the attempt reach the watcher before that tick's patch.
    const ranAt = auditRows().at(-1)!.tick as number;
    await waitFor(() => (watcher.room.state.tick as number) > ranAt, "the watcher past the attempt's tick");
    expect(seenActor(watcher.room, "mark")).toEqual(before);
    expect(watcher.interactions).toEqual([]);
    expect(watcher.notifications).toEqual([]);
    expect(watcher.errors).toEqual([]);
    expect(thief.notifications).toEqual([]);
    // Nobody's inventory but one's own: not the thief's, not the NPC's.
    expect(seenActor(watcher.room, thief.id)).toMatchObject({ kind: "player", owner: undefined });
    expect(seenActor(thief.room, thief.id)?.owner?.gold).toBe(12);
    expect(seenInventory(watcher.room, "mark")).toEqual({ gold: undefined, items: {}, equipped: {} });
    expect(seenInventory(thief.room, "mark")).toEqual({ gold: undefined, items: {}, equipped: {} });
    expect(seenInventory(thief.room, watcher.id)).toEqual({ gold: undefined, items: {}, equipped: {} });
    expect(seenInventory(watcher.room, watcher.id)).toEqual({ gold: 5, items: {}, equipped: {} });

    await thief.room.leave();
    await watcher.room.leave();
  });
});

describe("tampering through the real server", () => {
  let me: Player;
  let sailor: Player;
  beforeAll(async () => {
    me = await join("alley");
    sailor = await join("harbour");
    expect(world("alley").byId.get(me.id)).toMatchObject({ x: 2, y: 2 });
    expect(world("harbour").byId.has("ferryman")).toBe(true);
    expect(world("alley").byId.has("ferryman")).toBe(false);
  });
  afterAll(async () => {
    await me?.room.leave();
    await sailor?.room.leave();
  });

  /**
   * Sends `payload` as `interact`, expects `error` and one audit row, then lets two ticks pass (any
   * that could have run it) and checks that neither world changed and no reply came.
   */
  async function expectRefused(payload: Record<string, unknown>, error: { code: string; message: string }): Promise<void> {
    const before = { alley: fingerprint(world("alley")), harbour: fingerprint(world("harbour")) };
    const rows = auditRows().length;
    const errors = me.errors.length;
    me.room.send("interact", payload);
    await waitFor(() => me.errors.length === errors + 1, `the refusal ${error.code}`);
    expect(me.errors.at(-1)).toEqual(error);
    await waitFor(() => auditRows().length >= rows + 1, "the audit row");
    await waitTicks(me.room, 2);
    expect(auditRows().slice(rows).map(({ tick: _tick, ...row }) => row)).toEqual([
      {
        session_id: me.welcome.sessionId,
        actor_id: me.id,
        target_id: payload["targetId"],
        slot_id: payload["slotId"] ?? null,
        interaction_id: null,
        source: "client",
        payload: JSON.stringify(payload),
        verdict: "refused",
        code: error.code,
      },
    ]);
    expect({ alley: fingerprint(world("alley")), harbour: fingerprint(world("harbour")) }).toEqual(before);
    expect(me.interactions).toEqual([]);
    expect(me.notifications).toEqual([]);
    await pause(1100); // past the rate limit's second
  }

  it("a client-sent config is refused whole with interaction/forbidden-field", async () => {
    await expectRefused(
      { targetId: "mark", slotId: "purse", config: { baseSuccessChance: 1, detectionChance: 0, gold: { min: 1000, max: 1000 } } },
      { code: "interaction/forbidden-field", message: 'interact may not carry "config": configs, chances and results live on the server' },
    );
  });

  it("a success flag is refused whole with interaction/forbidden-field", async () => {
    await expectRefused({ targetId: "mark", slotId: "purse", success: true }, { code: "interaction/forbidden-field", message: 'interact may not carry "success": configs, chances and results live on the server' });
  });

  it("a target that is not next to the player is refused with interaction/not-adjacent", async () => {
    await expectRefused({ targetId: "distant", slotId: "purse" }, { code: "interaction/not-adjacent", message: `distant at (5, 1) is not next to ${me.id} at (2, 2)` });
  });

  it("a downed target is refused with interaction/downed", async () => {
    const downed = await request(server.port, "PATCH", "/api/npcs/sleeper/stats/attributes?worldId=alley", { body: { health: 0 }, headers: { authorization: ADMIN_AUTH } });
    expect(downed.status).toBe(200);
    expect(world("alley").byId.get("sleeper")!.respawnAt).toBeGreaterThan(world("alley").tick);
    await waitFor(() => seenActor(me.room, "sleeper")?.downed === true, "the sleeper downed in the synced state");
    await expectRefused({ targetId: "sleeper", slotId: "purse" }, { code: "interaction/downed", message: "sleeper is downed" });
  });

  it("an unknown slot is refused with interaction/unknown-slot", async () => {
    await expectRefused({ targetId: "mark", slotId: "dance" }, { code: "interaction/unknown-slot", message: 'mark has no slot "dance" (slots: purse)' });
  });

  it("an NPC of another world is refused with interaction/unknown-target", async () => {
    await expectRefused({ targetId: "ferryman", slotId: "purse" }, { code: "interaction/unknown-target", message: 'no actor "ferryman" in world alley' });
  });

  it("a flood is cut at the third attempt in a second with interaction/rate-limited, though that attempt was valid", async () => {
    const before = { alley: fingerprint(world("alley")), harbour: fingerprint(world("harbour")) };
    const rows = auditRows().length;
    const errors = me.errors.length;
    const flood = [
      { targetId: "mark", slotId: "dance" },
      { targetId: "mark", slotId: "dance" },
      // Would lift 7 gold from the mark, were it not the third attempt in the second.
      { targetId: "mark", slotId: "purse" },
    ];
    for (const payload of flood) me.room.send("interact", payload);
    await waitFor(() => me.errors.length === errors + 3, "three refusals");
    expect(me.errors.slice(errors)).toEqual([
      { code: "interaction/unknown-slot", message: 'mark has no slot "dance" (slots: purse)' },
      { code: "interaction/unknown-slot", message: 'mark has no slot "dance" (slots: purse)' },
      { code: "interaction/rate-limited", message: "at most 2 interaction attempts per second" },
    ]);
    await waitFor(() => auditRows().length >= rows + 3, "three audit rows");
    await waitTicks(me.room, 2);
    expect(auditRows().slice(rows).map((r) => [r.actor_id, r.target_id, r.slot_id, r.source, r.verdict, r.code])).toEqual([
      [me.id, "mark", "dance", "client", "refused", "interaction/unknown-slot"],
      [me.id, "mark", "dance", "client", "refused", "interaction/unknown-slot"],
      [me.id, "mark", "purse", "client", "refused", "interaction/rate-limited"],
    ]);
    expect({ alley: fingerprint(world("alley")), harbour: fingerprint(world("harbour")) }).toEqual(before);
    expect(inventoryOf(world("alley").byId.get("mark")!)).toEqual({ gold: 40, items: {}, equipped: {} });
    expect(inventoryOf(world("alley").byId.get(me.id)!)).toEqual({ gold: 5, items: {}, equipped: {} });
    expect(me.interactions).toEqual([]);
  });
});
