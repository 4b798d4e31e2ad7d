/**
 * `give_item` (issue 10 "items"): a player hands an NPC next to it an item it carries, and the NPC's
 * affinity toward the player rises by the item's value, capped.
 *
 * Which item: the interaction contract carries only `targetId` and `slotId` (a client's `interact`
 * may carry nothing else, so no one can send a config, a chance or a result), and the item is the
 * player's choice, not a config. So the choice is the player's own state, set by its own journaled
 * action before the gift:
 *
 *     offer { itemId }                                  → the item held out (items/not-held if not carried)
 *     interact { targetId, interactionId: "give_item" } → the dispatcher runs the gift
 *
 * Both may be sent together (they run in arrival order in the same tick). The offer stays until
 * another replaces it. The gift goes through the dispatcher like every interaction: the slot and
 * its config (`{ affinityPerValue, maxAffinity }`) are the NPC's in the world file, adjacency,
 * downed and rate checks apply, the attempt is audited, and its effects run in the tick's undo log:
 * `transfer-item` (one of the offered item, player → NPC), then `relationship` (affinity). When the
 * player no longer carries the offered item, `transfer-item` fails and the attempt is refused with
 * `interaction/effect-failed`, changing nothing. Without an offer the gift "succeeds" at nothing:
 * `success: false`, no effects, and a message saying to offer first.
 *
 * Affinity gained: ⌊value × affinityPerValue⌋, at most `maxAffinity` and what the axis has room
 * for (0, and no relationship effect, in a world without an `affinity` axis).
 */
import { z } from "zod";
import type { Effect, Interaction, InteractionContext } from "../interactions/contract.ts";
import { relationshipAxis, relationshipValue } from "../interactions/relationships.ts";
import type { ItemsDeps } from "./operations.ts";
import { offerOf } from "./world-state.ts";

/** The relationship axis a gift raises. */
export const GIFT_AXIS = "affinity";

export const giveConfigSchema = z.strictObject({
  /** Affinity per gold of the item's value, 0–100 (default 1: an item worth 5 gives 5). */
  affinityPerValue: z.number().min(0).max(100).default(1),
  /** Most affinity one gift gives, 0–100 (default 20). */
  maxAffinity: z.int().min(0).max(100).default(20),
});
export type GiveConfig = z.output<typeof giveConfigSchema>;

export function createGiveItem(deps: Pick<ItemsDeps, "catalog" | "state">): Interaction<GiveConfig> {
  return {
    id: "give_item",
    name: "Give item",
    configSchema: giveConfigSchema,
    isAvailable: (ctx) => (ctx.actor.kind !== "player" ? `${ctx.actor.id} is not a player: NPCs keep relationships with players only` : ctx.target.kind !== "npc" ? `${ctx.target.id} is a player: gifts are for NPCs` : true),
    execute(ctx) {
      const itemId = offerOf(deps.state, ctx.world, ctx.actor.id);
      const item = itemId === undefined ? undefined : deps.catalog.get(itemId);
      if (itemId === undefined || item === undefined) return { success: false, message: "You hold nothing out: send offer { itemId } first.", effects: [] };
      const gain = affinityGain(ctx, item.value);
      const effects: Effect[] = [{ kind: "transfer-item", fromId: ctx.actor.id, toId: ctx.target.id, itemId, count: 1 }];
      if (gain > 0) effects.push({ kind: "relationship", playerId: ctx.actor.id, npcId: ctx.target.id, axis: GIFT_AXIS, delta: gain });
      return { success: true, message: `${ctx.target.name} accepts the ${item.name}.`, effects };
    },
  };
}

function affinityGain(ctx: InteractionContext<GiveConfig>, value: number): number {
  const axis = relationshipAxis(ctx.world, GIFT_AXIS);
  if (axis === undefined) return 0;
  const room = axis.max - relationshipValue(ctx.world, ctx.actor, ctx.target.id, GIFT_AXIS)!;
  return Math.max(0, Math.min(Math.floor(value * ctx.config.affinityPerValue), ctx.config.maxAffinity, room));
}
