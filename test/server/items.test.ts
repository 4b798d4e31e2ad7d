/**
 * Items and inventories through the real server (issue 10 "items"): starting inventories, the
 * owner-only synced inventory, use/equip/unequip through the stats engine, refusals that change
 * nothing, give_item through the dispatcher, the inventory routes, and a session resume.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inventoryOf } from "../../plugins/items/inventory.ts";
import { ADMIN_AUTH, expectError, request } from "../support/http.ts";
import { marketDataDir, seenInventory } from "../support/items.ts";
import { bootTestServer, joinWorld, waitFor, type JoinedClient, type TestServer } from "../support/server.ts";

const PLUGINS = fileURLToPath(new URL("../fixtures/plugins/items", import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await bootTestServer(marketDataDir(), { PLUGINS_DIR: PLUGINS });
});
afterAll(async () => {
  await server?.shutdown();
});

const world = () => server.services.runtimes.get("market")!.world;
const actor = (id: string) => world().byId.get(id)!;
const inventory = (id: string) => inventoryOf(actor(id));
const relationsOf = (id: string) => (actor(id).pluginState?.get("interactions") as { relationships?: unknown } | undefined)?.relationships ?? null;
/** What the state hash covers of these actors and of the world's plugin state. */
const hashesOf = (...ids: string[]) => ({ world: world().pluginHash, actors: ids.map((id) => [actor(id).pluginHash, actor(id).statsHash]) });

interface Player extends JoinedClient {
  id: string;
  items: Array<Record<string, unknown>>;
  interactions: Array<Record<string, unknown>>;
}

async function join(options: Record<string, unknown> = {}): Promise<Player> {
  const joined = (await joinWorld(server.client(), { worldId: "market", ...options })) as Player;
  joined.id = joined.welcome.actorId;
  joined.items = [];
  joined.interactions = [];
  joined.room.onMessage("item", (m) => joined.items.push(m));
  joined.room.onMessage("interaction", (m) => joined.interactions.push(m));
  return joined;
}

const stat = (player: Player, key: string) => player.room.state.actors.get(player.id).owner.stats.get(key);

