/**
 * The shipped content a generated data directory needs besides its worlds: character templates,
 * item definitions and narrative files (`data/characters`, `data/items`, `data/narrative`), which
 * the server and its plugins validate at start-up against each other (a template's starting
 * inventory names items). Used by the load-test runner and the fuzzer.
 */
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";

export const CONTENT_DIRS = ["characters", "items", "narrative"];

/** Copies each of {@link CONTENT_DIRS} that exists under `<repoRoot>/data` into `dataDir`. */
export function copyShippedContent(repoRoot, dataDir) {
  for (const dir of CONTENT_DIRS) {
    const from = join(repoRoot, "data", dir);
    if (existsSync(from)) cpSync(from, join(dataDir, dir), { recursive: true });
  }
}
