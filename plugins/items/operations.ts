/**
 * Item operations (issue 10 "items", seed 003 §3.2 `InventoryManager`): each is an action kind, so
 * a client's (or the admin route's) attempt is a journaled `act` input that runs inside the tick.
 *
 * | kind          | payload                         | who            |
 * |---------------|---------------------------------|----------------|
 * | `use`         | `{ itemId }`                    | client         |
 * | `equip`       | `{ itemId }`                    | client         |
 * | `unequip`     | `{ slot }`                      | client         |
 * | `offer`       | `{ itemId }`                    | client (give.ts) |
 * | `loot`        | `{ targetId }`                  | client         |
 * | `item-add`    | `{ itemId, count }` or `{ gold }` | server only  |
 * | `item-remove` | `{ itemId, count }` or `{ gold }` | server only  |
 *
 * Each op has a `check` that only reads (run at the edge, to refuse early, and again in the tick,
 * since the world may have changed) and an `apply` that writes through the tick's undo log: the
 * inventory (plugin state) and stat modifiers (`stats:write`). When `apply` refuses (a modifier
 * names a stat the world lacks), the action fails and every write rolls back.
 *
 * Modifier sources: a worn item's modifiers carry `items:equip:<slot>` (unequip removes them by
 * it), a used item's `items:use:<itemId>` (using it again stacks or refreshes by its policy).
 */
import { z } from "zod";
import type { Actor, TickContext, World } from "../../src/core/index.ts";
import { ID } from "../../src/content/character-file.ts";
import type { PluginWorldState, StatWriter } from "../../src/plugins/api.ts";
import { SLOT, type Catalog, type ItemDef, type ItemModifier } from "./catalog.ts";
import { refuse, type ItemRefusal } from "./codes.ts";
import { changeEquipped, changeGold, changeItems, countOf, inventoryOf, toState, type Inventory } from "./inventory.ts";
import { setOffer } from "./world-state.ts";

/** What the operations work with: the item catalog, the plugin's state and the stats engine. */
export interface ItemsDeps {
  readonly catalog: Catalog;
  readonly state: PluginWorldState;
  readonly stats: StatWriter;
}

export interface ItemDone {
  readonly ok: true;
  readonly message: string;
  readonly itemId?: string;
  readonly slot?: string;
}

export type ItemOutcome = ItemDone | ItemRefusal;

export interface ItemOp<P> {
  readonly kind: string;
  /** The payload a client may send, exactly these fields. */
  readonly payload: z.ZodType<P>;
  /** A client's attempt is refused at the edge with `items/server-only`; the admin routes submit it. */
  readonly serverOnly: boolean;
  /** Reads only: why `actor` cannot do it now, or undefined. */
  check(deps: ItemsDeps, world: World, actor: Actor, payload: P): ItemRefusal | undefined;
  /** Inside the tick, once `check` passed: writes through the tick's undo log. */
  apply(deps: ItemsDeps, tick: TickContext, actor: Actor, payload: P): ItemOutcome;
}

export const equipSource = (slot: string): string => `items:equip:${slot}`;
export const useSource = (itemId: string): string => `items:use:${itemId}`;

const itemPayload = z.strictObject({ itemId: ID });
const slotPayload = z.strictObject({ slot: SLOT });
const targetPayload = z.strictObject({ targetId: z.string().min(1).max(64) });
export const amountPayload = z
  .strictObject({ itemId: ID.optional(), count: z.int().min(1).max(1_000_000).default(1), gold: z.int().min(1).max(1_000_000_000).optional() })
  .refine((p) => (p.itemId === undefined) !== (p.gold === undefined), { message: "give exactly one of itemId and gold" });

type ItemPayload = z.output<typeof itemPayload>;
type AmountPayload = z.output<typeof amountPayload>;

function known(deps: ItemsDeps, itemId: string): ItemDef | ItemRefusal {
  return deps.catalog.get(itemId) ?? refuse("items/unknown-item", `no item "${itemId}"`);
}

