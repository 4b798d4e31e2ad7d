/**
 * `npm run replay -- --world <id>`: replays a range and checks every tick's recomputed state hash
 * against the journal's (issue 12). It stops checking at the first divergence and says which
 * actors differ and how.
 *
 * The journal keeps inputs and one hash per tick, not the state, so the state that was recorded is
 * known only where a snapshot was kept. After a divergence the replay goes on to the nearest kept
 * snapshot at or after that tick and compares the two field by field (core `diffSnapshots`); with
 * none there, it names the actors the diverging tick's inputs and events touched.
 */
import { describeReplayProblem, diffSnapshots, replayEntry, snapshotWorld, type SnapshotDiff, type TickEvent, type WorldRules } from "../../core/index.ts";
import type { Store } from "../store.ts";
import type { ReplayPlan } from "./plan.ts";
import { startReplay, type Replay, type ReplayStep } from "./run.ts";

export interface Divergence {
  tick: number;
  /** What differed, one line each (`tick 4: hash …, journal says …`). */
  problems: string[];
  /** Actors the tick's inputs and events name, sorted. */
  touched: string[];
  /** Tick of the kept snapshot the replayed state was compared with, or null when none was kept at or after the tick. */
  comparedWith: number | null;
  /** How the replayed state differs from that snapshot, or null. */
  diff: SnapshotDiff | null;
}

export interface VerifyReport {
  worldId: string;
  /** The tick the replay started from (0: the world file's fresh world). */
  baseTick: number;
  /** Last tick replayed. */
  to: number;
  /** Ticks whose recomputed hash equalled the journal's, before any divergence. */
  verified: number;
  /** Ticks after which the replay went on from a kept snapshot written at close (run.ts). */
  rebasedAt: number[];
  divergence: Divergence | null;
}

/** Replays `plan` with `rules` and checks it (see the module header). */
export function verifyJournal(store: Store, plan: ReplayPlan, rules: WorldRules): VerifyReport {
  return checkReplay(store, plan, startReplay(plan, rules));
}

/** Runs `replay` (of `plan`) to its end, checking each tick; `replay.sim` then holds the state reached. */
export function checkReplay(store: Store, plan: ReplayPlan, replay: Replay): VerifyReport {
  const report: VerifyReport = { worldId: plan.def.id, baseTick: plan.baseTick, to: plan.to, verified: 0, rebasedAt: [], divergence: null };
  for (const step of replay.steps()) {
    if (step.problems.length > 0) {
      report.divergence = describeDivergence(store, replay, step);
      break;
    }
    report.verified++;
    if (step.rebased) report.rebasedAt.push(step.entry.tick);
  }
  return report;
}

function describeDivergence(store: Store, replay: Replay, step: ReplayStep): Divergence {
  const { tick } = step.entry;
  const problems = step.problems.map((p) => describeReplayProblem(tick, p));
  const touched = touchedBy(step.entry.inputs, step.result?.events ?? []);
  const recorded = store.snapshotsOf(replay.sim.world.id).find((s) => s.snapshot.tick >= tick);
  if (step.result === undefined || recorded === undefined) return { tick, problems, touched, comparedWith: null, diff: null };
  for (const entry of store.journalBetween(replay.sim.world.id, tick, recorded.snapshot.tick)) {
    if (replayEntry(replay.sim, entry).result === undefined) return { tick, problems, touched, comparedWith: null, diff: null };
  }
  return { tick, problems, touched, comparedWith: recorded.snapshot.tick, diff: diffSnapshots(snapshotWorld(replay.sim.world), recorded.snapshot) };
}

function touchedBy(inputs: ReplayStep["entry"]["inputs"], events: readonly TickEvent[]): string[] {
  const ids = new Set<string>();
  for (const input of inputs) if (input.actorId) ids.add(input.actorId);
  // Plugins' event types may name actors otherwise, or not at all: only string ids count.
  for (const event of events as ReadonlyArray<Record<string, unknown>>) {
    for (const field of ["actorId", "targetId", "byId"]) if (typeof event[field] === "string") ids.add(event[field]);
  }
  return [...ids].sort();
}
