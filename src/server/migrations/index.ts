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
];

/** Runs a migration's SQL inside one transaction. */
export function runMigrationSql(db: Database, sql: string): void {
  db.transaction(() => db.exec(sql))();
}
