/**
 * Reads every `<dataDir>/worlds/*.json` at start-up. Any unreadable, unparsable or invalid file
 * stops start-up with `world/bad-file`; the message names each file, field path and problem.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import type { WorldDef } from "../core/index.ts";
import { parseCharacterFile, type CharacterTemplate } from "../content/character-file.ts";
import { describeWorldFileError, parseWorldFile, type WorldExtensions } from "../content/world-file.ts";
import { ArbiterError } from "../errors.ts";

export interface WorldRegistry {
  /** Worlds by id. */
  readonly byId: ReadonlyMap<string, WorldDef>;
  /** Character templates by id (`<dataDir>/characters/*.json`; the folder is optional). */
  readonly templates: ReadonlyMap<string, CharacterTemplate>;
  /** Id used when a client names no world. */
  readonly defaultId: string;
}

/** Preferred default world when `DEFAULT_WORLD` is unset. */
export const SHIPPED_DEFAULT_WORLD = "docks";

/**
 * Loads and validates all world files; with `extensions` (the loaded plugins' AI kinds and section
 * schemas) also their `ai` names and plugin sections. Throws `world/bad-file` or `world/not-found`.
 */
export function loadWorlds(dataDir: string, defaultWorld?: string, extensions?: WorldExtensions): WorldRegistry {
  const dir = join(dataDir, "worlds");
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  } catch (e) {
    throw new ArbiterError("world/bad-file", `cannot read the worlds directory ${dir}: ${(e as Error).message}`);
  }
  if (files.length === 0) throw new ArbiterError("world/bad-file", `no world files (*.json) in ${dir}`);
  const problems: string[] = [];
  const templates = loadTemplates(join(dataDir, "characters"), problems);
  const byId = new Map<string, WorldDef>();
  for (const file of files) {
    const loaded = loadWorldFile(join(dir, file), relative(process.cwd(), join(dir, file)) || file, templates, extensions);
    if (typeof loaded === "string") problems.push(loaded);
    else byId.set(loaded.id, loaded);
  }
  if (problems.length > 0) throw new ArbiterError("world/bad-file", problems.join("\n"));
  return { byId, templates, defaultId: pickDefault(byId, defaultWorld) };
}

/**
 * The character every world can fall back on when no template is the default for scenario
 * "default": plain default stats. Data folders without `characters/` still let players join.
 */
export const BUILTIN_TEMPLATE: CharacterTemplate = { id: "adventurer", name: "Adventurer", traits: [], defaultFor: ["default"], stats: {} };

/**
 * Reads `<dir>/*.json` character templates (a missing folder means none), adding
 * {@link BUILTIN_TEMPLATE} unless a template is already the default for "default" or uses its id.
 * Problems are appended.
 */
export function loadTemplates(dir: string, problems: string[]): Map<string, CharacterTemplate> {
  const templates = new Map<string, CharacterTemplate>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  } catch {
    // No characters folder: only the built-in template.
  }
  for (const file of files) {
    const source = relative(process.cwd(), join(dir, file)) || file;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, file), "utf8"));
    } catch (e) {
      problems.push(`${source}: not valid JSON: ${(e as Error).message}`);
      continue;
    }
    const parsed = parseCharacterFile(json);
    if (!parsed.ok) problems.push(`${source}: invalid character template\n${parsed.problems.map((p) => `  - ${p}`).join("\n")}`);
    else if (parsed.value.id !== basename(file, ".json")) problems.push(`${source}: invalid character template\n  - id: "${parsed.value.id}" must match the file name`);
    else templates.set(parsed.value.id, parsed.value);
  }
  const hasDefault = [...templates.values()].some((t) => t.defaultFor.includes("default"));
  if (!hasDefault && !templates.has(BUILTIN_TEMPLATE.id)) templates.set(BUILTIN_TEMPLATE.id, BUILTIN_TEMPLATE);
  return templates;
}

/** Reads one world file; returns the definition or a message naming the file and its problems. */
export function loadWorldFile(path: string, source: string, templates: ReadonlyMap<string, CharacterTemplate> = new Map(), extensions?: WorldExtensions): WorldDef | string {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return `${source}: not valid JSON: ${(e as Error).message}`;
  }
  const parsed = parseWorldFile(json, source, templates, extensions);
  if (!parsed.ok) return describeWorldFileError(parsed);
  const expected = basename(path, ".json");
  if (parsed.value.id !== expected) return `${source}: invalid world file\n  - id: "${parsed.value.id}" must match the file name "${expected}"`;
  return parsed.value;
}

function pickDefault(byId: ReadonlyMap<string, WorldDef>, wanted: string | undefined): string {
  if (wanted !== undefined) {
    if (!byId.has(wanted)) throw new ArbiterError("world/not-found", `DEFAULT_WORLD: no world "${wanted}" (have: ${[...byId.keys()].join(", ")})`);
    return wanted;
  }
  return byId.has(SHIPPED_DEFAULT_WORLD) ? SHIPPED_DEFAULT_WORLD : [...byId.keys()][0]!;
}