describe("items through the real server", () => {
  let me: Player;
  let other: Player;
  beforeAll(async () => {
    me = await join();
    other = await join();
    expect(actor(me.id)).toMatchObject({ x: 1, y: 1 });
    expect(actor(other.id)).toMatchObject({ x: 7, y: 1 });
  });

  it("players start with their template's inventory and NPCs with their world file's; the owner sees its own in its synced state, another client none of it", async () => {
    expect(inventory(me.id)).toEqual({ gold: 10, items: { apple: 2, knife: 1 }, equipped: {} });
    expect(inventory("merchant")).toEqual({ gold: 50, items: { bread: 2 }, equipped: {} });
    expect(actor("collector").pluginState).toBeNull();
    await waitFor(() => seenInventory(me.room, me.id).gold === 10, "the owner's synced inventory");
    expect(seenInventory(me.room, me.id)).toEqual({ gold: 10, items: { apple: 2, knife: 1 }, equipped: {} });
    // The other client sees the actor (its position), but nothing of its inventory.
    expect(other.room.state.actors.get(me.id)).toBeDefined();
    expect(seenInventory(other.room, me.id)).toEqual({ gold: undefined, items: {}, equipped: {} });
    expect(seenInventory(me.room, other.id)).toEqual({ gold: undefined, items: {}, equipped: {} });
  });

  it("use applies the item's modifier and uses it up; equip changes stats, unequip restores them", async () => {
    expect(stat(me, "attributes.health")).toBe(60);
    me.room.send("use", { itemId: "apple" });
    await waitFor(() => me.items.length === 1, "the use reply");
    expect(me.items[0]).toEqual({ op: "use", message: "You use the Apple.", itemId: "apple" });
    await waitFor(() => stat(me, "attributes.health") === 75, "health 75 in the synced stats");
    expect(inventory(me.id).items).toEqual({ apple: 1, knife: 1 });

    me.room.send("equip", { itemId: "knife" });
    await waitFor(() => me.items.length === 2, "the equip reply");
    expect(me.items[1]).toEqual({ op: "equip", message: "You put on the Knife.", itemId: "knife", slot: "hand" });
    await waitFor(() => stat(me, "combat_skills.strength") === 60, "strength 60");
    expect(inventory(me.id)).toEqual({ gold: 10, items: { apple: 1 }, equipped: { hand: "knife" } });
    await waitFor(() => seenInventory(me.room, me.id).equipped["hand"] === "knife", "the synced equipment");
    expect(seenInventory(me.room, me.id)).toEqual({ gold: 10, items: { apple: 1 }, equipped: { hand: "knife" } });

    me.room.send("unequip", { slot: "hand" });
    await waitFor(() => me.items.length === 3, "the unequip reply");
    expect(me.items[2]).toEqual({ op: "unequip", message: "You take off the Knife.", itemId: "knife", slot: "hand" });
    await waitFor(() => stat(me, "combat_skills.strength") === 50, "strength back to 50");
    expect(actor(me.id).stats.modifiers).toEqual([]);
    expect(inventory(me.id)).toEqual({ gold: 10, items: { apple: 1, knife: 1 }, equipped: {} });
  });

  it("refusals have their codes and change nothing", async () => {
    const before = hashesOf(me.id);
    const sent: Array<[string, object]> = [
      ["equip", { itemId: "apple" }],
      ["use", { itemId: "knife" }],
      ["unequip", { slot: "head" }],
      ["use", { itemId: "cap" }],
      ["use", { itemId: "ghost" }],
      ["offer", { itemId: "cap" }],
      ["item-add", { itemId: "knife", count: 5 }],
      ["loot", { targetId: "merchant" }],
    ];
    for (const [type, payload] of sent) me.room.send(type, payload);
    await waitFor(() => me.errors.length === sent.length, "eight refusals");
    expect(me.errors).toEqual([
      { code: "items/not-equippable", message: "apple cannot be worn" },
      { code: "items/not-usable", message: "knife has no use" },
      { code: "items/slot-empty", message: `${me.id} wears nothing in slot "head"` },
      { code: "items/not-held", message: `${me.id} carries no cap` },
      { code: "items/unknown-item", message: 'no item "ghost"' },
      { code: "items/not-held", message: `${me.id} carries no cap` },
      { code: "items/server-only", message: "item-add is the server's: items and gold are added and removed through the admin routes" },
      { code: "items/not-lootable", message: "merchant is not downed" },
    ]);
    expect(hashesOf(me.id)).toEqual(before);
    expect(me.items).toHaveLength(3);
    me.errors.length = 0;
  });

  it("give_item moves the offered item to the NPC and raises its affinity toward the giver by the item's value", async () => {
    me.room.send("offer", { itemId: "apple" });
    me.room.send("interact", { targetId: "merchant", interactionId: "give_item" });
    await waitFor(() => me.interactions.length === 1, "the interaction reply");
    expect(me.items[3]).toEqual({ op: "offer", message: "You hold out the Apple: interact with a give_item slot to give it.", itemId: "apple" });
    expect(me.interactions[0]).toEqual({
      interactionId: "give_item",
      slotId: "gift",
      targetId: "merchant",
      success: true,
      message: "Merchant accepts the Apple.",
      effects: [
        { kind: "transfer-item", fromId: me.id, toId: "merchant", itemId: "apple", count: 1 },
        // value 2 × affinityPerValue 2, under maxAffinity 12
        { kind: "relationship", playerId: me.id, npcId: "merchant", axis: "affinity", delta: 4 },
      ],
    });
    expect(inventory(me.id)).toEqual({ gold: 10, items: { knife: 1 }, equipped: {} });
    expect(inventory("merchant")).toEqual({ gold: 50, items: { bread: 2, apple: 1 }, equipped: {} });
    expect(relationsOf(me.id)).toEqual({ "npc:merchant": { affinity: 4 } });
    await waitFor(() => Object.keys(seenInventory(me.room, me.id).items).length === 1, "the synced inventory without apples");
    expect(seenInventory(me.room, me.id).items).toEqual({ knife: 1 });
  });

  it("giving an item you lack is refused and changes nothing: at the offer, and at the gift when it is no longer carried", async () => {
    me.room.send("offer", { itemId: "apple" });
    await waitFor(() => me.errors.length === 1, "the offer's refusal");
    expect(me.errors[0]).toEqual({ code: "items/not-held", message: `${me.id} carries no apple` });

    // The other player holds out its knife, then wears it: the knife is no longer carried.
    other.room.send("offer", { itemId: "knife" });
    other.room.send("equip", { itemId: "knife" });
    await waitFor(() => other.items.length === 2, "offer and equip");
    const before = { hashes: hashesOf(other.id, "collector"), giver: inventory(other.id), relations: relationsOf(other.id) };
    other.room.send("interact", { targetId: "collector", interactionId: "give_item" });
    await waitFor(() => other.errors.length === 1, "the gift's refusal");
    expect(other.errors[0]).toEqual({ code: "interaction/effect-failed", message: `give_item: transfer-item: ${other.id} holds no knife` });
    expect(hashesOf(other.id, "collector")).toEqual(before.hashes);
    expect(inventory(other.id)).toEqual(before.giver);
    expect(inventory(other.id)).toEqual({ gold: 10, items: { apple: 2 }, equipped: { hand: "knife" } });
    expect(actor("collector").pluginState).toBeNull();
    expect(relationsOf(other.id)).toEqual(before.relations);
    expect(other.interactions).toEqual([]);
  });

  it("GET /api/sessions/:id/inventory answers the live actor's inventory; the admin routes add and remove through journaled actions", async () => {
    const sessionId = me.welcome.sessionId!;
    const got = await request(server.port, "GET", `/api/sessions/${sessionId}/inventory`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ sessionId, worldId: "market", actorId: me.id, gold: 10, items: { knife: 1 }, equipped: {} });
    expectError(await request(server.port, "GET", "/api/sessions/nobody/inventory"), 404, "session/not-found", 'no session "nobody"');

    expectError(await request(server.port, "POST", `/api/sessions/${sessionId}/inventory/add`, { body: { itemId: "apple", count: 3 } }), 401, "auth/required");
    const added = await request(server.port, "POST", `/api/sessions/${sessionId}/inventory/add`, { body: { itemId: "apple", count: 3 }, headers: { authorization: ADMIN_AUTH } });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ message: "Added 3 apple.", gold: 10, items: { knife: 1, apple: 3 }, equipped: {} });
    expect(server.services.runtimes.get("market")!.world.tick).toBeGreaterThanOrEqual(added.body.tick);
    expectError(await request(server.port, "POST", `/api/sessions/${sessionId}/inventory/remove`, { body: { gold: 20 }, headers: { authorization: ADMIN_AUTH } }), 409, "items/not-held", `${me.id} holds 10 gold, not 20`);
    const removed = await request(server.port, "POST", `/api/sessions/${sessionId}/inventory/remove`, { body: { gold: 4 }, headers: { authorization: ADMIN_AUTH } });
    expect(removed.body).toMatchObject({ message: "Removed 4 gold.", gold: 6, items: { knife: 1, apple: 3 } });

    // The public action route cannot submit the server-only kinds: it runs the kind's edge, as a WebSocket message would.
    const forged = await request(server.port, "POST", `/api/sessions/${sessionId}/actions`, { body: { type: "item-add", itemId: "knife", count: 9 } });
    expectError(forged, 403, "items/server-only", "item-add is the server's: items and gold are added and removed through the admin routes");
    expect(inventory(me.id).items).toEqual({ knife: 1, apple: 3 });

    const npc = await request(server.port, "GET", "/api/worlds/market/npcs/merchant/inventory", { headers: { authorization: ADMIN_AUTH } });
    expect(npc.body).toEqual({ worldId: "market", npcId: "merchant", gold: 50, items: { bread: 2, apple: 1 }, equipped: {} });
    expectError(await request(server.port, "GET", "/api/worlds/market/npcs/merchant/inventory"), 401, "auth/required");
  });

  it("an inventory survives leaving and resuming the session; the route answers the saved one meanwhile", async () => {
    const sessionId = me.welcome.sessionId!;
    await me.room.leave();
    await waitFor(() => !world().byId.has(me.id), "the actor to leave");
    const saved = await request(server.port, "GET", `/api/sessions/${sessionId}/inventory`);
    expect(saved.body).toEqual({ sessionId, worldId: "market", actorId: null, gold: 6, items: { knife: 1, apple: 3 }, equipped: {} });

    const back = await join({ sessionId });
    expect(inventory(back.id)).toEqual({ gold: 6, items: { knife: 1, apple: 3 }, equipped: {} });
    await waitFor(() => seenInventory(back.room, back.id).gold === 6, "the resumed synced inventory");
    expect(seenInventory(back.room, back.id)).toEqual({ gold: 6, items: { knife: 1, apple: 3 }, equipped: {} });
    expect(relationsOf(back.id)).toEqual({ "npc:merchant": { affinity: 4 } });
    await back.room.leave();
  });
});
