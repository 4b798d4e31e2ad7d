/**
 * Narrative content (issue 10 "dialogue: talk", seed 003 §1.3 "Fallback Response System"): the
 * lines NPCs answer with, from `DATA_DIR/narrative/<genre>.json`, one file per genre.
 *
 * A file is keyed by action type (`talk`), then holds untiered `lines` and `tiers` keyed by a
 * relationship tier id (the tier of the NPC's `affinity` toward the player, `friend`):
 *
 *     { "talk": { "lines": ["{npc} nods at you."], "tiers": { "friend": ["Good to see you, {player}!"] } } }
 *
 * Lines may use the placeholders `{npc}` and `{player}` (the names); any other `{word}` is an error.
 * Files are validated with zod at plugin load; a bad file stops start-up naming the file and each
 * field path (`narrative/noir.json: invalid narrative file\n  - talk.tiers.friend[0]: …`).
 *
 * Lines are looked up along seed 003 §1.3's fallback chain ({@link findLines}): the world's genre
 * and the tier, then the genre's untiered lines, then `default` and the tier, then `default`'s
 * untiered lines.
 */
import { join } from "node:path";
import { z } from "zod";
import { loadJsonDir } from "../../src/content/json-dir.ts";

/** The genre every world falls back to, and the file `narrative/default.json`. */
export const DEFAULT_GENRE = "default";
/** Placeholders a line may hold, replaced by {@link renderLine}. */
export const PLACEHOLDERS = ["npc", "player"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Genre ids (file names without `.json`), action types and tier ids. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const keySchema = z.string().regex(KEY, "must be 1–64 letters, digits, '-' or '_', starting with a letter or digit");

const lineSchema = z
  .string()
  .min(1)
  .max(500)
  .superRefine((line, check) => {
    for (const match of line.matchAll(/\{([^{}]*)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(match[1]!)) check.addIssue({ code: "custom", message: `unknown placeholder {${match[1]}} (have: ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")})` });
    }
  });
const linesSchema = z.array(lineSchema).min(1).max(1000);

const actionSchema = z.strictObject({
  /** Untiered lines: the genre's fallback when it has none for the tier. */
  lines: linesSchema.optional(),
  /** Lines by relationship tier id. */
  tiers: z.record(keySchema, linesSchema).optional(),
});

/** One genre's file: action type → its lines. */
export const narrativeFileSchema = z.record(keySchema, actionSchema);

export type NarrativeFile = z.output<typeof narrativeFileSchema>;
/** Every genre's file, by genre id. */
export type Narrative = ReadonlyMap<string, NarrativeFile>;

/**
 * Reads and validates every `<dataDir>/narrative/*.json`, by genre (the file name). A missing
 * directory is no content (a world with a `talk` slot then fails start-up, see talk.ts). Throws one
 * `Error` listing every bad file (not JSON, a file name that is not a genre id, a field) with its
 * field paths.
 */
export function loadNarrative(dataDir: string): Narrative {
  return loadJsonDir(join(dataDir, "narrative"), {
    kind: "narrative",
    schema: narrativeFileSchema,
    keyOf: (_file, genre) => (KEY.test(genre) ? { ok: true, key: genre } : { ok: false, problem: `(file name): "${genre}" is not a genre id (1–64 letters, digits, '-' or '_')` }),
  });
}

/** What to look up: an action type, the world's genre, and the relationship tier (undefined: none). */
export interface LineQuery {
  readonly action: string;
  readonly genre: string;
  readonly tier: string | undefined;
}

/** The lines found, and where: `tier` is null for untiered lines. */
export interface FoundLines {
  readonly genre: string;
  readonly tier: string | null;
  readonly lines: readonly string[];
}

/**
 * The lines for `query` along seed 003 §1.3's fallback chain: genre and tier → genre → default and
 * tier → default. Undefined when none of the four has lines.
 */
export function findLines(narrative: Narrative, query: LineQuery): FoundLines | undefined {
  for (const genre of query.genre === DEFAULT_GENRE ? [DEFAULT_GENRE] : [query.genre, DEFAULT_GENRE]) {
    const action = narrative.get(genre)?.[query.action];
    if (action === undefined) continue;
    const tiered = query.tier === undefined || action.tiers === undefined || !Object.hasOwn(action.tiers, query.tier) ? undefined : action.tiers[query.tier];
    if (tiered !== undefined) return { genre, tier: query.tier!, lines: tiered };
    if (action.lines !== undefined) return { genre, tier: null, lines: action.lines };
  }
  return undefined;
}

/** `line` with `{npc}` and `{player}` replaced by the names. */
export function renderLine(line: string, names: Readonly<Record<Placeholder, string>>): string {
  return line.replace(/\{(npc|player)\}/g, (_, key: Placeholder) => names[key]);
}
