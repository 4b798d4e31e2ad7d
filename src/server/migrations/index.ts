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
];

/** Runs a migration's SQL inside one transaction. */
export function runMigrationSql(db: Database, sql: string): void {
  db.transaction(() => db.exec(sql))();
}
