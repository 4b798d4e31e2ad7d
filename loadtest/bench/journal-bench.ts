/**
 * Journal benchmark: persisting the tick journal through the server's store (src/server/store.ts:
 * better-sqlite3, WAL, synchronous = NORMAL) on a temporary file on disk.
 *
 * What is timed: `store.appendJournal(worldId, entries)` only, i.e. one transaction that writes one
 * SQL row per tick entry, `(world_id, tick, inputs MessagePack blob, hash)` (migration 0003); the
 * encoding of the tick's inputs (`encodeInputs`) happens inside it. The entries are real: each tick
 * the core runs (untimed) with a fresh `moverShare` of the actors moving, and its TickResult's inputs and hash are what is written.
 * The store runs with `wal_autocheckpoint = 0` and checkpoints after each snapshot, off the commit path.
 *
 * Write patterns per size: one transaction per tick (the room's default, `JOURNAL_FLUSH_TICKS` = 1,
 * and what the target is about); 20 ticks per transaction (`JOURNAL_FLUSH_TICKS=20`); and, as a
 * diagnostic, one transaction per tick with an explicit checkpoint every `checkpointTicks` ticks,
 * timed apart (what the snapshot-time checkpoints cost).
 * "input rows" = inputs persisted (what a row-per-input journal would store); "SQL rows" = rows
 * the store actually writes (one per tick).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSimulation, createWorld, stepSimulation, submitInput, type JournalEntry, type Simulation } from "../../src/core/index.ts";
import { encodeInputs, openStore, type Store } from "../../src/server/store.ts";
import { buildDenseWorld } from "./dense-world.ts";
import { createPlanner, type Field, type Planner } from "./mover-plan.ts";
import { elapsedMs, summarize, type Summary } from "./stats.ts";
import { createWorldField, syncFieldPositions, toMoveInputs } from "./world-field.ts";

export interface JournalSize {
  actors: number;
  warmupTicks: number;
  measuredTicks: number;
}

export interface JournalBenchConfig {
  sizes: readonly JournalSize[];
  moverShare: number;
  /** Ticks per transaction of the batched pattern (the room's JOURNAL_FLUSH_TICKS default). */
  batchTicks: number;
  /** Ticks between explicit checkpoints in the diagnostic pattern (about one auto-checkpoint's worth at 10k). */
  checkpointTicks: number;
  seed: number;
}

export const JOURNAL_TARGET = { actors: 10_000, inputRowsPerSecond: 400_000, p99MsPerTick: 1 } as const;

export const DEFAULT_JOURNAL_CONFIG: JournalBenchConfig = {
  sizes: [
    { actors: 1_000, warmupTicks: 50, measuredTicks: 1_000 },
    { actors: 10_000, warmupTicks: 50, measuredTicks: 600 },
    { actors: 50_000, warmupTicks: 20, measuredTicks: 200 },
  ],
  moverShare: 0.3,
  batchTicks: 20,
  checkpointTicks: 30,
  seed: 20_240_612,
};

export interface PatternResult {
  ticksPerCommit: number;
  commits: number;
  /** Per commit. */
  commitMs: Summary;
  /** Commit time spread over its ticks: summed commit time / ticks. */
  msPerTick: number;
  inputRowsPerSecond: number;
  sqlRowsPerSecond: number;
}

export interface JournalSizeResult {
  actors: number;
  inputsPerTick: number;
  /** Mean stored size of one tick's inputs (MessagePack), bytes. */
  storedBytesPerTick: number;
  /** Mean JSON length of the same inputs (what the store wrote before migration 0003), bytes. */
  jsonBytesPerTick: number;
  /** `encodeInputs` of one tick's inputs alone, timed apart (median). */
  encodeMs: number;
  perTick: PatternResult;
  batched: PatternResult;
  /** Diagnostic: 1 tick per transaction with auto-checkpoint off and a PASSIVE checkpoint, timed apart, every `checkpointTicks`. */
  offPath: PatternResult & { checkpointTicks: number; checkpointMs: Summary };
  /** Database + WAL file size at the end, bytes. */
  fileBytes: number;
}

export interface JournalBenchReport {
  config: JournalBenchConfig;
  target: typeof JOURNAL_TARGET;
  pragmas: Record<string, unknown>;
  results: JournalSizeResult[];
}