/** The refusal when `actor` carries fewer than `count` of a known `itemId`. */
function checkHeld(deps: ItemsDeps, actor: Actor, itemId: string, count = 1): ItemRefusal | undefined {
  const item = known(deps, itemId);
  if ("ok" in item) return item;
  const held = countOf(actor, itemId);
  return held >= count ? undefined : refuse("items/not-held", held === 0 ? `${actor.id} carries no ${itemId}` : `${actor.id} carries ${held} ${itemId}, not ${count}`);
}

function write(deps: ItemsDeps, tick: TickContext, actor: Actor, inventory: Inventory): void {
  deps.state.setActor(tick.world, actor, toState(inventory), tick);
}

/** `inventory` changed by `change`, which cannot fail here (checked before). */
function must(inventory: Inventory | string): Inventory {
  if (typeof inventory === "string") throw new Error(`items: an inventory change checked beforehand failed: ${inventory}`);
  return inventory;
}

function applyModifiers(deps: ItemsDeps, tick: TickContext, actor: Actor, item: ItemDef, modifiers: readonly ItemModifier[], source: string): ItemRefusal | undefined {
  for (const modifier of modifiers) {
    const applied = deps.stats.modify(tick, actor, { ...modifier, source });
    if (!applied.ok) return refuse("items/effect-failed", `${item.id}: ${applied.message}`);
  }
  return undefined;
}

const use: ItemOp<ItemPayload> = {
  kind: "use",
  payload: itemPayload,
  serverOnly: false,
  check: (deps, _world, actor, { itemId }) => checkHeld(deps, actor, itemId) ?? (deps.catalog.get(itemId)!.use === undefined ? refuse("items/not-usable", `${itemId} has no use`) : undefined),
  apply(deps, tick, actor, { itemId }) {
    const item = deps.catalog.get(itemId)!;
    write(deps, tick, actor, must(changeItems(inventoryOf(actor), itemId, -1)));
    return applyModifiers(deps, tick, actor, item, item.use!, useSource(itemId)) ?? { ok: true, message: `You use the ${item.name}.`, itemId };
  },
};

const equip: ItemOp<ItemPayload> = {
  kind: "equip",
  payload: itemPayload,
  serverOnly: false,
  check: (deps, _world, actor, { itemId }) => checkHeld(deps, actor, itemId) ?? (deps.catalog.get(itemId)!.slot === undefined ? refuse("items/not-equippable", `${itemId} cannot be worn`) : undefined),
  apply(deps, tick, actor, { itemId }) {
    const item = deps.catalog.get(itemId)!;
    const slot = item.slot!;
    let inventory = inventoryOf(actor);
    const worn = inventory.equipped[slot];
    if (worn !== undefined) {
      deps.stats.remove(tick, actor, equipSource(slot));
      inventory = must(changeItems(inventory, worn, 1));
    }
    inventory = changeEquipped(must(changeItems(inventory, itemId, -1)), slot, itemId);
    write(deps, tick, actor, inventory);
    const swapped = worn === undefined ? "" : ` (the ${deps.catalog.get(worn)?.name ?? worn} goes back in your pack)`;
    return applyModifiers(deps, tick, actor, item, item.equip ?? [], equipSource(slot)) ?? { ok: true, message: `You put on the ${item.name}${swapped}.`, itemId, slot };
  },
};

const unequip: ItemOp<z.output<typeof slotPayload>> = {
  kind: "unequip",
  payload: slotPayload,
  serverOnly: false,
  check: (_deps, _world, actor, { slot }) => (Object.hasOwn(inventoryOf(actor).equipped, slot) ? undefined : refuse("items/slot-empty", `${actor.id} wears nothing in slot "${slot}"`)),
  apply(deps, tick, actor, { slot }) {
    const inventory = inventoryOf(actor);
    const itemId = inventory.equipped[slot]!;
    deps.stats.remove(tick, actor, equipSource(slot));
    write(deps, tick, actor, changeEquipped(must(changeItems(inventory, itemId, 1)), slot, undefined));
    return { ok: true, message: `You take off the ${deps.catalog.get(itemId)?.name ?? itemId}.`, itemId, slot };
  },
};

