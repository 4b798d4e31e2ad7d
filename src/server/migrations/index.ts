/**
 * Versioned schema migrations, applied in name order by umzug (src/server/migrate.ts). Each runs
 * inside one transaction. Never edit a migration that has shipped: add the next one.
 */
import type { Database } from "better-sqlite3";

export interface SqlMigration {
  /** Sortable unique name: `NNNN-description`. */
  name: string;
  up: string;
  down: string;
}

export const MIGRATIONS: readonly SqlMigration[] = [
  {
    name: "0001-world-snapshots-and-journal",
    up: `
      CREATE TABLE world_snapshots (
        world_id   TEXT    NOT NULL,
        tick       INTEGER NOT NULL,
        hash       TEXT    NOT NULL,
        state      TEXT    NOT NULL,
        created_at TEXT    NOT NULL,
        PRIMARY KEY (world_id, tick)
      ) WITHOUT ROWID;
      CREATE TABLE journal (
        world_id TEXT    NOT NULL,
        tick     INTEGER NOT NULL,
        inputs   TEXT    NOT NULL,
        hash     TEXT    NOT NULL,
        PRIMARY KEY (world_id, tick)
      ) WITHOUT ROWID;
    `,
    down: `
      DROP TABLE journal;
      DROP TABLE world_snapshots;
    `,
  },
  {
    name: "0002-sessions",
    up: `
      CREATE TABLE sessions (
        id            TEXT PRIMARY KEY,
        player_name   TEXT NOT NULL,
        world_id      TEXT NOT NULL,
        character     TEXT NOT NULL,
        stats         TEXT NOT NULL,
        relationships TEXT NULL /* legacy, pre-stats sessions: migrated into stats on first access */,
        flags         TEXT NOT NULL,
        position      TEXT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
    `,
    down: `
      DROP TABLE sessions;
    `,
  },
  {
    // Journal inputs become MessagePack blobs (src/server/store.ts): a third of JSON's bytes at 10k
    // actors, and cheaper to encode; the tick commit's p99 is what it is for (issue 4). Rows
    // written before keep their JSON text and stay readable: the store decodes by value type.
    // Down keeps every row as it is: blobs written since cannot be read by pre-0003 code.
    name: "0003-journal-binary-inputs",
    up: `
      ALTER TABLE journal RENAME TO journal_0002;
      CREATE TABLE journal (
        world_id TEXT    NOT NULL,
        tick     INTEGER NOT NULL,
        inputs   BLOB    NOT NULL /* MessagePack array of Input; JSON text for rows from before 0003 */,
        hash     TEXT    NOT NULL,
        PRIMARY KEY (world_id, tick)
      ) WITHOUT ROWID;
      INSERT INTO journal (world_id, tick, inputs, hash) SELECT world_id, tick, inputs, hash FROM journal_0002;
      DROP TABLE journal_0002;
    `,
    down: `
      ALTER TABLE journal RENAME TO journal_0003;
      CREATE TABLE journal (
        world_id TEXT    NOT NULL,
        tick     INTEGER NOT NULL,
        inputs   TEXT    NOT NULL,
        hash     TEXT    NOT NULL,
        PRIMARY KEY (world_id, tick)
      ) WITHOUT ROWID;
      INSERT INTO journal (world_id, tick, inputs, hash) SELECT world_id, tick, inputs, hash FROM journal_0003;
      DROP TABLE journal_0003;
    `,
  },
  {
    // Idle sessions expire after SESSION_TTL_HOURS (issue 8 §4): the periodic job finds them by
    // their last use.
    name: "0004-sessions-last-used-index",
    up: `CREATE INDEX sessions_updated_at ON sessions (updated_at);`,
    down: `DROP INDEX sessions_updated_at;`,
  },
  {
    // A player's plugin state (inventory, relationships, crime flags …) carried between visits
    // (issue 10): by plugin id, JSON; '{}' for sessions older than it.
    name: "0005-sessions-plugin-state",
    up: `ALTER TABLE sessions ADD COLUMN plugin_state TEXT NOT NULL DEFAULT '{}';`,
    down: `ALTER TABLE sessions DROP COLUMN plugin_state;`,
  },
  {
    // Which session each player actor of a running world belongs to (issue 12, crash safety): the
    // journal replays a crashed world's player actors, and this says whose progress each one is,
    // so a crash loses at most the journal's durability window of it (src/server/world-runtime.ts).
    name: "0006-world-players",
    up: `
      CREATE TABLE world_players (
        world_id   TEXT NOT NULL,
        actor_id   TEXT NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        PRIMARY KEY (world_id, actor_id)
      );
    `,
    down: `DROP TABLE world_players;`,
  },
  {
    // Accounts (issue 12): @colyseus/auth's users, anonymous or with email and password (hashed by
    // the package: scrypt with a per-password salt), and the user each session belongs to. A
    // session from before accounts has none until a signed-in player first resumes it (README,
    // "Accounts").
    name: "0007-users",
    up: `
      CREATE TABLE users (
        id         TEXT PRIMARY KEY,
        email      TEXT NULL UNIQUE COLLATE NOCASE,
        password   TEXT NULL,
        anonymous  INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      ALTER TABLE sessions ADD COLUMN user_id TEXT NULL;
      CREATE INDEX sessions_user_id ON sessions (user_id);
    `,
    down: `
      DROP INDEX sessions_user_id;
      ALTER TABLE sessions DROP COLUMN user_id;
      DROP TABLE users;
    `,
  },
];

/** Runs a migration's SQL inside one transaction. */
export function runMigrationSql(db: Database, sql: string): void {
  db.transaction(() => db.exec(sql))();
}
