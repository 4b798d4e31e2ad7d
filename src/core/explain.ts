/**
 * Explaining moves from a tick's events (issue 12 "Explain a failed move").
 *
 * The journal holds inputs and hashes only, so an explanation re-runs the ticks (a replay) and reads
 * what the pipeline recorded: `pushed`, `refused`, `retaliated`, `blocked` and `moved` events, in the
 * order they happened. What the events do not say is where one root action's events end and the
 * next one's begin; {@link traceRootActions} learns it by registering, not by editing the pipeline:
 * it wraps every action kind of a world's rules so that the first run of each root action (depth 0,
 * attempt 1) reports the actor, the kind, the direction and the index of the next event. A root
 * action's events are then the slice up to the next root action's first run (its commit's `moved`
 * events come right after its last run, before the next root starts).
 *
 * In a failed root action, the first `refused` or `blocked` event is where the chain stopped: a
 * reaction's failure always fails its pusher (pipeline.ts), so everything after it is the rollback
 * walking back up the chain.
 */
import { createActionRegistry, type ActionKind } from "./actions.ts";
import { MAX_DEPTH } from "./broker.ts";
import type { Dir } from "./directions.ts";
import type { TickEventMap } from "./events.ts";
import { MAX_ATTEMPTS } from "./pipeline.ts";
import type { WorldRules } from "./rules.ts";
import type { FailReason, Input, TickEvent } from "./types.ts";

/** The first run of a root action (an actor's own intent, depth 0) in a tick. */
export interface RootAction {
  actorId: string;
  kind: string;
  dir: Dir;
  /** Index in the tick's events of the first event this action caused. */
  firstEvent: number;
}

/**
 * `rules` with every action kind wrapped to call `onRoot` at the first run of each root action; the
 * wrapped methods return what the originals return, so the world, its hash and its events are the
 * same. For replays only: the rules of a running world are never wrapped.
 */
export function traceRootActions(rules: WorldRules, onRoot: (root: RootAction) => void): WorldRules {
  const traced = [...rules.actions.kinds.values()].map((kind): ActionKind => ({
    name: kind.name,
    payload: kind.payload,
    control(actor, payload) {
      const control = kind.control(actor, payload);
      if (!control.ok) return control;
      const { method } = control.value;
      return {
        ok: true,
        value: {
          ...control.value,
          method: (ctx, action) => {
            if (action.depth === 0 && action.attempts === 1) onRoot({ actorId: action.actor.id, kind: action.kind, dir: action.dir, firstEvent: ctx.events.length });
            return method(ctx, action);
          },
        },
      };
    },
  }));
  return { actions: createActionRegistry(traced), brains: rules.brains, schedules: rules.schedules };
}

/** Events that make up a push chain, as the pipeline recorded them. */
export type ChainEvent = TickEventMap["pushed" | "refused" | "retaliated" | "blocked" | "moved" | "downed"];

const CHAIN_TYPES: ReadonlySet<string> = new Set<ChainEvent["type"]>(["pushed", "refused", "retaliated", "blocked", "moved", "downed"]);

/** Where a failed chain stopped: the first refusal or failed action in it. */
export interface Stopper {
  /** The actor that refused a push, or whose own action failed. */
  actorId: string;
  /** The pusher it refused; null when its action failed (a wall, cornered …). */
  refusedId: string | null;
  reason: FailReason;
  /** Depth of the failed action (0: the mover's own), or for a refusal of the push it refused. */
  depth: number;
  /** The rule that stopped it, in words, with where the rule comes from ({@link GUARDS}). */
  guard: string;
}

/** One move of an actor and how it went. */
export interface MoveExplanation {
  tick: number;
  dir: Dir;
  /** `input`: the journal holds a move of this actor for the tick (a client or the HTTP API); `brain`: its AI queued it. */
  source: "input" | "brain";
  succeeded: boolean;
  /** The cells ([x, y]) it moved between, or null when it did not move. */
  moved: { from: [number, number]; to: [number, number] } | null;
  /** Why it failed, or null. */
  reason: FailReason | null;
  stoppedBy: Stopper | null;
  /** The pipeline's events of this move, in order. */
  chain: ChainEvent[];
}

