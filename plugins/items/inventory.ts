/**
 * Inventories (issue 10 "items", seed 003 §3.2): the `items` plugin's state on each actor, in this
 * exact shape (other plugins read it through the helpers below):
 *
 *     { gold: 12, items: { apple: 2, knife: 1 }, equipped: { hand: "knife" } }
 *
 * - `gold`: an integer ≥ 0;
 * - `items`: what the actor carries, item id → count (an integer ≥ 1; an item it no longer holds
 *   has no key);
 * - `equipped`: equipment slot → item id. An equipped item is worn, not carried: equipping moves
 *   one from `items` into its slot, unequipping moves it back, and only carried items can be
 *   given, used, stolen or looted.
 *
 * Being plugin state, an inventory is in the snapshot, the state hash and the journal; a player's
 * travels with its session. The functions here are pure: they read an actor, or return a changed
 * copy of an inventory (or the reason it cannot change), and never write.
 */
import { actorStateOf, type Actor, type PlainData } from "../../src/core/index.ts";

/** The plugin id, which keys the state on each actor. */
export const INVENTORY_PLUGIN = "items";

export interface Inventory {
  readonly gold: number;
  readonly items: Readonly<Record<string, number>>;
  readonly equipped: Readonly<Record<string, string>>;
}

export const EMPTY_INVENTORY: Inventory = Object.freeze({ gold: 0, items: Object.freeze({}), equipped: Object.freeze({}) });

/**
 * `actor`'s inventory; the empty inventory when it has none. Fields that do not fit the shape (a
 * state written by hand through `set-state`) read as empty.
 */
export function inventoryOf(actor: Actor): Inventory {
  return inventoryFrom(actorStateOf(actor, INVENTORY_PLUGIN));
}

/** The inventory a stored `items` state holds (a session's saved plugin state, say); empty for none. */
export function inventoryFrom(state: PlainData | undefined): Inventory {
  if (state === undefined || state === null || typeof state !== "object" || Array.isArray(state)) return EMPTY_INVENTORY;
  const { gold, items, equipped } = state as { gold?: PlainData; items?: PlainData; equipped?: PlainData };
  const cleanGold = Number.isSafeInteger(gold) && (gold as number) > 0 ? (gold as number) : 0;
  const cleanItems = pick(items, isCount);
  const cleanEquipped = pick(equipped, isItemId);
  // A stored inventory in the exact shape (every write makes one) is read as it is: no copy.
  if (cleanGold === gold && cleanItems === items && cleanEquipped === equipped && keyCount(state) === 3) return state as unknown as Inventory;
  return { gold: cleanGold, items: cleanItems, equipped: cleanEquipped };
}

const isCount = (count: PlainData): count is number => Number.isSafeInteger(count) && (count as number) >= 1;
const isItemId = (id: PlainData): id is string => typeof id === "string";

function keyCount(record: object): number {
  let n = 0;
  for (const _ in record) n++;
  return n;
}

/** `actor`'s gold (0 when it has no inventory). */
export function goldOf(actor: Actor): number {
  return inventoryOf(actor).gold;
}

/** How many of `itemId` `actor` carries (equipped ones not counted). */
export function countOf(actor: Actor, itemId: string): number {
  const { items } = inventoryOf(actor);
  return Object.hasOwn(items, itemId) ? items[itemId]! : 0;
}

/** `inventory` with `delta` gold, or why not (it would fall below 0). */
export function changeGold(inventory: Inventory, delta: number): Inventory | string {
  const gold = inventory.gold + delta;
  if (!Number.isSafeInteger(delta) || !Number.isSafeInteger(gold)) return `${delta} gold is not a whole amount`;
  if (gold < 0) return `holds ${inventory.gold} gold, not ${-delta}`;
  return { ...inventory, gold };
}

/** `inventory` with `delta` more (or fewer) of `itemId` carried, or why not (it holds fewer). */
export function changeItems(inventory: Inventory, itemId: string, delta: number): Inventory | string {
  const held = Object.hasOwn(inventory.items, itemId) ? inventory.items[itemId]! : 0;
  const count = held + delta;
  if (!Number.isSafeInteger(delta) || !Number.isSafeInteger(count)) return `${delta} is not a whole count`;
  if (count < 0) return held === 0 ? `holds no ${itemId}` : `holds ${held} ${itemId}, not ${-delta}`;
  const items = { ...inventory.items };
  if (count === 0) delete items[itemId];
  else items[itemId] = count;
  return { ...inventory, items };
}

/** `inventory` with `itemId` worn in `slot` (or the slot emptied, with undefined). */
export function changeEquipped(inventory: Inventory, slot: string, itemId: string | undefined): Inventory {
  const equipped = { ...inventory.equipped };
  if (itemId === undefined) delete equipped[slot];
  else equipped[slot] = itemId;
  return { ...inventory, equipped };
}

/**
 * The inventory as plugin state (plain data). Unchanged parts are the stored objects themselves
 * (read back by `inventoryFrom`), which the state store shares instead of copying again.
 */
export function toState(inventory: Inventory): PlainData {
  return { gold: inventory.gold, items: inventory.items, equipped: inventory.equipped };
}

/** `record`'s entries that `keep` accepts: `record` itself when it holds nothing else (no copy), else a filtered copy. */
function pick<T extends PlainData>(record: PlainData | undefined, keep: (value: PlainData) => value is T): Readonly<Record<string, T>> {
  if (record === undefined || record === null || typeof record !== "object" || Array.isArray(record)) return {};
  const entries = record as Readonly<Record<string, PlainData>>;
  let clean = true;
  for (const key in entries) if (!keep(entries[key]!)) clean = false;
  if (clean) return entries as Readonly<Record<string, T>>;
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(entries)) if (keep(value)) out[key] = value;
  return out;
}