const offer: ItemOp<ItemPayload> = {
  kind: "offer",
  payload: itemPayload,
  serverOnly: false,
  check: (deps, _world, actor, { itemId }) => checkHeld(deps, actor, itemId),
  apply(deps, tick, actor, { itemId }) {
    setOffer(deps.state, tick, actor.id, itemId);
    return { ok: true, message: `You hold out the ${deps.catalog.get(itemId)!.name}: interact with a give_item slot to give it.`, itemId };
  },
};

const loot: ItemOp<z.output<typeof targetPayload>> = {
  kind: "loot",
  payload: targetPayload,
  serverOnly: false,
  check(_deps, world, actor, { targetId }) {
    const target = world.byId.get(targetId);
    const why =
      target === undefined ? `no actor "${targetId}" in world ${world.id}`
      : target.kind !== "npc" ? `${targetId} is a player: only NPCs are looted`
      : target.respawnAt < 0 ? `${targetId} is not downed`
      : Math.abs(actor.x - target.x) + Math.abs(actor.y - target.y) !== 1 ? `${targetId} is not next to ${actor.id}`
      : inventoryOf(target).gold === 0 && Object.keys(inventoryOf(target).items).length === 0 ? `${targetId} carries nothing`
      : undefined;
    return why === undefined ? undefined : refuse("items/not-lootable", why);
  },
  apply(deps, tick, actor, { targetId }) {
    const target = tick.world.byId.get(targetId)!;
    const taken = inventoryOf(target);
    let inventory = must(changeGold(inventoryOf(actor), taken.gold));
    for (const [itemId, count] of Object.entries(taken.items)) inventory = must(changeItems(inventory, itemId, count));
    write(deps, tick, actor, inventory);
    write(deps, tick, target, { gold: 0, items: {}, equipped: taken.equipped });
    const list = [...(taken.gold > 0 ? [`${taken.gold} gold`] : []), ...Object.entries(taken.items).map(([id, n]) => `${n} ${deps.catalog.get(id)?.name ?? id}`)];
    return { ok: true, message: `You loot ${target.name}: ${list.join(", ")}.` };
  },
};

function amountOp(kind: "item-add" | "item-remove", sign: 1 | -1): ItemOp<AmountPayload> {
  return {
    kind,
    payload: amountPayload,
    serverOnly: true,
    check(deps, _world, actor, { itemId, count, gold }) {
      if (itemId !== undefined) {
        if (sign < 0) return checkHeld(deps, actor, itemId, count);
        const item = known(deps, itemId);
        return "ok" in item ? item : undefined;
      }
      const held = inventoryOf(actor).gold;
      return sign < 0 && held < gold! ? refuse("items/not-held", `${actor.id} holds ${held} gold, not ${gold}`) : undefined;
    },
    apply(deps, tick, actor, { itemId, count, gold }) {
      const inventory = inventoryOf(actor);
      write(deps, tick, actor, must(itemId !== undefined ? changeItems(inventory, itemId, sign * count) : changeGold(inventory, sign * gold!)));
      const what = itemId !== undefined ? `${count} ${itemId}` : `${gold} gold`;
      return { ok: true, message: `${sign > 0 ? "Added" : "Removed"} ${what}.`, ...(itemId !== undefined ? { itemId } : {}) };
    },
  };
}

/** Every operation, in registration order. */
export const ITEM_OPS: readonly ItemOp<unknown>[] = [use, equip, unequip, offer, loot, amountOp("item-add", 1), amountOp("item-remove", -1)] as unknown as readonly ItemOp<unknown>[];
