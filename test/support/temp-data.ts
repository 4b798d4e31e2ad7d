/**
 * Temporary data directories holding raw world files (valid or not), for tests of world loading
 * and start-up. Every directory made here is removed by {@link removeTempDirs}.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A small valid map: one spawn point, floor at [2, 1] … [5, 1], walls all round. */
export const SMALL_MAP = ["#######", "#S....#", "#######"];

const made: string[] = [];

/** A new empty temporary directory under the OS temp dir. */
export function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-test-"));
  made.push(dir);
  return dir;
}

/** A valid world file for `id`, with `fields` replacing or adding top-level fields. */
export function worldJson(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name: id, map: SMALL_MAP, npcs: [], ...fields };
}

/**
 * A data dir whose `worlds/` holds `files` (`{ "docks.json": content }`): a string is written as is,
 * anything else as JSON. Returns the data dir.
 */
export function makeDataDir(files: Record<string, unknown>): string {
  const dataDir = makeTempDir();
  mkdirSync(join(dataDir, "worlds"));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dataDir, "worlds", name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dataDir;
}

/** Removes every directory made by this module. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