/** What each reason means, and where the rule comes from (seed 002, broker.ts, move.ts). */
export const GUARDS: Readonly<Record<FailReason, string>> = {
  wall: "a wall: the cell is not floor (move.ts)",
  "out-of-bounds": "the edge of the map (move.ts)",
  "already-moved": "one cell per tick: the actor already moved this tick (rule 4)",
  banned: "pair guard: one message per sender→receiver pair per tick (seed 002 §8, broker.ts guard 1)",
  depth: `depth guard: reactions at most ${MAX_DEPTH} deep (seed 002 "5 levels", broker.ts guard 2)`,
  blocked: "blocked guard: an actor blocked by its own conflict this tick promises no reaction (seed 002 §5, broker.ts guard 3)",
  aggressive: "Aggressive refusal: an Aggressive actor refuses every push and retaliates (behaviours.ts)",
  immovable: "immovable: the actor has no behaviour that reacts to a push (behaviours.ts)",
  cornered: "cornered: a Frightened actor found no free cell to flee to (move.ts flee)",
  attempts: `attempts guard: an action runs at most ${MAX_ATTEMPTS} times (pipeline.ts)`,
  downed: "downed: an actor with health 0 cannot act or be pushed until it respawns (broker.ts guard 5)",
  rejected: "the action's own rules refused it inside the tick (a plugin's check)",
  fault: "a plugin's method threw; the action was rolled back",
};

/**
 * The moves of `actorId` in one tick: its root actions of kind `move`, each with its events, the
 * outcome and, for a failure, where the chain stopped. `roots` are the tick's root actions in the
 * order they ran ({@link traceRootActions}); `inputs` the tick's journaled inputs.
 */
export function explainMoves(tick: number, events: readonly TickEvent[], roots: readonly RootAction[], inputs: readonly Input[], actorId: string): MoveExplanation[] {
  const out: MoveExplanation[] = [];
  roots.forEach((root, i) => {
    if (root.actorId !== actorId || root.kind !== "move") return;
    const chain = events.slice(root.firstEvent, roots[i + 1]?.firstEvent ?? events.length).filter((e): e is ChainEvent => CHAIN_TYPES.has(e.type));
    const own = chain.find((e): e is TickEventMap["moved"] => e.type === "moved" && e.actorId === actorId);
    const failed = lastOf(chain, (e): e is TickEventMap["blocked"] => e.type === "blocked" && e.actorId === actorId && e.depth === 0);
    const journaled = inputs.some((input) => input.type === "act" && input.kind === "move" && input.actorId === actorId);
    out.push({
      tick,
      dir: root.dir,
      source: journaled ? "input" : "brain",
      succeeded: failed === undefined,
      moved: own ? { from: [own.fromX, own.fromY], to: [own.x, own.y] } : null,
      reason: failed?.reason ?? null,
      stoppedBy: failed ? stopperOf(chain) : null,
      chain,
    });
  });
  return out;
}

/** The first refusal or failed action of a failed chain (see the module header). */
function stopperOf(chain: readonly ChainEvent[]): Stopper | null {
  for (let i = 0; i < chain.length; i++) {
    const event = chain[i]!;
    if (event.type === "blocked") return { actorId: event.actorId, refusedId: null, reason: event.reason, depth: event.depth, guard: GUARDS[event.reason] };
    if (event.type === "refused") {
      const push = lastOf(chain.slice(0, i), (e): e is TickEventMap["pushed"] => e.type === "pushed" && e.actorId === event.byId && e.targetId === event.actorId);
      const depth = push?.depth ?? 0;
      return { actorId: event.actorId, refusedId: event.byId, reason: event.reason, depth, guard: GUARDS[event.reason] };
    }
  }
  return null;
}

/** The last element of `list` that passes `test` (ES2022 has no `findLast`). */
function lastOf<T, S extends T>(list: readonly T[], test: (item: T) => item is S): S | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i]!;
    if (test(item)) return item;
  }
  return undefined;
}
