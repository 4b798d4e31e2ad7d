/**
 * SQLite persistence (better-sqlite3, WAL mode): world snapshots and the tick journal.
 * Every write is synchronous and transactional; the room batches journal entries (see world-host.ts).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Worker } from "node:worker_threads";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { Packr, Unpackr } from "msgpackr";
import type { Dir, Input, JournalEntry, WorldSnapshot } from "../core/index.ts";
import { migrateToLatest } from "./migrate.ts";

export interface StoredSnapshot {
  snapshot: WorldSnapshot;
  hash: string;
}

export interface Store {
  readonly db: Database;
  /** Writes journal entries in one transaction. */
  appendJournal(worldId: string, entries: readonly JournalEntry[]): void;
  /**
   * Writes a snapshot and keeps only the newest {@link SNAPSHOTS_KEPT} of the world, then has the
   * WAL checkpointed off the event loop (a file database: src/server/checkpointer.mjs; in memory:
   * at once). The write is committed when this returns; the checkpoint follows within milliseconds.
   */
  saveSnapshot(worldId: string, snapshot: WorldSnapshot, hash: string): void;
  /** Resolves once every checkpoint asked for so far has run (tests, shutdown). */
  checkpointed(): Promise<void>;
  latestSnapshot(worldId: string): StoredSnapshot | undefined;
  /** Every kept snapshot of the world (at most {@link SNAPSHOTS_KEPT}), oldest first. */
  snapshotsOf(worldId: string): StoredSnapshot[];
  /** Journal entries with tick > `afterTick`, oldest first. */
  journalAfter(worldId: string, afterTick: number): JournalEntry[];
  /** Journal entries with `afterTick` < tick ≤ `toTick`, oldest first. */
  journalBetween(worldId: string, afterTick: number, toTick: number): JournalEntry[];
  /** The first and last journaled tick of the world, or undefined when it has no journal. */
  journalSpan(worldId: string): { first: number; last: number } | undefined;
  /** Deletes journal entries with tick < `beforeTick`. */
  pruneJournal(worldId: string, beforeTick: number): void;
  /**
   * Records that player actor `actorId` of world `worldId` is session `sessionId`'s, until
   * {@link unbindPlayer} (its leave) or {@link unbindWorld} (its world closed or was recovered).
   */
  bindPlayer(worldId: string, actorId: string, sessionId: string): void;
  unbindPlayer(worldId: string, actorId: string): void;
  unbindWorld(worldId: string): void;
  /** The bound player actors of `worldId`: actor id → session id (after a crash: those the journal replays). */
  boundPlayers(worldId: string): Map<string, string>;
  close(): void;
}

export const SNAPSHOTS_KEPT = 3;

/**
 * How long a write waits for another process's write lock before failing with SQLITE_BUSY, ms
 * (issue 14: processes of a cluster share one file). Every write is one short transaction (a
 * tick's journal entry, a session's progress, a snapshot), so a tick waits for at most one other
 * process's transaction in practice; this is the bound.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating if needed) the database at `path` and migrates it to the latest schema. */
export async function openStore(path: string): Promise<Store> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // No checkpoint inside a tick's journal commit: the store checkpoints after each snapshot instead
  // (an automatic one every 1000 pages landed in a commit every ~30 ticks at 10k actors, 9–16 ms).
  db.pragma("wal_autocheckpoint = 0");
  db.pragma("foreign_keys = ON");
  await migrateToLatest(db);
  return createStore(db);
}

