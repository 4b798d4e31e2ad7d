/**
 * Action kinds: the open seam of the actor command pipeline (issue 9 §1, seed 002 §1–§3).
 *
 * An action kind is registered, never added to a switch. It declares:
 * - `name`, the kind's id in inputs and in the journal (`{ type: "act", kind, payload }`);
 * - `payload`, a zod schema of what a client may send for it, checked at the edge (rooms/, HTTP):
 *   the core trusts a payload that reached it;
 * - `control(actor, payload)`: which of the actor's behaviours performs the intent, with which
 *   method and in which direction (the direction a conflict pushes in), or a rejection value;
 * and its method is what resolves it inside the pipeline: `true` (done), a fail reason, or the actor
 * it conflicts with, which the pipeline turns into a push (pipeline.ts, broker.ts).
 *
 * The registry travels with the world (`World.rules.actions`, rules.ts), so a restored or replayed world resolves
 * actions with the kinds it was given, never with whatever module happens to be imported.
 * "Latest wins" holds per actor and per kind: a second intent of one kind in a tick replaces the
 * first, and takes its place at the end: intents run in the order their latest versions arrived.
 */
import type { z } from "zod";
import type { Dir } from "./directions.ts";
import type { TickContext } from "./tick-context.ts";
import type { Actor, ActorAction, BehaviourName, FailReason, Result, World } from "./types.ts";

/** What one run of a method gives: done, failed (no message), or the occupant it conflicts with. */
export type MethodOutcome = true | FailReason | Actor;

/** What executing an action does to the world; writes go through the tick's undo log. */
export type Method = (ctx: TickContext, action: ActorAction) => MethodOutcome;

/** How an actor performs an intent: its behaviour, the method, and the action's direction. */
export interface Control {
  behaviour: BehaviourName;
  method: Method;
  /** Direction of the action: a conflict pushes the occupant this way. */
  dir: Dir;
}

export interface ActionKind<P = unknown> {
  /** Unique kind name, for example `move`: 1–64 of `a-z 0-9 - :`. */
  readonly name: string;
  /** Schema of a client's payload, applied at the edge (never inside the core). */
  readonly payload: z.ZodType<P>;
  /** The actor's way to perform `payload`, or why it cannot (a rejection changes nothing). */
  control(actor: Actor, payload: P): Result<Control>;
}

/** The action kinds a world resolves, by name. */
export interface ActionRegistry {
  readonly kinds: ReadonlyMap<string, ActionKind>;
}

const KIND_NAME = /^[a-z0-9][a-z0-9:-]{0,63}$/;

/** Typed identity: declares a kind with its payload type inferred from the schema. */
export function defineActionKind<P>(kind: ActionKind<P>): ActionKind<P> {
  return kind;
}

/** A registry of `kinds`. Throws on a malformed or duplicate name (a start-up error). */
export function createActionRegistry(kinds: readonly ActionKind[]): ActionRegistry {
  const byName = new Map<string, ActionKind>();
  for (const kind of kinds) {
    if (!KIND_NAME.test(kind.name)) throw new Error(`action kind "${kind.name}": a name is 1–64 of a-z 0-9 - :`);
    if (byName.has(kind.name)) throw new Error(`action kind "${kind.name}" is registered twice`);
    byName.set(kind.name, kind as ActionKind);
  }
  return { kinds: byName };
}

/**
 * Queues `actorId`'s intent of `kind` for the next tick, replacing one of the same kind queued this
 * tick. Rejects `command/no-actor`, `command/downed`, `command/unknown-type` (no such kind in this
 * world) or whatever the kind's control refuses; a rejection changes nothing.
 */
export function queueAction(world: World, actorId: string, kindName: string, payload: unknown): Result<Actor> {
  const actor = world.byId.get(actorId);
  if (!actor) return { ok: false, code: "command/no-actor", message: `no actor "${actorId}" in world ${world.id}` };
  if (actor.respawnAt >= 0) return { ok: false, code: "command/downed", message: `actor ${actorId} is downed until tick ${actor.respawnAt}` };
  const kind = world.rules.actions.kinds.get(kindName);
  if (!kind) return { ok: false, code: "command/unknown-type", message: `world ${world.id} has no action kind "${kindName}"` };
  const control = kind.control(actor, payload);
  if (!control.ok) return control;
  const { behaviour, method, dir } = control.value;
  const action: ActorAction = { actor, kind: kind.name, behaviour, method, dir, payload, attempts: 0, depth: 0 };
  if (actor.queue === null) {
    world.queued.push(actor);
    actor.queue = [action];
  } else {
    const same = actor.queue.findIndex((queued) => queued.kind === kind.name);
    if (same >= 0) actor.queue.splice(same, 1);
    actor.queue.push(action);
  }
  return { ok: true, value: actor };
}
