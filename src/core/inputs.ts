/**
 * Applying external inputs (seed 002 §1–§2): `join` and `leave` change the actor set at once,
 * `set-stats` (admin runtime overrides) and `modify` (a stat modifier) change stats at once, with
 * the tick about to run (`world.tick + 1`) as their application tick, so a `{ ticks: n }` modifier
 * is in effect for exactly n tick results, and
 * `move` is translated through the actor's behaviour controls into an ActorAction queued for the
 * next tick. At most one move per actor takes effect per tick: a later move replaces an earlier
 * one queued in the same tick (the latest wins).
 */
import { controlFor } from "./behaviours.ts";
import type { Dir } from "./directions.ts";
import type { Actor, ActorAction, Input, Result, World } from "./types.ts";
import { modifyActor, setRuntimeStats } from "./actor-stats.ts";
import { removeActor, spawnPlayer } from "./world.ts";

/**
 * Applies one input. Returns the affected actor, or a rejection that changed nothing. A `join`
 * ignores its `actorId`: the world assigns the next player id.
 */
export function applyInput(world: World, input: Input): Result<Actor> {
  switch (input.type) {
    case "join":
      return spawnPlayer(world, input.name, { stats: input.stats, at: input.at });
    case "leave":
      return removeActor(world, input.actorId);
    case "move":
      return queueMove(world, input.actorId, input.dir);
    case "set-stats":
      return withActor(world, input.actorId, (actor) => setRuntimeStats(world, actor, input.values, world.tick + 1));
    case "modify":
      return withActor(world, input.actorId, (actor) => modifyActor(world, actor, input.modifier, world.tick + 1));
  }
}

function withActor(world: World, actorId: string, run: (actor: Actor) => Result<Actor>): Result<Actor> {
  const actor = world.byId.get(actorId);
  if (!actor) return { ok: false, code: "command/no-actor", message: `no actor "${actorId}" in world ${world.id}` };
  return run(actor);
}

/** Queues a move for `actorId`, replacing a move already queued this tick. */
export function queueMove(world: World, actorId: string, dir: Dir): Result<Actor> {
  const actor = world.byId.get(actorId);
  if (!actor) return { ok: false, code: "command/no-actor", message: `no actor "${actorId}" in world ${world.id}` };
  if (actor.respawnAt >= 0) return { ok: false, code: "command/downed", message: `actor ${actorId} is downed until tick ${actor.respawnAt}` };
  const control = controlFor(actor, "move");
  if (!control) {
    return { ok: false, code: "command/no-control", message: `actor ${actorId} has no behaviour that can move (${actor.behaviours.join(", ") || "none"})` };
  }
  const action: ActorAction = { actor, behaviour: control.behaviour, method: control.method, dir, attempts: 0, depth: 0 };
  if (actor.queue === null) world.queued.push(actor);
  actor.queue = [action];
  return { ok: true, value: actor };
}
