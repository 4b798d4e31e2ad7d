/**
 * The `items` plugin's world-level state: `{ offers: { "<actorId>": "<itemId>" }, seeded: ["<npcId>", …] }`.
 * - `offers`: the item each player holds out to give (`offer { itemId }`), which the `give_item`
 *   interaction hands over (give.ts). Entries of actors no longer in the world are dropped on the
 *   next write.
 * - `seeded`: the NPCs whose starting inventory (world file `npcs[].plugins.items`) was given
 *   (starting.ts), so each gets it exactly once.
 * Plain data: in the snapshot, the state hash and the journal, like every plugin state.
 */
import type { PlainData, TickContext, World } from "../../src/core/index.ts";
import type { PluginWorldState } from "../../src/plugins/api.ts";

export interface ItemsWorld {
  readonly offers: Readonly<Record<string, string>>;
  readonly seeded: readonly string[];
}

const EMPTY: ItemsWorld = { offers: {}, seeded: [] };

/** The world's `items` state (empty when none). */
export function readItemsWorld(state: PluginWorldState, world: World): ItemsWorld {
  const value = state.getWorld(world) as Partial<ItemsWorld> | undefined;
  return value === undefined ? EMPTY : { offers: value.offers ?? {}, seeded: value.seeded ?? [] };
}

/** The item `actorId` offers, or undefined. */
export function offerOf(state: PluginWorldState, world: World, actorId: string): string | undefined {
  const { offers } = readItemsWorld(state, world);
  return Object.hasOwn(offers, actorId) ? offers[actorId] : undefined;
}

/** Records that `actorId` offers `itemId`, inside the tick (undoably); drops offers of departed actors. */
export function setOffer(state: PluginWorldState, tick: TickContext, actorId: string, itemId: string): void {
  const current = readItemsWorld(state, tick.world);
  const offers: Record<string, string> = {};
  for (const [id, offered] of Object.entries(current.offers)) if (tick.world.byId.has(id)) offers[id] = offered;
  offers[actorId] = itemId;
  state.setWorld(tick.world, { ...current, offers } as unknown as PlainData, tick);
}

/** Records NPCs as seeded (a scheduled task's write, outside any action). */
export function markSeeded(state: PluginWorldState, world: World, npcIds: readonly string[]): void {
  const current = readItemsWorld(state, world);
  state.setWorld(world, { ...current, seeded: [...current.seeded, ...npcIds] } as unknown as PlainData);
}
