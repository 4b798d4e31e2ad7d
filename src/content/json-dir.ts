/**
 * Content directories of JSON files (`data/items/`, `data/narrative/` …): every `<dir>/*.json` in
 * name order, each validated by a zod schema and by the caller's own check of the value against
 * its file name. One `Error` lists every bad file, each as the file then one indented line per
 * problem, as world files report theirs.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { z } from "zod";
import { formatIssues } from "./format-issues.ts";

export interface JsonDirOptions<T> {
  /** What one file is, in messages: `item` → "invalid item file". */
  kind: string;
  schema: z.ZodType<T>;
  /**
   * The key of a valid file's value, or a problem (`path: message`) about its name: the file name
   * without `.json` is `stem`.
   */
  keyOf(value: T, stem: string): { ok: true; key: string } | { ok: false; problem: string };
}

/**
 * Reads and validates every `<dir>/*.json` (a missing directory: none), by key. Throws one `Error`
 * naming each bad file (not JSON, a field path, its name) when any is bad.
 */
export function loadJsonDir<T>(dir: string, options: JsonDirOptions<T>): Map<string, T> {
  const loaded = new Map<string, T>();
  if (!existsSync(dir)) return loaded;
  const problems: string[] = [];
  const invalid = (source: string, lines: readonly string[]) => `${source}: invalid ${options.kind} file\n${lines.map((p) => `  - ${p}`).join("\n")}`;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const path = join(dir, file);
    const source = relative(process.cwd(), path) || path;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      problems.push(`${source}: not valid JSON: ${(e as Error).message}`);
      continue;
    }
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      problems.push(invalid(source, formatIssues(parsed.error.issues)));
      continue;
    }
    const key = options.keyOf(parsed.data, file.slice(0, -".json".length));
    if (key.ok) loaded.set(key.key, parsed.data);
    else problems.push(invalid(source, [key.problem]));
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return loaded;
}
