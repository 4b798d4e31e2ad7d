/**
 * Migration runner: umzug over better-sqlite3, with the applied migrations recorded in the
 * `schema_migrations` table of the same database.
 */
import type { Database } from "better-sqlite3";
import { Umzug, type UmzugStorage } from "umzug";
import { ArbiterError } from "../errors.ts";
import { MIGRATIONS, runMigrationSql, type SqlMigration } from "./migrations/index.ts";

function sqliteStorage(db: Database): UmzugStorage {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  return {
    async logMigration({ name }) {
      db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)").run(name, new Date().toISOString());
    },
    async unlogMigration({ name }) {
      db.prepare("DELETE FROM schema_migrations WHERE name = ?").run(name);
    },
    async executed() {
      return db.prepare("SELECT name FROM schema_migrations ORDER BY name").pluck().all() as string[];
    },
  };
}

/** An umzug instance over `db` and `migrations` (default: all of Arbiter's). */
export function createMigrator(db: Database, migrations: readonly SqlMigration[] = MIGRATIONS): Umzug<Database> {
  return new Umzug<Database>({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: async () => runMigrationSql(db, m.up),
      down: async () => runMigrationSql(db, m.down),
    })),
    context: db,
    storage: sqliteStorage(db),
    logger: undefined,
  });
}

/** Applies every pending migration. Throws `store/migration-failed` naming the migration. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  try {
    const applied = await createMigrator(db).up();
    return applied.map((m) => m.name);
  } catch (e) {
    throw new ArbiterError("store/migration-failed", `database migration failed: ${(e as Error).message}`);
  }
}
