/**
 * The `items` plugin without a server: item files, NPC sections and starting inventories validated
 * at start-up (naming file and field), and inside the simulation, through the server's wiring of
 * the real plugins: NPC inventories seeded on the first tick and replayed hash for hash, looting,
 * equipment swaps, and transfers that fail and roll back.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulation, createWorld, journalEntries, replayJournal, stepSimulation, submitInput, type Simulation, type TickResult, type WorldDef } from "../../src/core/index.ts";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { createServices, loadConfig } from "../../src/server/boot.ts";
import { loadStandalonePlugins, type StandalonePlugins } from "../../src/server/standalone-plugins.ts";
import { loadCatalog, parseItemFile } from "../../plugins/items/catalog.ts";
import type { ItemEvent } from "../../plugins/items/codes.ts";
import { inventoryOf } from "../../plugins/items/inventory.ts";
import { loadStartingInventories } from "../../plugins/items/starting.ts";
import type { InteractionEvent } from "../../plugins/interactions/dispatcher.ts";
import { marketDataDir, MARKET, PORTER, TEST_ITEMS, writeItems } from "../support/items.ts";
import { writeCharacters } from "../support/server-with-characters.ts";
import { writeWorlds } from "../support/server.ts";

const ITEMS_PLUGINS = fileURLToPath(new URL("../fixtures/plugins/items", import.meta.url));
const SIM_PLUGINS = fileURLToPath(new URL("../fixtures/plugins/items-sim", import.meta.url));
const DATA_DIR = fileURLToPath(new URL("../../data", import.meta.url));

const bootFails = (dataDir: string) => createServices(loadConfig({ DATA_DIR: dataDir, DATABASE_PATH: ":memory:", ADMIN_PASSWORD: "x-admin-password", LOG_LEVEL: "silent", PLUGINS_DIR: ITEMS_PLUGINS }));

describe("item files and starting inventories, at start-up", () => {
  it("an item file is validated field by field: each problem names its path", () => {
    const bad = { id: "knife", name: "Knife", value: -1, slot: "hand", equip: [{ stat: "combat_skills.strength", value: 10, duration: { ticks: 5 } }], colour: "red" };
    expect(parseItemFile(bad, "items/knife.json")).toEqual({
      ok: false,
      source: "items/knife.json",
      problems: [
        "value: Too small: expected number to be >=0",
        'equip[0].duration: an equip modifier lasts while the item is worn: duration must be "infinite"',
        '(root): Unrecognized key: "colour"',
      ],
    });
    expect(parseItemFile({ id: "cap", name: "Cap", value: 1, equip: [{ stat: "combat_skills.defense", value: 1 }] }, "x")).toEqual({ ok: false, source: "x", problems: ["slot: an item with equip modifiers needs the slot it is worn in"] });
  });

  it("a bad item file stops start-up naming the file and the field", async () => {
    const dataDir = writeItems(marketDataDir(), { ...TEST_ITEMS, knife: { ...TEST_ITEMS.knife, value: 2.5 }, cap: { ...TEST_ITEMS.cap, id: "hat" } });
    await expect(bootFails(dataDir)).rejects.toThrow(/plugin "items" failed in onLoad: .*items\/cap\.json: invalid item file\n {2}- id: "hat" must match the file name\n.*items\/knife\.json: invalid item file\n {2}- value: Invalid input: expected int, received number/s);
  });

  it("an NPC's section naming an unknown item stops start-up naming the world file and the field", async () => {
    const merchant = { ...MARKET.npcs[0]!, plugins: { items: { gold: -1, items: { ghost: 1 } } } };
    const dataDir = marketDataDir({ market: { ...MARKET, npcs: [merchant, MARKET.npcs[1]] } });
    await expect(bootFails(dataDir)).rejects.toThrow(/market\.json: invalid world file\n {2}- npcs\[0\]\.plugins\.items\.gold: Too small: expected number to be >=0\n {2}- npcs\[0\]\.plugins\.items\.items\.ghost: no item "ghost" in items\/ \(have: apple, bread, cap, knife\)/);
  });

  it("a template's starting_inventory naming an unknown item stops start-up naming the character file and the field", async () => {
    const noItems = writeCharacters(writeWorlds({ lane: { map: ["#####", "#S..#", "#####"] } }), { porter: PORTER });
    await expect(bootFails(noItems)).rejects.toThrow(/characters\/porter\.json: invalid character template\n {2}- starting_inventory\.items\.apple: no item "apple" in items\/ \(have: none\)\n {2}- starting_inventory\.items\.knife: no item "knife"/);
  });

  it("the shipped items and character templates load, and some templates start with items", () => {
    const catalog = loadCatalog(DATA_DIR);
    expect([...catalog.keys()]).toEqual(["apple", "bread", "coin-purse", "cutlass", "healing-draught", "knife", "leather-cap", "lucky-charm"]);
    expect(catalog.get("knife")).toMatchObject({ slot: "hand", stackable: false, equip: [{ stat: "combat_skills.strength", op: "add", value: 10, duration: "infinite" }] });
    expect(catalog.get("apple")).toMatchObject({ value: 2, use: [{ stat: "attributes.health", op: "add", value: 15, duration: "instant" }] });
    expect(loadStartingInventories(DATA_DIR, catalog).get("dock-hand")).toEqual({ gold: 10, items: { apple: 2, bread: 1 } });
  });
});

let loaded: StandalonePlugins;
beforeAll(async () => {
  // The odd ring's second modifier names a stat the default stats lack.
  const oddRing = { id: "odd-ring", name: "Odd Ring", value: 1, slot: "hand", equip: [{ stat: "combat_skills.strength", value: -5 }, { stat: "magic.power", value: 1 }] };
  loaded = await loadStandalonePlugins(SIM_PLUGINS, 10_000, writeItems(marketDataDir(), { ...TEST_ITEMS, "odd-ring": oddRing }));
});
afterAll(async () => {
  await loaded?.close();
});

/** The market world, with a `tip` slot on the collector (pays 5 gold, then hands over a bread). */
function marketDef(): WorldDef {
  const collector = { ...MARKET.npcs[1]!, plugins: { interactions: { slots: [{ slotId: "tip", interactionId: "tip", config: { gold: 5, itemId: "bread" } }] } } };
  return { id: "market", name: "Market", tickRate: 20, seed: 99, map: MARKET.map, npcs: [MARKET.npcs[0]!, collector] as unknown as WorldDef["npcs"], stats: DEFAULT_STATS_CONFIG, respawnTicks: 100 };
}

