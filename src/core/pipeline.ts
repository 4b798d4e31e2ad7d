/**
 * The actor command pipeline (seed 002 §2–§8).
 *
 * Drain order: actors in pipeline order (initiative descending, then id ascending), and each
 * actor's queued root actions in arrival order. Each root action is resolved depth-first:
 *
 *   execute(action):
 *     run the behaviour method
 *     done            → keep the change
 *     failed (wall …) → fail, no message
 *     conflict with the occupant of the target cell:
 *       1. roll back the mover's change; the mover is blocked for the tick;
 *       2. push message through the broker to the occupant (ban list, depth guard);
 *       3. the occupant promises a reaction, which runs one depth deeper (recursively);
 *       4. once the reaction settled, retry the original action (at most MAX_ATTEMPTS runs).
 *
 * A root action that fails rolls back every change made while resolving it, so a chain is atomic:
 * either the whole line moves or nobody in it does (rule 3). `moved` events are emitted only when a
 * root action commits, in the order the moves happened. The ban list and blocked flags are guards,
 * not world state: a rollback leaves them set for the rest of the tick.
 */
import { sendPush } from "./broker.ts";
import type { TickContext } from "./tick-context.ts";
import type { Actor, ActorAction, FailReason } from "./types.ts";
import { commitUndo, markUndo, rollbackTo } from "./undo-log.ts";

/** Runs of one action: the first try, and retries after its push reactions settled. */
export const MAX_ATTEMPTS = 3;

/** Drains every queued root action of `ctx.world`, in pipeline order. */
export function drainPipeline(ctx: TickContext): void {
  const emitMoved = (actor: Actor, fromX: number, fromY: number): void => {
    ctx.events.push({ type: "moved", actorId: actor.id, fromX, fromY, x: actor.x, y: actor.y });
  };
  const { world } = ctx;
  const ranks = Int32Array.from(world.queued, (actor) => actor.rank).sort();
  world.queued.length = 0;
  for (const rank of ranks) {
    const actor = world.order[rank]!;
    const queue = actor.queue;
    if (queue === null) continue; // downed earlier in this tick: its actions are dropped
    actor.queue = null;
    for (const action of queue) {
      if (executeAction(ctx, action) === true) commitUndo(ctx.undo, world, emitMoved);
      else rollbackTo(ctx.undo, world, 0);
    }
  }
}

/**
 * Executes one action and, on a conflict, its push and reaction, then retries. Returns `true` when
 * the action took effect, else the reason it failed (a reaction's failure propagates to the pusher).
 * On failure every change made since the action began is rolled back.
 */
export function executeAction(ctx: TickContext, action: ActorAction): true | FailReason {
  const mark = markUndo(ctx.undo);
  const { method } = action;
  ctx.counts.actions++;
  for (;;) {
    action.attempts++;
    const outcome = method(ctx, action);
    if (outcome === true) return true;
    const reason = typeof outcome === "string" ? outcome : resolveConflict(ctx, action, outcome);
    if (reason === undefined && action.attempts < MAX_ATTEMPTS) continue;
    return failAction(ctx, action, reason ?? "attempts", mark);
  }
}

/** Steps 1–3 of a conflict. Returns undefined when the occupant's reaction took effect. */
function resolveConflict(ctx: TickContext, action: ActorAction, occupant: Actor): FailReason | undefined {
  ctx.counts.conflicts++;
  action.actor.blockedTick = ctx.tick;
  const promise = sendPush(ctx, action, occupant);
  if (typeof promise === "string") return promise;
  const settled = executeAction(ctx, promise.reaction);
  return settled === true ? undefined : settled;
}

function failAction(ctx: TickContext, action: ActorAction, reason: FailReason, mark: number): FailReason {
  if (ctx.undo.length > mark || action.actor.blockedTick === ctx.tick) ctx.counts.rollbacks++;
  rollbackTo(ctx.undo, ctx.world, mark);
  ctx.events.push({ type: "blocked", actorId: action.actor.id, reason, depth: action.depth });
  return reason;
}
