/**
 * Behaviours (seed 002 §1, §5–§6): small records keyed by name, never a class hierarchy.
 * - `controls` translate an input into a method of the behaviour (input → ActorAction).
 * - `react` is how an actor carrying the behaviour answers a push: promise a reaction (a method to
 *   run one depth deeper), or refuse.
 *
 * Push rules (issue 2, rule 2):
 * - Moveable steps one cell in the push direction, which may push the next actor.
 * - Frightened flees: the push direction if that cell is free, else the free side cell, left of the
 *   push direction first, then right; never back toward the pusher, and it never pushes anyone.
 * - Aggressive refuses, so the push fails, and records a retaliation against the pusher.
 * An actor with several behaviours reacts by the first of Aggressive, Frightened, Moveable it has;
 * an actor with none of them is immovable (it refuses, without retaliating).
 */
import type { Actor, BehaviourName, FailReason, MethodName } from "./types.ts";

/** An answer to a push. */
export type Reaction =
  | { kind: "promise"; behaviour: BehaviourName; method: MethodName }
  | { kind: "refuse"; reason: FailReason; retaliate: boolean };

export interface Behaviour {
  readonly name: BehaviourName;
  /** Input type → method. Every behaviour here walks, so each maps `move` to `step`. */
  readonly controls: { readonly move?: MethodName };
  readonly reaction: Reaction;
}

export const BEHAVIOURS: Readonly<Record<BehaviourName, Behaviour>> = {
  Moveable: {
    name: "Moveable",
    controls: { move: "step" },
    reaction: { kind: "promise", behaviour: "Moveable", method: "step" },
  },
  Frightened: {
    name: "Frightened",
    controls: { move: "step" },
    reaction: { kind: "promise", behaviour: "Frightened", method: "flee" },
  },
  Aggressive: {
    name: "Aggressive",
    controls: { move: "step" },
    reaction: { kind: "refuse", reason: "aggressive", retaliate: true },
  },
};

/** Reaction precedence when an actor has several behaviours. */
const REACTION_ORDER: readonly BehaviourName[] = ["Aggressive", "Frightened", "Moveable"];
const IMMOVABLE: Reaction = { kind: "refuse", reason: "immovable", retaliate: false };

/** How an actor with `behaviours` answers a push, by the precedence above. Cached on the actor. */
export function reactionOf(behaviours: readonly BehaviourName[]): Reaction {
  for (const name of REACTION_ORDER) {
    if (behaviours.includes(name)) return BEHAVIOURS[name].reaction;
  }
  return IMMOVABLE;
}

/** The first of the actor's behaviours (in its own order) with a control for `input`, if any. */
export function controlFor(actor: Actor, input: keyof Behaviour["controls"]): { behaviour: BehaviourName; method: MethodName } | undefined {
  for (const name of actor.behaviours) {
    const method = BEHAVIOURS[name].controls[input];
    if (method) return { behaviour: name, method };
  }
  return undefined;
}
