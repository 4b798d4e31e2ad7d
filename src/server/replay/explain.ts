/**
 * Explaining an actor's moves over a tick range (issue 12 "Explain a failed move"), for
 * `npm run replay -- --explain <actorId>` and `GET /api/admin/worlds/:id/explain`: the range is
 * replayed from the journal (run.ts) with the world's rules traced (core explain.ts), and each move
 * of the actor in the range is told with its events, whether it succeeded and, if not, where the
 * chain stopped and which guard stopped it.
 */
import { describeReplayProblem, explainMoves, traceRootActions, type MoveExplanation, type RootAction, type WorldRules } from "../../core/index.ts";
import type { ReplayPlan } from "./plan.ts";
import { forEachPaced, startReplay, type ReplayStep } from "./run.ts";

export interface Explanation {
  worldId: string;
  actorId: string;
  /** The range asked for, inclusive. */
  from: number;
  to: number;
  /** The tick the replay started from (0: the world file's fresh world). */
  baseTick: number;
  /** The actor's moves in the range, oldest first. */
  moves: MoveExplanation[];
  /**
   * The first tick whose replay differed from the journal, or null. Moves after it are explained as
   * replayed, which may not be what happened; `npm run replay` says how it differs.
   */
  divergence: { tick: number; problems: string[] } | null;
}

/** Explains synchronously (the CLI). */
export function explainActor(plan: ReplayPlan, rules: WorldRules, actorId: string): Explanation {
  const explainer = createExplainer(plan, rules, actorId);
  for (const step of explainer.steps()) explainer.take(step);
  return explainer.explanation;
}

/** Explains, yielding to the event loop between batches of ticks (the admin route, in a running server). */
export async function explainActorPaced(plan: ReplayPlan, rules: WorldRules, actorId: string): Promise<Explanation> {
  const explainer = createExplainer(plan, rules, actorId);
  await forEachPaced(explainer.steps(), explainer.take);
  return explainer.explanation;
}

function createExplainer(plan: ReplayPlan, rules: WorldRules, actorId: string) {
  let roots: RootAction[] = [];
  const replay = startReplay(plan, traceRootActions(rules, (root) => roots.push(root)));
  const explanation: Explanation = { worldId: plan.def.id, actorId, from: plan.from, to: plan.to, baseTick: plan.baseTick, moves: [], divergence: null };
  return {
    explanation,
    steps: () => replay.steps(),
    take(step: ReplayStep): void {
      const { entry, result } = step;
      if (explanation.divergence === null && step.problems.length > 0) {
        explanation.divergence = { tick: entry.tick, problems: step.problems.map((p) => describeReplayProblem(entry.tick, p)) };
      }
      if (result !== undefined && entry.tick >= plan.from) explanation.moves.push(...explainMoves(entry.tick, result.events, roots, entry.inputs, actorId));
      roots = [];
    },
  };
}