export async function runJournalBench(config: JournalBenchConfig = DEFAULT_JOURNAL_CONFIG, onSize?: (r: JournalSizeResult) => void): Promise<JournalBenchReport> {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-journal-bench-"));
  try {
    const results: JournalSizeResult[] = [];
    let pragmas: Record<string, unknown> = {};
    for (const size of config.sizes) {
      const store = await openStore(join(dir, `journal-${size.actors}.sqlite`));
      try {
        pragmas = readPragmas(store);
        const result = runSize(store, join(dir, `journal-${size.actors}.sqlite`), size, config);
        onSize?.(result);
        results.push(result);
      } finally {
        store.close();
      }
    }
    return { config, target: JOURNAL_TARGET, pragmas, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readPragmas(store: Store): Record<string, unknown> {
  const read = (name: string): unknown => store.db.pragma(name, { simple: true });
  return { journal_mode: read("journal_mode"), synchronous: read("synchronous"), wal_autocheckpoint: read("wal_autocheckpoint"), page_size: read("page_size") };
}

/** Everything one size keeps across ticks. */
interface Rig {
  sim: Simulation;
  ids: string[];
  field: Field;
  planner: Planner;
}

function runSize(store: Store, file: string, size: JournalSize, config: JournalBenchConfig): JournalSizeResult {
  const dense = buildDenseWorld(size.actors, config.seed);
  const sim = createSimulation(createWorld(dense.def));
  const ids = sim.world.slots.map((actor) => actor!.id);
  const field = createWorldField(sim.world, ids.length);
  const rig: Rig = { sim, ids, field, planner: createPlanner(ids.length, { movers: config.moverShare, intoOccupied: config.moverShare }, config.seed ^ 0x10a) };
  const worldId = dense.def.id;
  const encode: number[] = [];
  let inputs = 0;
  let storedBytes = 0;
  let jsonBytes = 0;
  const write = (entries: readonly JournalEntry[]): void => store.appendJournal(worldId, entries);
  const observe = (entry: JournalEntry, measured: boolean): void => {
    if (!measured) return;
    inputs += entry.inputs.length;
    const t0 = process.hrtime.bigint();
    storedBytes += encodeInputs(entry.inputs).length;
    encode.push(elapsedMs(t0, process.hrtime.bigint()));
    jsonBytes += Buffer.byteLength(JSON.stringify(entry.inputs));
  };
  const perTick = writePattern(rig, { size, ticksPerCommit: 1, write, observe }).result;
  const batched = writePattern(rig, { size, ticksPerCommit: config.batchTicks, write }).result;
  const offPath = runWithoutAutoCheckpoint(store, rig, size, config, write);
  const n = size.measuredTicks;
  return {
    actors: size.actors,
    inputsPerTick: inputs / n,
    storedBytesPerTick: storedBytes / n,
    jsonBytesPerTick: jsonBytes / n,
    encodeMs: summarize(encode).median,
    perTick,
    batched,
    offPath,
    fileBytes: fileSize(file) + fileSize(`${file}-wal`),
  };
}

interface WritePattern {
  size: JournalSize;
  ticksPerCommit: number;
  write(entries: readonly JournalEntry[]): void;
  /** Sees every entry, untimed. */
  observe?(entry: JournalEntry, measured: boolean): void;
  /** Runs after every commit, untimed; returns ms to record as a side figure, or null. */
  afterCommit?(): number | null;
}

/** Runs warm-up + measured ticks on the core and writes their entries `ticksPerCommit` at a time, timing each write. */
function writePattern(rig: Rig, pattern: WritePattern): { result: PatternResult; sideMs: number[] } {
  const { size, ticksPerCommit } = pattern;
  const commitMs: number[] = [];
  const sideMs: number[] = [];
  let inputs = 0;
  let ticks = 0;
  let buffer: JournalEntry[] = [];
  const total = size.warmupTicks + size.measuredTicks;
  for (let t = 0; t < total; t++) {
    const measured = t >= size.warmupTicks;
    const entry = runCoreTick(rig);
    pattern.observe?.(entry, measured);
    buffer.push(entry);
    if (buffer.length < ticksPerCommit && t < total - 1) continue;
    const t0 = process.hrtime.bigint();
    pattern.write(buffer);
    const ms = elapsedMs(t0, process.hrtime.bigint());
    const side = pattern.afterCommit?.() ?? null;
    if (measured) {
      commitMs.push(ms);
      if (side !== null) sideMs.push(side);
      ticks += buffer.length;
      for (const e of buffer) inputs += e.inputs.length;
    }
    buffer = [];
  }
  const seconds = commitMs.reduce((a, b) => a + b, 0) / 1000;
  const result: PatternResult = {
    ticksPerCommit,
    commits: commitMs.length,
    commitMs: summarize(commitMs),
    msPerTick: (seconds * 1000) / ticks,
    inputRowsPerSecond: inputs / seconds,
    sqlRowsPerSecond: ticks / seconds,
  };
  return { result, sideMs };
}

/** One untimed core tick with a fresh set of movers; returns its journal entry. */
function runCoreTick(rig: Rig): JournalEntry {
  const { sim, ids, field, planner } = rig;
  syncFieldPositions(sim.world, field);
  for (const input of toMoveInputs(planner.plan(field), ids)) submitInput(sim, input);
  const result = stepSimulation(sim);
  return { tick: result.tick, inputs: result.inputs, hash: result.hash };
}

/**
 * The diagnostic pattern: what the per-tick commit costs when WAL checkpoints are taken off the
 * commit path (`wal_autocheckpoint = 0`, then `wal_checkpoint(PASSIVE)` every `checkpointTicks`,
 * timed apart). Restores the store's auto-checkpoint setting afterwards.
 */
function runWithoutAutoCheckpoint(store: Store, rig: Rig, size: JournalSize, config: JournalBenchConfig, write: (entries: readonly JournalEntry[]) => void): JournalSizeResult["offPath"] {
  const previous = store.db.pragma("wal_autocheckpoint", { simple: true });
  store.db.pragma("wal_autocheckpoint = 0");
  let commits = 0;
  try {
    const afterCommit = (): number | null => {
      if (++commits % config.checkpointTicks !== 0) return null;
      const t0 = process.hrtime.bigint();
      store.db.pragma("wal_checkpoint(PASSIVE)");
      return elapsedMs(t0, process.hrtime.bigint());
    };
    const { result, sideMs } = writePattern(rig, { size, ticksPerCommit: 1, write, afterCommit });
    return { ...result, checkpointTicks: config.checkpointTicks, checkpointMs: summarize(sideMs) };
  } finally {
    store.db.pragma(`wal_autocheckpoint = ${Number(previous)}`);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