function createStore(db: Database): Store {
  const insertEntry = db.prepare("INSERT OR REPLACE INTO journal (world_id, tick, inputs, hash) VALUES (?, ?, ?, ?)");
  const appendMany = db.transaction((worldId: string, entries: readonly JournalEntry[]) => {
    for (const e of entries) insertEntry.run(worldId, e.tick, encodeInputs(e.inputs), e.hash);
  });
  const insertSnapshot = db.prepare("INSERT OR REPLACE INTO world_snapshots (world_id, tick, hash, state, created_at) VALUES (?, ?, ?, ?, ?)");
  const trimSnapshots = db.prepare(
    `DELETE FROM world_snapshots WHERE world_id = ? AND tick NOT IN
       (SELECT tick FROM world_snapshots WHERE world_id = ? ORDER BY tick DESC LIMIT ${SNAPSHOTS_KEPT})`,
  );
  const writeSnapshot = db.transaction((worldId: string, snapshot: WorldSnapshot, hash: string) => {
    insertSnapshot.run(worldId, snapshot.tick, hash, JSON.stringify(snapshot), new Date().toISOString());
    trimSnapshots.run(worldId, worldId);
  });
  const checkpointer = db.memory ? undefined : createCheckpointer(db.name, () => db.pragma("wal_checkpoint(PASSIVE)"));
  const saveSnapshot = (worldId: string, snapshot: WorldSnapshot, hash: string): void => {
    writeSnapshot(worldId, snapshot, hash);
    if (checkpointer) checkpointer.request();
    else db.pragma("wal_checkpoint(PASSIVE)");
  };
  const selectLatest = db.prepare("SELECT state, hash FROM world_snapshots WHERE world_id = ? ORDER BY tick DESC LIMIT 1");
  const selectSnapshots = db.prepare("SELECT state, hash FROM world_snapshots WHERE world_id = ? ORDER BY tick");
  const selectJournal = db.prepare("SELECT tick, inputs, hash FROM journal WHERE world_id = ? AND tick > ? ORDER BY tick");
  const selectJournalTo = db.prepare("SELECT tick, inputs, hash FROM journal WHERE world_id = ? AND tick > ? AND tick <= ? ORDER BY tick");
  const selectSpan = db.prepare("SELECT MIN(tick) AS first, MAX(tick) AS last FROM journal WHERE world_id = ?");
  const deleteJournal = db.prepare("DELETE FROM journal WHERE world_id = ? AND tick < ?");
  const bind = db.prepare("INSERT OR REPLACE INTO world_players (world_id, actor_id, session_id) VALUES (?, ?, ?)");
  const unbind = db.prepare("DELETE FROM world_players WHERE world_id = ? AND actor_id = ?");
  const unbindAll = db.prepare("DELETE FROM world_players WHERE world_id = ?");
  const selectBound = db.prepare("SELECT actor_id, session_id FROM world_players WHERE world_id = ?");

  return {
    db,
    appendJournal: (worldId, entries) => {
      if (entries.length > 0) appendMany(worldId, entries);
    },
    saveSnapshot: (worldId, snapshot, hash) => saveSnapshot(worldId, snapshot, hash),
    latestSnapshot(worldId) {
      const row = selectLatest.get(worldId) as { state: string; hash: string } | undefined;
      return row && { snapshot: JSON.parse(row.state) as WorldSnapshot, hash: row.hash };
    },
    snapshotsOf(worldId) {
      const rows = selectSnapshots.all(worldId) as Array<{ state: string; hash: string }>;
      return rows.map((row) => ({ snapshot: JSON.parse(row.state) as WorldSnapshot, hash: row.hash }));
    },
    journalAfter: (worldId, afterTick) => (selectJournal.all(worldId, afterTick) as JournalRow[]).map(toEntry),
    journalBetween: (worldId, afterTick, toTick) => (selectJournalTo.all(worldId, afterTick, toTick) as JournalRow[]).map(toEntry),
    journalSpan(worldId) {
      const row = selectSpan.get(worldId) as { first: number | null; last: number | null };
      return row.first === null || row.last === null ? undefined : { first: row.first, last: row.last };
    },
    pruneJournal: (worldId, beforeTick) => {
      deleteJournal.run(worldId, beforeTick);
    },
    bindPlayer: (worldId, actorId, sessionId) => {
      bind.run(worldId, actorId, sessionId);
    },
    unbindPlayer: (worldId, actorId) => {
      unbind.run(worldId, actorId);
    },
    unbindWorld: (worldId) => {
      unbindAll.run(worldId);
    },
    boundPlayers(worldId) {
      const rows = selectBound.all(worldId) as Array<{ actor_id: string; session_id: string }>;
      return new Map(rows.map((r) => [r.actor_id, r.session_id]));
    },
    checkpointed: () => checkpointer?.settled() ?? Promise.resolve(),
    close: () => {
      checkpointer?.close();
      if (db.open) db.close();
    },
  };
}

/**
 * WAL checkpoints on a worker thread with its own connection to the database at `path`
 * (checkpointer.mjs), started with the first request; a checkpoint of a few MB copied and fsynced
 * there never stalls a tick. If the thread fails, checkpoints run `inline` from then on.
 */
function createCheckpointer(path: string, inline: () => void) {
  let worker: Worker | undefined;
  let failed = false;
  let pending = 0;
  const waiters: Array<() => void> = [];
  const settle = (): void => {
    if (pending === 0) for (const wake of waiters.splice(0)) wake();
  };
  const start = (): Worker => {
    const thread = new Worker(new URL("./checkpointer.mjs", import.meta.url), { workerData: { path } });
    thread.unref();
    thread.on("message", () => {
      pending = Math.max(0, pending - 1);
      settle();
    });
    thread.on("error", () => {
      failed = true;
      worker = undefined;
      pending = 0;
      settle();
    });
    return thread;
  };
  return {
    request(): void {
      if (failed) return inline();
      worker ??= start();
      pending++;
      worker.postMessage("checkpoint");
    },
    settled: (): Promise<void> => (pending === 0 ? Promise.resolve() : new Promise((wake) => waiters.push(wake))),
    /** Closes the thread's connection; the last connection to close checkpoints what is left. */
    close(): void {
      worker?.postMessage("close");
      worker = undefined;
    },
  };
}

interface JournalRow {
  tick: number;
  inputs: Buffer | string;
  hash: string;
}

const toEntry = (row: JournalRow): JournalEntry => ({ tick: row.tick, inputs: decodeInputs(row.inputs), hash: row.hash });

const journalPackr = new Packr({ useRecords: true });
const journalUnpackr = new Unpackr({ useRecords: true });

/**
 * One tick's inputs as stored in `journal.inputs` (migration 0003): a MessagePack array (msgpackr
 * records, so the repeated `{type, actorId, dir}` shape is written once per tick; each blob is
 * self-describing). Numbers keep float64 precision, so a replay sees the inputs bit for bit.
 */
export function encodeInputs(inputs: readonly Input[]): Buffer {
  return journalPackr.pack(inputs);
}

/**
 * Reads `journal.inputs`: a MessagePack blob, or the JSON text rows from before migration 0003.
 * Moves journaled before action kinds (issue 9) as `{ type: "move", actorId, dir }` read as today's
 * `{ type: "act", kind: "move", payload: { dir } }`, so old journals replay unchanged.
 */
function decodeInputs(stored: Buffer | string): Input[] {
  const inputs = (typeof stored === "string" ? JSON.parse(stored) : journalUnpackr.unpack(stored)) as Array<Input | LegacyMove>;
  return inputs.map((input) => (input.type === "move" ? { type: "act", actorId: input.actorId, kind: "move", payload: { dir: input.dir } } : input));
}

/** A move as journaled before action kinds. */
interface LegacyMove {
  type: "move";
  actorId: string;
  dir: Dir;
}
