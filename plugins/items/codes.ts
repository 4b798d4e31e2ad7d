/**
 * The `items` plugin's refusal codes (added to the server's table with `ctx.defineErrors`) and its
 * tick event. A refusal changes nothing; the client gets `error { code, message }`.
 */
export const ITEM_ERRORS = {
  "items/unknown-item": { message: "no item with this id", status: 404 },
  "items/not-held": { message: "the actor does not carry this item (or this much gold)", status: 409 },
  "items/not-usable": { message: "this item has no use", status: 409 },
  "items/not-equippable": { message: "this item has no equipment slot", status: 409 },
  "items/slot-empty": { message: "nothing is worn in this slot", status: 409 },
  "items/not-lootable": { message: "the target is not a downed NPC next to the actor, or carries nothing", status: 409 },
  "items/effect-failed": { message: "a stat modifier of the item does not fit this world's stats", status: 409 },
  "items/server-only": { message: "items and gold are added and removed by the server (admin routes), never by a client", status: 403 },
} as const;

export type ItemsCode = keyof typeof ITEM_ERRORS;

declare module "../../src/errors.ts" {
  interface PluginErrorCodes {
    "items/unknown-item": true;
    "items/not-held": true;
    "items/not-usable": true;
    "items/not-equippable": true;
    "items/slot-empty": true;
    "items/not-lootable": true;
    "items/effect-failed": true;
    "items/server-only": true;
  }
}

/** A refusal: a code and a message naming what was wrong. */
export interface ItemRefusal {
  readonly ok: false;
  readonly code: ItemsCode;
  readonly message: string;
}

export function refuse(code: ItemsCode, message: string): ItemRefusal {
  return { ok: false, code, message };
}

/**
 * The `item` tick event: one item operation's outcome in the tick it ran (`done`, or `refused`
 * with its code, everything it wrote rolled back). The plugin answers the actor's client with it.
 */
export interface ItemEvent {
  type: "item";
  actorId: string;
  /** The action kind: `use`, `equip`, `unequip`, `offer`, `loot`, `item-add`, `item-remove`. */
  op: string;
  verdict: "done" | "refused";
  code?: ItemsCode;
  message: string;
  itemId?: string;
  slot?: string;
}

declare module "../../src/core/events.ts" {
  interface TickEventMap {
    item: ItemEvent;
  }
}
