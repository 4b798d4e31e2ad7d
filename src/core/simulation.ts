/**
 * A simulation: a world, the inputs accepted for its next tick, and its journal window. This is the
 * contract rooms and tools use (after NetplayJS): `submitInput`, `stepSimulation`, snapshot and
 * restore, `replayJournal`. It never touches the network, the disk or the clock.
 */
import { appendJournal, createJournalWindow, type JournalEntry, type JournalWindow } from "./journal.ts";
import { applyInput, type InputResult } from "./inputs.ts";
import { stepWorld } from "./step.ts";
import type { Actor, Input, Result, TickResult, World } from "./types.ts";

export interface Simulation {
  readonly world: World;
  /** Inputs accepted since the last tick, in arrival order; they belong to the next tick. */
  pending: Input[];
  readonly journal: JournalWindow;
}

/** Default in-memory journal window: one minute at 20 Hz, in ticks. */
export const DEFAULT_JOURNAL_WINDOW = 1200;

export function createSimulation(world: World, journalWindow = DEFAULT_JOURNAL_WINDOW): Simulation {
  return { world, pending: [], journal: createJournalWindow(journalWindow) };
}

/**
 * Applies an input and, when accepted, records it for the next tick's journal entry. A `join`'s
 * `actorId` may be empty: the world assigns it, and the recorded input carries the assigned id.
 */
export function submitInput<I extends Input>(sim: Simulation, input: I): InputResult<I> {
  const result: Result<Actor | null> = applyInput(sim.world, input);
  if (result.ok) sim.pending.push(input.type === "join" ? { ...input, actorId: result.value!.id } : input);
  return result as InputResult<I>;
}

/** Runs one tick and journals it. */
export function stepSimulation(sim: Simulation): TickResult {
  const inputs = sim.pending;
  sim.pending = [];
  const { tick, events, hash, counts } = stepWorld(sim.world);
  appendJournal(sim.journal, { tick, inputs, hash });
  return { tick, inputs, events, hash, counts };
}

export interface ReplayReport {
  /** Ticks replayed. */
  replayed: number;
  /** Journal ticks whose recomputed hash differed, or whose inputs were rejected (first 10). */
  divergences: string[];
}

/** What went wrong replaying one journal entry (src/server/replay/ reports these per tick). */
export type ReplayProblem =
  /** The entry is not the tick after the world's: ticks are missing, nothing was replayed. */
  | { type: "gap"; worldTick: number }
  /** A recorded input the world refused (the recorded inputs are what players did: replay goes on). */
  | { type: "rejected-input"; input: Input; message: string }
  /** A recorded join whose actor got another id than the journal's. */
  | { type: "join-id"; assigned: string; recorded: string }
  /** The state hash after the tick differs from the recorded one. */
  | { type: "hash"; recomputed: string; recorded: string };

/** One journal entry replayed: the tick's result (undefined after a gap) and what went wrong. */
export interface ReplayedTick {
  entry: JournalEntry;
  result: TickResult | undefined;
  problems: ReplayProblem[];
}

/**
 * Replays one journal entry on `sim`: applies its inputs, steps, and compares the hash. An entry
 * that is not the tick after the world's is not replayed (a `gap`); a rejected input or a hash
 * difference is reported and the tick still runs (the recorded inputs are what players did).
 */
export function replayEntry(sim: Simulation, entry: JournalEntry): ReplayedTick {
  if (entry.tick !== sim.world.tick + 1) return { entry, result: undefined, problems: [{ type: "gap", worldTick: sim.world.tick }] };
  const problems: ReplayProblem[] = [];
  for (const input of entry.inputs) {
    const applied = submitInput(sim, input);
    if (!applied.ok) problems.push({ type: "rejected-input", input, message: applied.message });
    else if (input.type === "join" && applied.value!.id !== input.actorId) problems.push({ type: "join-id", assigned: applied.value!.id, recorded: input.actorId });
  }
  const result = stepSimulation(sim);
  if (result.hash !== entry.hash) problems.push({ type: "hash", recomputed: result.hash, recorded: entry.hash });
  return { entry, result, problems };
}

type ProblemOf<T extends ReplayProblem["type"]> = Extract<ReplayProblem, { type: T }>;

/** One line per problem type, naming the tick (a table, as inputs.ts's `APPLY`). */
const DESCRIBE: { [T in ReplayProblem["type"]]: (tick: number, problem: ProblemOf<T>) => string } = {
  gap: (tick, p) => `journal jumps from tick ${p.worldTick} to ${tick}; replay stopped`,
  "rejected-input": (tick, p) => `tick ${tick}: ${p.input.type} for ${p.input.actorId ?? "the world"} rejected: ${p.message}`,
  "join-id": (tick, p) => `tick ${tick}: join gave ${p.assigned}, journal says ${p.recorded}`,
  hash: (tick, p) => `tick ${tick}: hash ${p.recomputed}, journal says ${p.recorded}`,
};

/** A problem in one line, naming the tick: `tick 3: hash …, journal says …`. */
export function describeReplayProblem(tick: number, problem: ReplayProblem): string {
  return (DESCRIBE[problem.type] as (tick: number, problem: ReplayProblem) => string)(tick, problem);
}

/**
 * Replays journal entries that follow the world's current tick ({@link replayEntry} each). Entries
 * at or before the current tick are skipped. Replay stops at a gap in the ticks. A hash difference
 * or a rejected input does not stop it (the recorded inputs are still what players did); it is
 * reported in `divergences`, so the caller can say so loudly.
 */
export function replayJournal(sim: Simulation, entries: readonly JournalEntry[]): ReplayReport {
  const report: ReplayReport = { replayed: 0, divergences: [] };
  const diverge = (message: string): void => {
    if (report.divergences.length < 10) report.divergences.push(message);
  };
  for (const entry of entries) {
    if (entry.tick <= sim.world.tick) continue;
    const replayed = replayEntry(sim, entry);
    for (const problem of replayed.problems) diverge(describeReplayProblem(entry.tick, problem));
    if (replayed.result === undefined) break;
    report.replayed++;
  }
  return report;
}
