/**
 * A world host: one world's simulation plus its persistence, owned by the room that runs it.
 *
 * Opening restores the latest snapshot and replays the journal after it (checking each tick's hash).
 * Player actors a crash left in the world are replayed too: the runtime saves their sessions'
 * progress from them and removes them (src/server/world-runtime.ts, `createWorldRuntime`). While
 * running, every tick's journal entry is buffered and written in one transaction every
 * `journalFlushTicks`; a snapshot is written every `snapshotEveryTicks` and on close.
 */
import {
  createSimulation,
  createWorld,
  CORE_RULES,
  hashWorld,
  replayJournal,
  restoreWorld,
  snapshotWorld,
  stepSimulation,
  type JournalEntry,
  type ReplayReport,
  type Simulation,
  type TickResult,
  type World,
  type WorldDef,
  type WorldRules,
} from "../core/index.ts";
import { ArbiterError } from "../errors.ts";
import type { Logger } from "./logger.ts";
import type { Store, StoredSnapshot } from "./store.ts";

export interface PersistenceOptions {
  snapshotEveryTicks: number;
  journalFlushTicks: number;
  journalRetentionTicks: number;
}

/** Told of every journal commit: entries written, seconds since the oldest one's tick ended, commit seconds. */
export type JournalObserver = (entries: number, lagSeconds: number, commitSeconds: number) => void;

export interface WorldHost {
  readonly sim: Simulation;
  /** Runs one tick and records it for persistence. */
  step(): TickResult;
  /** Writes buffered journal entries now. */
  flush(): void;
  /** Flushes, writes a snapshot, and stops recording. */
  close(): void;
  /**
   * Stops every write at once, buffered journal entries dropped and no last snapshot: another
   * process holds the world now (issue 14, a lapsed claim), and only its writes count.
   */
  fence(): void;
}

/**
 * Opens `def` from the store (or fresh when it has no snapshot). Throws `snapshot/mismatch` (see
 * {@link loadWorld}). `onSnapshot` runs after every periodic snapshot (the room saves its players'
 * session progress then, so a crash loses at most one snapshot interval of it).
 */
export function openWorldHost(
  def: WorldDef,
  store: Store,
  options: PersistenceOptions,
  logger: Logger,
  hooks: { onSnapshot?: () => void; onJournal?: JournalObserver } = {},
  rules: WorldRules = CORE_RULES,
): WorldHost {
  const { sim, report } = restoreSimulation(def, store, rules);
  if (report.divergences.length > 0) logger.warn({ world: def.id, divergences: report.divergences }, "journal replay diverged from the recorded hashes");
  logger.info({ world: def.id, tick: sim.world.tick, replayed: report.replayed, actors: sim.world.order.length }, "world opened");

  let buffer: JournalEntry[] = [];
  /** performance.now() when the oldest buffered entry's tick ended. */
  let oldestEndedAt = 0;
  let lastSnapshotTick = sim.world.tick;
  let closed = false;
  const flush = (): void => {
    if (buffer.length === 0) return;
    const started = performance.now();
    store.appendJournal(def.id, buffer);
    const ended = performance.now();
    hooks.onJournal?.(buffer.length, (ended - oldestEndedAt) / 1000, (ended - started) / 1000);
    buffer = [];
  };
  const snapshot = (): void => {
    flush();
    store.saveSnapshot(def.id, snapshotWorld(sim.world), hashWorld(sim.world));
    lastSnapshotTick = sim.world.tick;
    store.pruneJournal(def.id, sim.world.tick - options.journalRetentionTicks);
  };
  return {
    sim,
    step() {
      const result = stepSimulation(sim);
      if (closed) return result;
      if (buffer.length === 0) oldestEndedAt = performance.now();
      buffer.push({ tick: result.tick, inputs: result.inputs, hash: result.hash });
      if (result.tick - lastSnapshotTick >= options.snapshotEveryTicks) {
        snapshot();
        hooks.onSnapshot?.();
      } else if (buffer.length >= options.journalFlushTicks) flush();
      return result;
    },
    flush,
    fence() {
      closed = true;
      buffer = [];
      logger.error({ world: def.id, tick: sim.world.tick }, "world fenced: its claim lapsed, so this process stops writing it");
    },
    close() {
      if (closed) return;
      snapshot();
      closed = true;
      logger.info({ world: def.id, tick: sim.world.tick }, "world closed and snapshotted");
    },
  };
}

/**
 * The core's in-memory journal window in a server, ticks. The server writes every entry to SQLite
 * and replays from there, so it keeps only the last second in memory: the core's default minute
 * held about 20 KB per client moving 3 times a second (measured with heap snapshots, issue 11 §4).
 */
export const SERVER_JOURNAL_WINDOW = 20;

/** The world as stored: its latest snapshot, then the journal after it replayed and checked. */
export function restoreSimulation(def: WorldDef, store: Store, rules: WorldRules = CORE_RULES): { sim: Simulation; report: ReplayReport } {
  const sim = createSimulation(loadWorld(def, store, rules), SERVER_JOURNAL_WINDOW);
  return { sim, report: replayJournal(sim, store.journalAfter(def.id, sim.world.tick)) };
}

/**
 * The world as stored: the latest snapshot restored, or a fresh world when there is none, resolving
 * with `rules` (the server's: the core's plus the plugins', src/server/plugin-wiring.ts). Throws
 * `snapshot/mismatch` when the snapshot no longer fits the world file: nothing is discarded, the
 * operator decides (fix the file, or delete the world's rows).
 */
export function loadWorld(def: WorldDef, store: Store, rules: WorldRules = CORE_RULES): World {
  const stored = store.latestSnapshot(def.id);
  return stored ? restoreStoredWorld(def, stored, rules) : createWorld(def, rules);
}

/** `stored` restored with `rules`, for opening a world and for replays. Throws `snapshot/mismatch` (see {@link loadWorld}). */
export function restoreStoredWorld(def: WorldDef, stored: StoredSnapshot, rules: WorldRules = CORE_RULES): World {
  const restored = restoreWorld(def, stored.snapshot, rules);
  if (restored.ok) return restored.value;
  throw new ArbiterError(
    "snapshot/mismatch",
    `${restored.message}; the saved state of world "${def.id}" (tick ${stored.snapshot.tick}) no longer fits its world file. ` +
      `Fix the file, or delete the world's saved state: DELETE FROM world_snapshots WHERE world_id = '${def.id}'; DELETE FROM journal WHERE world_id = '${def.id}';`,
  );
}
