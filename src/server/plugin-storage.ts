/**
 * `storage` for plugins (issue 9 §3): a plugin's own SQLite tables in the server's database,
 * created by its own migrations (shipped in its folder, never edited once shipped), run with the
 * same runner as Arbiter's (umzug, one transaction each) and recorded apart, in
 * `plugin_migrations (plugin, name)`.
 *
 * Namespaced by plugin id: every table, index, view and trigger a migration creates, alters or
 * drops must be named `<id>_…` with the id's `-` as `_` (`quest-log` → `quest_log_entries`). A
 * migration that names anything else is refused before it runs, with `plugin/bad-migration` naming
 * the plugin, the migration and the object, and so is a malformed or duplicate migration name.
 */
import type { Database } from "better-sqlite3";
import { ArbiterError } from "../errors.ts";
import type { PluginMigration, PluginStorage } from "../plugins/api.ts";
import { createMigrator, pluginMigrationStorage } from "./migrate.ts";

const MIGRATION_NAME = /^\d{4}-[a-z0-9-]{1,60}$/;
/** `CREATE [TEMP] TABLE|INDEX|VIEW|TRIGGER [IF NOT EXISTS] name`, `ALTER TABLE name`, `DROP … [IF EXISTS] name`. */
const NAMED_OBJECT = /\b(?:CREATE\s+(?:TEMP(?:ORARY)?\s+)?(?:UNIQUE\s+)?|ALTER\s+|DROP\s+)(TABLE|INDEX|VIEW|TRIGGER)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?["`[]?([A-Za-z0-9_.]+)/gi;

/** The `storage` capability of `pluginId` over the server's database. */
export function createPluginStorage(db: Database, pluginId: string): PluginStorage {
  const prefix = `${pluginId.replaceAll("-", "_")}_`;
  return {
    db,
    async migrate(migrations) {
      checkMigrations(pluginId, prefix, migrations);
      const migrator = createMigrator(db, migrations, pluginMigrationStorage(db, pluginId));
      try {
        return (await migrator.up()).map((m) => m.name);
      } catch (e) {
        throw new ArbiterError("plugin/bad-migration", `plugin ${pluginId}: migration failed: ${(e as Error).message}`);
      }
    },
  };
}

function checkMigrations(pluginId: string, prefix: string, migrations: readonly PluginMigration[]): void {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (!MIGRATION_NAME.test(m.name)) throw new ArbiterError("plugin/bad-migration", `plugin ${pluginId}: migration name "${m.name}" must be NNNN-description (a-z 0-9 -)`);
    if (seen.has(m.name)) throw new ArbiterError("plugin/bad-migration", `plugin ${pluginId}: migration "${m.name}" is listed twice`);
    seen.add(m.name);
    for (const sql of [m.up, m.down]) {
      for (const [, kind, name] of sql.matchAll(NAMED_OBJECT)) {
        if (!name!.toLowerCase().startsWith(prefix)) {
          throw new ArbiterError("plugin/bad-migration", `plugin ${pluginId}: migration "${m.name}" names ${kind!.toLowerCase()} "${name}"; a plugin's objects are named ${prefix}…`);
        }
      }
    }
  }
}
