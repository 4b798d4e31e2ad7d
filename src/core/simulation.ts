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

/**
 * Replays journal entries that follow the world's current tick: applies each entry's inputs, steps,
 * and compares the hash. Entries at or before the current tick are skipped. Replay stops at a gap in
 * the ticks. A hash difference or a rejected input does not stop it (the recorded inputs are still
 * what players did); it is reported in `divergences`, so the caller can say so loudly.
 */
export function replayJournal(sim: Simulation, entries: readonly JournalEntry[]): ReplayReport {
  const report: ReplayReport = { replayed: 0, divergences: [] };
  const diverge = (message: string): void => {
    if (report.divergences.length < 10) report.divergences.push(message);
  };
  for (const entry of entries) {
    if (entry.tick <= sim.world.tick) continue;
    if (entry.tick !== sim.world.tick + 1) {
      diverge(`journal jumps from tick ${sim.world.tick} to ${entry.tick}; replay stopped`);
      break;
    }
    for (const input of entry.inputs) {
      const applied = submitInput(sim, input);
      if (!applied.ok) diverge(`tick ${entry.tick}: ${input.type} for ${input.actorId ?? "the world"} rejected: ${applied.message}`);
      else if (input.type === "join" && applied.value!.id !== input.actorId) diverge(`tick ${entry.tick}: join gave ${applied.value!.id}, journal says ${input.actorId}`);
    }
    const result = stepSimulation(sim);
    if (result.hash !== entry.hash) diverge(`tick ${entry.tick}: hash ${result.hash}, journal says ${entry.hash}`);
    report.replayed++;
  }
  return report;
}
