/**
 * Stat writes inside the tick (issue 9 §1 "General undo log"; the `stats:write` capability): a
 * plugin's action may damage, heal or buff an actor, and if the action or its chain fails, the
 * write rolls back with everything else, downing included.
 *
 * Before the write, the actor's whole stat state is recorded in the tick's undo log: runtime
 * values, modifiers, `respawnAt` and queued actions, and how many events the tick had. A rollback
 * puts them back (effective values, hash share and the world's `modified`/`downed` sets follow)
 * and removes the `stats` and `downed` events this actor got since, so no subscriber hears of a
 * change that did not happen. Other events of the action (`pushed`, `blocked` …) stay: they
 * describe what was tried.
 */
import { changeStats, modifyActor, removeActorModifiers, setRuntimeStats } from "./actor-stats.ts";
import type { TickContext } from "./tick-context.ts";
import type { ModifierSpec, StatValues } from "../stats/types.ts";
import type { Actor, Result } from "./types.ts";
import { recordWrite } from "./undo-log.ts";

/** Sets runtime values (definition → axis → integer) of `actor` in the running tick, undoably. */
export function setStatsInTick(ctx: TickContext, actor: Actor, values: StatValues): Result<Actor> {
  recordStats(ctx, actor);
  return setRuntimeStats(ctx.world, actor, values, ctx.tick, ctx.events);
}

/** Applies `modifier` to `actor` in the running tick, undoably (an instant one changes the runtime value). */
export function modifyInTick(ctx: TickContext, actor: Actor, modifier: ModifierSpec): Result<Actor> {
  recordStats(ctx, actor);
  return modifyActor(ctx.world, actor, modifier, ctx.tick, ctx.events);
}

/**
 * Removes every modifier of `actor` with `source` in the running tick, undoably (an unequipped
 * item's). Returns how many were removed; with none, nothing is written or recorded.
 */
export function removeModifiersInTick(ctx: TickContext, actor: Actor, source: string): number {
  if (!actor.stats.modifiers.some((m) => m.source === source)) return 0;
  recordStats(ctx, actor);
  return removeActorModifiers(ctx.world, actor, source, ctx.tick, ctx.events);
}

function recordStats(ctx: TickContext, actor: Actor): void {
  const { world, events } = ctx;
  const runtime = actor.stats.runtime.slice();
  const modifiers = actor.stats.modifiers.map((m) => ({ ...m }));
  const { respawnAt, queue } = actor;
  const eventsAt = events.length;
  recordWrite(ctx.undo, () => {
    changeStats(world, actor, () => {
      actor.stats.runtime.set(runtime);
      actor.stats.modifiers.splice(0, actor.stats.modifiers.length, ...modifiers);
      actor.respawnAt = respawnAt;
    });
    actor.queue = queue;
    if (respawnAt < 0) world.downed.delete(actor);
    else world.downed.add(actor);
    for (let i = events.length - 1; i >= eventsAt; i--) {
      const event = events[i]!;
      if ((event.type === "stats" || event.type === "downed") && event.actorId === actor.id) events.splice(i, 1);
    }
  });
}
