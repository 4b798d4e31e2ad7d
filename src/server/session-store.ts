/**
 * Player sessions in SQLite (seed 003 §1.1), in the `sessions` table of migration 0002. JSON
 * columns (`character`, `stats`, `flags`, `position`) are serialized here; wall-clock times and ids
 * come from the caller (the server passes `new Date().toISOString()` and `crypto.randomUUID()`).
 *
 * Legacy sessions (seed 004, "Backwards Compatibility"): a row whose `stats.relationships` is
 * absent or empty and whose `relationships` column is not NULL is migrated on first access. The
 * migrated relationships are written into `stats` and the legacy column is set to NULL, in one
 * transaction; `updated_at` is kept, since this is a change of format, not of the session.
 */
import type { Database } from "better-sqlite3";
import { migrateLegacyRelationships } from "../sessions/legacy.ts";
import type { Character, FlagValue, GameSession, SessionStats } from "../sessions/types.ts";
import type { StatsConfig, StatValues } from "../stats/types.ts";
import type { PlainData } from "../core/types.ts";

export interface SessionStoreOptions {
  /** The current time, ISO-8601. */
  now: () => string;
  /** A new unique session id. */
  newId: () => string;
  /** The stats config of a world; undefined for a world not loaded (legacy rows then wait). */
  statsConfigFor: (worldId: string) => StatsConfig | undefined;
}

export interface NewSession {
  playerName: string;
  worldId: string;
  character: Character;
  /** The user it belongs to; absent only where no user exists (stores in tools and tests). */
  userId?: string;
}

export interface SessionChanges {
  playerName?: string;
  /** Replaces the whole flag set. */
  flags?: Record<string, FlagValue>;
}

export interface SessionProgress {
  worldId: string;
  position: [number, number] | null;
  /** Replaces `stats.runtime`; relationships are kept. */
  runtime: StatValues;
  /** Replaces the session's plugin state (the actor's, by plugin id); absent: kept. */
  pluginState?: Record<string, PlainData>;
}

export interface SessionStore {
  /** Inserts a session with empty stats and flags and no position. */
  create(session: NewSession): GameSession;
  /** The session, legacy relationships migrated; undefined for an unknown id. */
  get(id: string): GameSession | undefined;
  /** Changes the name and/or flags (never stats); undefined for an unknown id. */
  update(id: string, changes: SessionChanges): GameSession | undefined;
  /** Records where the player is and their runtime stats, on leaving a world; undefined for an unknown id. */
  saveProgress(id: string, progress: SessionProgress): GameSession | undefined;
  /**
   * The sessions of user `userId`, most recently used (`updated_at`) first, at most `limit`
   * (issue 13: the web client's "resume" list).
   */
  listByUser(userId: string, limit: number): GameSession[];
  /** Gives a session from before accounts (no user) to `userId`; false when it has a user already or is unknown. */
  claim(id: string, userId: string): boolean;
  /** True when a session was deleted. */
  delete(id: string): boolean;
  /**
   * Deletes the sessions last used (`updated_at`) before `cutoff` (ISO-8601), except `keep` (the
   * connected ones). Deletes in batches of 500 rows, one short transaction each, so a large backlog
   * never holds the write lock for long. Returns how many were deleted.
   */
  deleteIdle(cutoff: string, keep: Iterable<string>): number;
}

/** Rows deleted per transaction by {@link SessionStore.deleteIdle}. */
const IDLE_BATCH = 500;

interface SessionRow {
  id: string;
  player_name: string;
  world_id: string;
  character: string;
  stats: string;
  relationships: string | null;
  flags: string;
  position: string | null;
  plugin_state: string;
  user_id: string | null;
  created_at: string;
  updated_at: string;
}