const porter = { gold: PORTER.starting_inventory.gold, items: PORTER.starting_inventory.items, equipped: {} };

function start(): { sim: Simulation; player: string } {
  const sim = createSimulation(createWorld(marketDef(), loaded.plugins.rules), 10_000);
  const joined = submitInput(sim, { type: "join", actorId: "", name: "Ann", state: { items: porter } });
  if (!joined.ok) throw new Error(joined.message);
  return { sim, player: joined.value.id };
}

function act(sim: Simulation, actorId: string, kind: string, payload: unknown): TickResult {
  const queued = submitInput(sim, { type: "act", actorId, kind, payload });
  if (!queued.ok) throw new Error(queued.message);
  return stepSimulation(sim);
}

const itemEvents = (result: TickResult) => result.events.filter((e): e is ItemEvent => e.type === "item");
const inventory = (sim: Simulation, id: string) => inventoryOf(sim.world.byId.get(id)!);

describe("items in the simulation", () => {
  it("NPCs get their world file's inventory on the first tick, once, and a journal replay reproduces every hash", () => {
    const { sim, player } = start();
    expect(sim.world.byId.get("merchant")!.pluginState).toBeNull();
    stepSimulation(sim);
    expect(inventory(sim, "merchant")).toEqual({ gold: 50, items: { bread: 2 }, equipped: {} });
    expect(sim.world.pluginState.get("items")).toEqual({ offers: {}, seeded: ["merchant"] });
    // Looting it empty does not make it start over.
    submitInput(sim, { type: "set-stats", actorId: "merchant", values: { attributes: { health: 0 } } });
    const looted = act(sim, player, "loot", { targetId: "merchant" });
    expect(itemEvents(looted)).toEqual([{ type: "item", actorId: player, op: "loot", verdict: "done", message: "You loot Merchant: 50 gold, 2 Bread." }]);
    for (let i = 0; i < 5; i++) stepSimulation(sim);
    expect(inventory(sim, "merchant")).toEqual({ gold: 0, items: {}, equipped: {} });
    expect(inventory(sim, player)).toEqual({ gold: 60, items: { apple: 2, knife: 1, bread: 2 }, equipped: {} });
    const replay = createSimulation(createWorld(marketDef(), loaded.plugins.rules));
    expect(replayJournal(replay, journalEntries(sim.journal))).toEqual({ replayed: 7, divergences: [] });
    expect(inventory(replay, "merchant")).toEqual(inventory(sim, "merchant"));
  });

  it("loot is refused, changing nothing, unless the target is a downed NPC next to the actor that carries something", () => {
    const { sim, player } = start();
    stepSimulation(sim);
    const refused = (targetId: string) => itemEvents(act(sim, player, "loot", { targetId }))[0];
    expect(refused("merchant")).toMatchObject({ verdict: "refused", code: "items/not-lootable", message: "merchant is not downed" });
    submitInput(sim, { type: "set-stats", actorId: "collector", values: { attributes: { health: 0 } } });
    expect(refused("collector")).toMatchObject({ code: "items/not-lootable", message: `collector is not next to ${player}` });
    expect(refused(player)).toMatchObject({ code: "items/not-lootable", message: `${player} is a player: only NPCs are looted` });
    expect(inventory(sim, player)).toEqual(porter);
  });

  it("equipping into a worn slot swaps: the old item's modifiers go, the new one's come", () => {
    const { sim, player } = start();
    const strength = () => sim.world.byId.get(player)!.effective[sim.world.layout.indexOf.get("combat_skills.strength")!];
    act(sim, player, "item-add", { itemId: "knife", count: 1 });
    act(sim, player, "equip", { itemId: "knife" });
    expect(strength()).toBe(60);
    act(sim, player, "item-add", { itemId: "cap" });
    act(sim, player, "equip", { itemId: "cap" });
    expect(inventory(sim, player)).toEqual({ gold: 10, items: { apple: 2, knife: 1 }, equipped: { hand: "knife", head: "cap" } });
    const again = act(sim, player, "equip", { itemId: "knife" });
    expect(itemEvents(again)[0]!.message).toBe("You put on the Knife (the Knife goes back in your pack).");
    expect(strength()).toBe(60);
    expect(sim.world.byId.get(player)!.stats.modifiers.map((m) => m.source)).toEqual(["items:equip:head", "items:equip:hand"]);
  });

  it("an equip whose modifier does not fit the world is refused and rolls back everything, the worn item's removed modifiers included", () => {
    const { sim, player } = start();
    act(sim, player, "equip", { itemId: "knife" });
    act(sim, player, "item-add", { itemId: "odd-ring" });
    const actor = sim.world.byId.get(player)!;
    const before = { hash: [actor.pluginHash, actor.statsHash], modifiers: actor.stats.modifiers.map((m) => ({ ...m })) };
    const refused = act(sim, player, "equip", { itemId: "odd-ring" });
    expect(itemEvents(refused)).toEqual([{ type: "item", actorId: player, op: "equip", verdict: "refused", code: "items/effect-failed", message: `odd-ring: ${player}: unknown stat "magic.power"`, itemId: "odd-ring" }]);
    expect([actor.pluginHash, actor.statsHash]).toEqual(before.hash);
    expect(actor.stats.modifiers).toEqual(before.modifiers);
    expect(inventory(sim, player)).toEqual({ gold: 10, items: { apple: 2, "odd-ring": 1 }, equipped: { hand: "knife" } });
    expect(refused.events.filter((e) => e.type === "stats")).toEqual([]);
  });

  it("transfer-gold fails when the payer holds less, and a failing transfer-item rolls the gold back", () => {
    const { sim, player } = start();
    // From [1, 1], walk round the merchant at [2, 1] to [6, 2], under the collector at [6, 1].
    for (const dir of ["S", "E", "E", "E", "E", "E"]) act(sim, player, "move", { dir });
    expect(sim.world.byId.get(player)).toMatchObject({ x: 6, y: 2 });
    const tip = () => act(sim, player, "interact", { targetId: "collector", slotId: "tip" }).events.find((e): e is InteractionEvent => e.type === "interaction")!;
    // No bread: the gold moved first, then the bread failed; both roll back.
    expect(tip()).toMatchObject({ verdict: "failed", code: "interaction/effect-failed", message: `tip: transfer-item: ${player} holds no bread` });
    expect(inventory(sim, player).gold).toBe(10);
    expect(sim.world.byId.get("collector")!.pluginState).toBeNull();
    act(sim, player, "item-add", { itemId: "bread", count: 3 });
    expect(tip()).toMatchObject({ verdict: "executed", success: true });
    expect(tip()).toMatchObject({ verdict: "executed", success: true });
    expect(inventory(sim, player)).toMatchObject({ gold: 0, items: { bread: 1 } });
    expect(tip()).toMatchObject({ verdict: "failed", message: `tip: transfer-gold: ${player} holds 0 gold, not 5` });
    expect(inventory(sim, "collector")).toEqual({ gold: 10, items: { bread: 2 }, equipped: {} });
    expect(inventory(sim, player)).toMatchObject({ gold: 0, items: { bread: 1 } });
  });
});

