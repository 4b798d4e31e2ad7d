/**
 * The `items` plugin's effect kinds, registered with the interaction dispatcher (`interactions:register`)
 * and applied by it inside the tick's undo log: when one fails, the interaction fails and every
 * effect before it rolls back.
 * - `transfer-gold { fromId, toId, amount }`: `amount` (an integer ≥ 0) gold from one inventory to
 *   another; fails when `fromId` holds less (stealth's pickpocket uses it);
 * - `transfer-item { fromId, toId, itemId, count }`: `count` (default 1) of a carried item; fails
 *   when `fromId` carries fewer (give_item uses it).
 * Either fails for an actor that is not in the world.
 */
import { z } from "zod";
import type { Actor, World } from "../../src/core/index.ts";
import type { EffectKind, InteractionContext } from "../interactions/contract.ts";
import { changeGold, changeItems, inventoryOf, toState, type Inventory } from "./inventory.ts";
import type { ItemsDeps } from "./operations.ts";

const goldEffect = z.object({ fromId: z.string(), toId: z.string(), amount: z.int().min(0) });
const itemEffect = z.object({ fromId: z.string(), toId: z.string(), itemId: z.string(), count: z.int().min(1).default(1) });

type Change = (inventory: Inventory, delta: number) => Inventory | string;

/** Moves `amount` between two actors' inventories with `change`, writing both undoably; an error text, or null. */
function transfer(deps: ItemsDeps, ctx: InteractionContext<unknown>, ids: { fromId: string; toId: string }, change: Change, amount: number): string | null {
  const from = ctx.world.byId.get(ids.fromId);
  const to = ctx.world.byId.get(ids.toId);
  if (from === undefined || to === undefined) return `no actor "${from === undefined ? ids.fromId : ids.toId}" in world ${ctx.world.id}`;
  const taken = change(inventoryOf(from), -amount);
  if (typeof taken === "string") return `${from.id} ${taken}`;
  if (from === to) return null;
  const given = change(inventoryOf(to), amount);
  if (typeof given === "string") return `${to.id} ${given}`;
  write(deps, ctx.world, from, taken, ctx);
  write(deps, ctx.world, to, given, ctx);
  return null;
}

function write(deps: ItemsDeps, world: World, actor: Actor, inventory: Inventory, ctx: InteractionContext<unknown>): void {
  deps.state.setActor(world, actor, toState(inventory), ctx.tick);
}

function problems(kind: string, error: z.ZodError): string {
  return `${kind}: ${error.issues.map((i) => `${i.path.join(".") || "effect"}: ${i.message}`).join("; ")}`;
}

export function createTransferGold(deps: ItemsDeps): EffectKind {
  return {
    kind: "transfer-gold",
    apply(ctx, effect) {
      // The common, well-formed effect skips zod (this runs inside the tick); zod names what is wrong otherwise.
      const e = effect as { fromId?: unknown; toId?: unknown; amount?: unknown };
      const ok = typeof e.fromId === "string" && typeof e.toId === "string" && Number.isInteger(e.amount) && (e.amount as number) >= 0;
      const parsed = ok ? { success: true as const, data: e as z.output<typeof goldEffect> } : goldEffect.safeParse(effect);
      if (!parsed.success) return problems("transfer-gold", parsed.error);
      const error = transfer(deps, ctx, parsed.data, changeGold, parsed.data.amount);
      return error === null ? null : `transfer-gold: ${error}`;
    },
  };
}

export function createTransferItem(deps: ItemsDeps): EffectKind {
  return {
    kind: "transfer-item",
    apply(ctx, effect) {
      const e = effect as { fromId?: unknown; toId?: unknown; itemId?: unknown; count?: unknown };
      const ok = typeof e.fromId === "string" && typeof e.toId === "string" && typeof e.itemId === "string" && Number.isInteger(e.count) && (e.count as number) >= 1;
      const parsed = ok ? { success: true as const, data: e as z.output<typeof itemEffect> } : itemEffect.safeParse(effect);
      if (!parsed.success) return problems("transfer-item", parsed.error);
      const { itemId, count } = parsed.data;
      if (!deps.catalog.has(itemId)) return `transfer-item: no item "${itemId}"`;
      const error = transfer(deps, ctx, parsed.data, (inventory, delta) => changeItems(inventory, itemId, delta), count);
      return error === null ? null : `transfer-item: ${error}`;
    },
  };
}
