/**
 * The replay tool's text output (`npm run replay`; `--json` prints the reports themselves). One
 * line per fact, the actors and ticks named; the first line of a clean verification is
 * `N ticks verified`, which CI looks for.
 */
import type { ChainEvent, FieldDiff, MoveExplanation } from "../../core/index.ts";
import type { Explanation } from "./explain.ts";
import type { ReplayPlan } from "./plan.ts";
import type { Divergence, VerifyReport } from "./verify.ts";

/** Where a replay started, in words. */
export function describeBase(plan: Pick<ReplayPlan, "base" | "baseTick">): string {
  return plan.base ? `the snapshot kept at tick ${plan.baseTick}` : "the world file at tick 0";
}

export function formatVerify(report: VerifyReport, plan: ReplayPlan): string {
  const range = report.to > report.baseTick ? `ticks ${report.baseTick + 1}–${report.to}` : `nothing journaled after tick ${report.baseTick}`;
  const closes = report.rebasedAt.length === 1 ? "the snapshot written when its room closed at tick" : "the snapshots written when its room closed at ticks";
  const rebased = report.rebasedAt.length > 0 ? `; went on from ${closes} ${report.rebasedAt.join(", ")}` : "";
  if (report.divergence === null) return `${report.verified} ticks verified (world ${report.worldId}, ${range}, replayed from ${describeBase(plan)}${rebased})\n`;
  const before = report.verified > 0 ? `ticks ${report.baseTick + 1}–${report.baseTick + report.verified} verified` : "no tick verified";
  return [`divergence at tick ${report.divergence.tick} in world ${report.worldId} (${before}, replayed from ${describeBase(plan)}${rebased})`, ...formatDivergence(report.divergence)].join("\n") + "\n";
}

export function formatDivergence(divergence: Divergence): string[] {
  const lines = divergence.problems.map((p) => `  ${p}`);
  const { comparedWith, diff } = divergence;
  if (comparedWith === null || diff === null) {
    lines.push(`no snapshot kept at or after tick ${divergence.tick} to compare states with (the journal records hashes, not states)`);
  } else if (diff.actors.length === 0 && diff.world.length === 0) {
    lines.push(`no actor differs from the snapshot kept at tick ${comparedWith}: the recorded hash of tick ${divergence.tick} is wrong, or the difference did not last`);
  } else {
    lines.push(`actors that differ from the snapshot kept at tick ${comparedWith} (replayed ≠ recorded):`);
    for (const actor of diff.actors) lines.push(`  ${actor.actorId}: ${formatFields(actor.fields)}`);
    if (diff.world.length > 0) lines.push(`  (world): ${formatFields(diff.world)}`);
  }
  lines.push(`tick ${divergence.tick}'s inputs and events name: ${divergence.touched.join(", ") || "no actor"}`);
  return lines;
}

function formatFields(fields: readonly FieldDiff[]): string {
  return fields.map((f) => `${f.field} ${JSON.stringify(f.replayed) ?? "absent"} ≠ ${JSON.stringify(f.recorded) ?? "absent"}`).join("; ");
}

export function formatExplanation(explanation: Explanation, plan: ReplayPlan): string {
  const failed = explanation.moves.filter((m) => !m.succeeded).length;
  const lines = [`${explanation.actorId} in world ${explanation.worldId}, ticks ${explanation.from}–${explanation.to} (replayed from ${describeBase(plan)}): ${explanation.moves.length} moves, ${failed} failed`];
  for (const move of explanation.moves) lines.push(...formatMove(move));
  const { divergence } = explanation;
  if (divergence !== null) lines.push(`warning: the replay differed from the journal at tick ${divergence.tick} (${divergence.problems.join("; ")}); moves from then on are as replayed`);
  return lines.join("\n") + "\n";
}

function formatMove(move: MoveExplanation): string[] {
  const outcome = move.succeeded ? (move.moved ? `moved [${move.moved.from.join(", ")}] → [${move.moved.to.join(", ")}]` : "succeeded") : `failed: ${move.reason}`;
  const lines = [`tick ${move.tick}  ${move.dir}  ${outcome}  (${move.source})`];
  if (move.chain.some((e) => e.type !== "moved")) for (const event of move.chain) lines.push(`    ${EVENT_LINES[event.type](event as never)}`);
  const stop = move.stoppedBy;
  if (stop !== null) {
    const who = stop.refusedId === null ? `${stop.actorId} at depth ${stop.depth}` : `${stop.actorId}, refusing ${stop.refusedId}'s push at depth ${stop.depth}`;
    lines.push(`  stopped by ${who}: ${stop.guard}`);
  }
  return lines;
}

type EventOf<T extends ChainEvent["type"]> = Extract<ChainEvent, { type: T }>;

/** One line per chain event type (a table, not a switch). */
const EVENT_LINES: { [T in ChainEvent["type"]]: (event: EventOf<T>) => string } = {
  pushed: (e) => `${e.actorId} pushed ${e.targetId} ${e.dir} (depth ${e.depth})`,
  refused: (e) => `${e.actorId} refused ${e.byId}'s push: ${e.reason}`,
  retaliated: (e) => `${e.actorId} retaliated against ${e.targetId} (${e.damage} damage)`,
  blocked: (e) => `${e.actorId} failed at depth ${e.depth}: ${e.reason}`,
  moved: (e) => `${e.actorId} moved [${e.fromX}, ${e.fromY}] → [${e.x}, ${e.y}]`,
  downed: (e) => `${e.actorId} was downed until tick ${e.respawnAt}`,
};
