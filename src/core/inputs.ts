/**
 * Applying external inputs (seed 002 §1–§2). `join` and `leave` change the actor set at once;
 * `set-stats` (admin runtime overrides) and `modify` (a stat modifier) change stats at once, with the
 * tick about to run (`world.tick + 1`) as their application tick, so a `{ ticks: n }` modifier is in
 * effect for exactly n tick results; `act` queues an intent of a registered action kind (actions.ts)
 * for the next tick, where the latest intent of a kind wins.
 */
import { queueAction } from "./actions.ts";
import { modifyActor, setRuntimeStats } from "./actor-stats.ts";
import type { Dir } from "./directions.ts";
import { setActorState, setWorldState } from "./plugin-state.ts";
import type { Actor, Input, Result, World } from "./types.ts";
import { removeActor, spawnPlayer } from "./world.ts";

type InputOf<T extends Input["type"]> = Extract<Input, { type: T }>;

/**
 * What applying an input gives: the affected actor; for a world-level `set-state`, which touches no
 * actor, `null`.
 */
export type InputResult<I extends Input> = I extends { type: "set-state" } ? Result<Actor | null> : Result<Actor>;

/** One handler per input type: a table, so no input is handled by a branch hidden in a switch. */
const APPLY: { [T in Input["type"]]: (world: World, input: InputOf<T>) => InputResult<InputOf<T>> } = {
  join: (world, input) => spawnPlayer(world, input.name, { stats: input.stats, at: input.at, state: input.state }),
  leave: (world, input) => removeActor(world, input.actorId),
  act: (world, input) => queueAction(world, input.actorId, input.kind, input.payload),
  "set-stats": (world, input) => withActor(world, input.actorId, (actor) => setRuntimeStats(world, actor, input.values, world.tick + 1)),
  modify: (world, input) => withActor(world, input.actorId, (actor) => modifyActor(world, actor, input.modifier, world.tick + 1)),
  "set-state": applySetState,
};

/** `set-state`: a plugin's state set from outside the tick, journaled like any input. */
function applySetState(world: World, input: InputOf<"set-state">): Result<Actor | null> {
  if (input.actorId === undefined) {
    setWorldState(world, input.pluginId, input.value);
    return { ok: true, value: null };
  }
  return withActor(world, input.actorId, (actor) => {
    setActorState(world, actor, input.pluginId, input.value);
    return { ok: true, value: actor };
  });
}

/**
 * Applies one input. Returns the affected actor, or a rejection that changed nothing. A `join`
 * ignores its `actorId`: the world assigns the next player id.
 */
export function applyInput<I extends Input>(world: World, input: I): InputResult<I> {
  const apply = APPLY[input.type] as (world: World, input: I) => InputResult<I>;
  return apply(world, input);
}

function withActor(world: World, actorId: string, run: (actor: Actor) => Result<Actor>): Result<Actor> {
  const actor = world.byId.get(actorId);
  if (!actor) return { ok: false, code: "command/no-actor", message: `no actor "${actorId}" in world ${world.id}` };
  return run(actor);
}

/** The input of a `move` intent: `{ type: "act", actorId, kind: "move", payload: { dir } }`. */
export function moveInput(actorId: string, dir: Dir): Input {
  return { type: "act", actorId, kind: "move", payload: { dir } };
}
