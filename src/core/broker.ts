/**
 * The message broker (seed 002 §4–§5, §8). A conflicting mover sends a push message to the occupant
 * of the cell it wanted; the occupant answers at once with a promise (a reaction action one depth
 * deeper) or a refusal. Promises are plain records settled inside the tick by the pipeline, in
 * pipeline order, never JS Promises.
 *
 * Guards, checked in this order, each a refusal with its reason:
 * 1. `banned`: at most one message per sender→receiver pair per tick;
 * 2. `depth`: the reaction would be deeper than {@link MAX_DEPTH};
 * 3. `blocked`: the receiver was blocked by a conflict of its own this tick;
 * 4. `already-moved`: the receiver already moved this tick (one cell per tick);
 * 5. `downed`: the receiver is downed (health 0) and is not pushable until it respawns;
 * 6. the receiver's behaviour refuses (`aggressive`, `immovable`); an Aggressive receiver also
 *    retaliates, damaging the pusher (actor-stats.ts).
 */
import { retaliate } from "./actor-stats.ts";
import type { TickContext } from "./tick-context.ts";
import type { Actor, ActorAction, FailReason } from "./types.ts";

/** Deepest reaction allowed: a line of 5 pushed actors can move, a sixth cannot (seed 002, "5 levels"). */
export const MAX_DEPTH = 5;

/** A kept promise: the receiver will run `reaction` before the sender retries. */
export interface PushPromise {
  receiver: Actor;
  reaction: ActorAction;
}

/**
 * Sends a push from `action`'s actor to `receiver`, in `action.dir`. Returns the receiver's promise,
 * or the reason it refused. Records `pushed`, `refused` and `retaliated` events.
 */
export function sendPush(ctx: TickContext, action: ActorAction, receiver: Actor): PushPromise | FailReason {
  const sender = action.actor;
  if (isBanned(ctx.tick, sender, receiver)) return refuse(ctx, sender, receiver, "banned");
  ban(ctx.tick, sender, receiver);
  ctx.counts.pushes++;
  ctx.events.push({ type: "pushed", actorId: sender.id, targetId: receiver.id, dir: action.dir, depth: action.depth });
  if (action.depth + 1 > MAX_DEPTH) return refuse(ctx, sender, receiver, "depth");
  if (receiver.blockedTick === ctx.tick) return refuse(ctx, sender, receiver, "blocked");
  if (receiver.movedTick === ctx.tick) return refuse(ctx, sender, receiver, "already-moved");
  if (receiver.respawnAt >= 0) return refuse(ctx, sender, receiver, "downed");
  const reaction = receiver.reaction;
  if (reaction.kind === "refuse") {
    if (reaction.retaliate) {
      const damage = retaliate(ctx.world, receiver, sender, ctx.tick, ctx.events);
      ctx.events.push({ type: "retaliated", actorId: receiver.id, targetId: sender.id, damage });
    }
    return refuse(ctx, sender, receiver, reaction.reason);
  }
  return {
    receiver,
    reaction: { actor: receiver, kind: action.kind, behaviour: reaction.behaviour, method: reaction.method, dir: action.dir, payload: action.payload, attempts: 0, depth: action.depth + 1 },
  };
}

/** The ban list lives on the sender: the receivers it pushed this tick (a handful at most). */
function isBanned(tick: number, sender: Actor, receiver: Actor): boolean {
  if (sender.bannedTick !== tick) return false;
  for (let i = 0; i < sender.bannedCount; i++) if (sender.bannedSlots[i] === receiver.slot) return true;
  return false;
}

function ban(tick: number, sender: Actor, receiver: Actor): void {
  if (sender.bannedTick !== tick) {
    sender.bannedTick = tick;
    sender.bannedCount = 0;
  }
  sender.bannedSlots[sender.bannedCount++] = receiver.slot;
}

function refuse(ctx: TickContext, sender: Actor, receiver: Actor, reason: FailReason): FailReason {
  ctx.events.push({ type: "refused", actorId: receiver.id, byId: sender.id, reason });
  return reason;
}
