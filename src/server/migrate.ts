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

/** A plugin's applied migrations, in `plugin_migrations` (plugin id, name), apart from Arbiter's own. */
export function pluginMigrationStorage(db: Database, pluginId: string): UmzugStorage {
  db.exec("CREATE TABLE IF NOT EXISTS plugin_migrations (plugin TEXT NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (plugin, name))");
  return {
    async logMigration({ name }) {
      db.prepare("INSERT INTO plugin_migrations (plugin, name, applied_at) VALUES (?, ?, ?)").run(pluginId, name, new Date().toISOString());
    },
    async unlogMigration({ name }) {
      db.prepare("DELETE FROM plugin_migrations WHERE plugin = ? AND name = ?").run(pluginId, name);
    },
    async executed() {
      return db.prepare("SELECT name FROM plugin_migrations WHERE plugin = ? ORDER BY name").pluck().all(pluginId) as string[];
    },
  };
}

/**
 * An umzug instance over `db` and `migrations` (default: all of Arbiter's), recording applied
 * ones in `storage` (default: `schema_migrations`).
 */
export function createMigrator(db: Database, migrations: readonly SqlMigration[] = MIGRATIONS, storage: UmzugStorage = sqliteStorage(db)): Umzug<Database> {
  return new Umzug<Database>({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: async () => runMigrationSql(db, m.up),
      down: async () => runMigrationSql(db, m.down),
    })),
    context: db,
    storage,
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