export function createSessionStore(db: Database, options: SessionStoreOptions): SessionStore {
  const { now, newId, statsConfigFor } = options;
  const insert = db.prepare(
    `INSERT INTO sessions (id, player_name, world_id, character, stats, relationships, flags, position, user_id, created_at, updated_at)
     VALUES (@id, @player_name, @world_id, @character, @stats, NULL, @flags, NULL, @user_id, @created_at, @updated_at)`,
  );
  const select = db.prepare("SELECT * FROM sessions WHERE id = ?");
  const writeMigrated = db.prepare("UPDATE sessions SET stats = ?, relationships = NULL WHERE id = ?");
  const writeChanges = db.prepare("UPDATE sessions SET player_name = COALESCE(?, player_name), flags = COALESCE(?, flags), updated_at = ? WHERE id = ?");
  const writeProgress = db.prepare("UPDATE sessions SET world_id = ?, position = ?, stats = ?, plugin_state = COALESCE(?, plugin_state), updated_at = ? WHERE id = ?");
  const remove = db.prepare("DELETE FROM sessions WHERE id = ?");
  const selectByUser = db.prepare("SELECT * FROM sessions WHERE user_id = ? ORDER BY updated_at DESC, id LIMIT ?");
  const writeOwner = db.prepare("UPDATE sessions SET user_id = ? WHERE id = ? AND user_id IS NULL");
  const removeIdle = db.prepare(
    `DELETE FROM sessions WHERE id IN (
       SELECT id FROM sessions WHERE updated_at < ? AND id NOT IN (SELECT value FROM json_each(?)) LIMIT ${IDLE_BATCH})`,
  );
  const readRow = (id: string): SessionRow | undefined => select.get(id) as SessionRow | undefined;

  /** Reads a session, migrating legacy relationships when due. Call inside a transaction. */
  const loadMigrated = (id: string): GameSession | undefined => {
    const row = readRow(id);
    if (!row) return undefined;
    const session = toSession(row);
    const config = needsMigration(row, session) ? statsConfigFor(row.world_id) : undefined;
    if (!config) return session;
    const stats: SessionStats = { ...session.stats, relationships: migrateLegacyRelationships(parseJson(row.relationships!), config) };
    writeMigrated.run(JSON.stringify(stats), id);
    return { ...session, stats };
  };
  const migrateAndLoad = db.transaction(loadMigrated);
  const saveProgress = db.transaction((id: string, progress: SessionProgress): GameSession | undefined => {
    const session = loadMigrated(id);
    if (!session) return undefined;
    const stats: SessionStats = { ...session.stats, runtime: progress.runtime };
    const position = progress.position === null ? null : JSON.stringify(progress.position);
    writeProgress.run(progress.worldId, position, JSON.stringify(stats), progress.pluginState === undefined ? null : JSON.stringify(progress.pluginState), now(), id);
    return toSession(readRow(id)!);
  });

  const get = (id: string): GameSession | undefined => {
    const row = readRow(id);
    if (!row) return undefined;
    const session = toSession(row);
    // The write lock is taken only when there is something to migrate; the row is read again under it.
    return needsMigration(row, session) && statsConfigFor(row.world_id) ? migrateAndLoad.immediate(id) : session;
  };

  return {
    create({ playerName, worldId, character, userId }) {
      const id = newId();
      const time = now();
      const stats: SessionStats = { runtime: {}, relationships: {} };
      insert.run({ id, player_name: playerName, world_id: worldId, character: JSON.stringify(character), stats: JSON.stringify(stats), flags: "{}", user_id: userId ?? null, created_at: time, updated_at: time });
      return toSession(readRow(id)!);
    },
    get,
    update(id, { playerName, flags }) {
      if (playerName === undefined && flags === undefined) return get(id);
      const changed = writeChanges.run(playerName ?? null, flags === undefined ? null : JSON.stringify(flags), now(), id).changes;
      return changed === 0 ? undefined : get(id);
    },
    saveProgress: (id, progress) => saveProgress.immediate(id, progress),
    listByUser: (userId, limit) => (selectByUser.all(userId, limit) as SessionRow[]).map(toSession),
    claim: (id, userId) => writeOwner.run(userId, id).changes === 1,
    delete: (id) => remove.run(id).changes > 0,
    deleteIdle(cutoff, keep) {
      const kept = JSON.stringify([...keep]);
      let deleted = 0;
      for (let batch = IDLE_BATCH; batch === IDLE_BATCH; deleted += batch) batch = removeIdle.run(cutoff, kept).changes;
      return deleted;
    },
  };
}

function needsMigration(row: SessionRow, session: GameSession): boolean {
  return row.relationships !== null && Object.keys(session.stats.relationships).length === 0;
}

function toSession(row: SessionRow): GameSession {
  return {
    id: row.id,
    playerName: row.player_name,
    worldId: row.world_id,
    character: JSON.parse(row.character) as Character,
    stats: toStats(parseJson(row.stats)),
    flags: JSON.parse(row.flags) as Record<string, FlagValue>,
    position: row.position === null ? null : (JSON.parse(row.position) as [number, number]),
    pluginState: toPluginState(parseJson(row.plugin_state)),
    userId: row.user_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Older rows may lack either part of {@link SessionStats}; missing parts are empty. */
function toStats(value: unknown): SessionStats {
  const stats = isRecord(value) ? value : {};
  return {
    runtime: isRecord(stats.runtime) ? (stats.runtime as StatValues) : {},
    relationships: isRecord(stats.relationships) ? (stats.relationships as SessionStats["relationships"]) : {},
  };
}

/** A stored plugin state object; anything else reads as empty. */
function toPluginState(value: unknown): Record<string, PlainData> {
  return isRecord(value) ? (value as Record<string, PlainData>) : {};
}

/** Parsed JSON, or undefined for text that is not JSON (legacy columns were free-form). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
