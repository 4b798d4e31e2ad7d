/**
 * Behaviours (seed 002 §1, §5–§6): small records keyed by name, never a class hierarchy. A
 * behaviour's `reaction` is how an actor carrying it answers a push: promise a reaction (a method to
 * run one depth deeper), or refuse. Which behaviours can perform an intent is the action kind's
 * choice (actions.ts `control`), so a new kind needs no edit here.
 *
 * Push rules (issue 2, rule 2):
 * - Moveable steps one cell in the push direction, which may push the next actor.
 * - Frightened flees: the push direction if that cell is free, else the free side cell, left of the
 *   push direction first, then right; never back toward the pusher, and it never pushes anyone.
 * - Aggressive refuses, so the push fails, and records a retaliation against the pusher.
 * An actor with several behaviours reacts by the first of Aggressive, Frightened, Moveable it has;
 * an actor with none of them is immovable (it refuses, without retaliating).
 */
import type { Method } from "./actions.ts";
import { flee, step } from "./move.ts";
import type { BehaviourName, FailReason } from "./types.ts";

/** An answer to a push. */
export type Reaction =
  | { kind: "promise"; behaviour: BehaviourName; method: Method }
  | { kind: "refuse"; reason: FailReason; retaliate: boolean };

export interface Behaviour {
  readonly name: BehaviourName;
  readonly reaction: Reaction;
}

export const BEHAVIOURS: Readonly<Record<BehaviourName, Behaviour>> = {
  Moveable: { name: "Moveable", reaction: { kind: "promise", behaviour: "Moveable", method: step } },
  Frightened: { name: "Frightened", reaction: { kind: "promise", behaviour: "Frightened", method: flee } },
  Aggressive: { name: "Aggressive", reaction: { kind: "refuse", reason: "aggressive", retaliate: true } },
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
