/**
 * Item definitions (issue 10 "items", seed 003 §3.2): one file per item, `DATA_DIR/items/<id>.json`,
 * validated with zod when the plugin loads. A bad file stops start-up naming the file and each
 * field path (`items/knife.json: invalid item file\n  - equip[0].duration: …`).
 *
 *     { "id": "knife", "name": "Knife", "value": 8, "stackable": false, "slot": "hand",
 *       "equip": [{ "stat": "combat_skills.strength", "op": "add", "value": 10 }] }
 *
 * - `value`: worth in gold, an integer ≥ 0 (give_item raises affinity by it);
 * - `stackable` (default true): false means an actor carries at most one;
 * - `slot`: the equipment slot of an equippable item (`hand`, `head` …);
 * - `use`: stat modifiers applied when the item is used (it is used up): the stats engine's
 *   `ModifierSpec` without `source` (the plugin sets it), `duration` default `"instant"`;
 * - `equip`: stat modifiers in force while it is worn: `duration` is always `"infinite"` (the
 *   default), and they are removed when it is taken off. Needs `slot`.
 * Stat names (`<definition>.<axis>`) are checked against a world only when applied: a world
 * without that axis refuses the use or equip with `items/effect-failed`.
 */
import { join } from "node:path";
import { loadJsonDir } from "../../src/content/json-dir.ts";
import { z } from "zod";
import { ID } from "../../src/content/character-file.ts";
import { formatIssues } from "../../src/content/format-issues.ts";
import { MODIFIER_OPS, type ModifierSpec } from "../../src/stats/types.ts";

/** Equipment slot names: 1–32 letters, digits, `-` or `_`. */
export const SLOT = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, "must be 1–32 letters, digits, '-' or '_', starting with a letter or digit");

const STAT = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}\.[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be "<definition>.<axis>", e.g. "attributes.health"');
const stacking = z.union([z.literal("refresh"), z.literal("extend"), z.strictObject({ stack: z.int().min(1).max(100) })]);
const modifierFields = {
  stat: STAT,
  op: z.enum(MODIFIER_OPS).default("add"),
  value: z.number().min(-1_000_000).max(1_000_000),
  stacking: stacking.optional(),
};

const useModifier = z.strictObject({
  ...modifierFields,
  duration: z.union([z.literal("instant"), z.literal("infinite"), z.strictObject({ ticks: z.int().min(1).max(72_000_000) })]).default("instant"),
});
const equipModifier = z.strictObject({
  ...modifierFields,
  duration: z.literal("infinite", { error: 'an equip modifier lasts while the item is worn: duration must be "infinite"' }).default("infinite"),
});

export const itemFileSchema = z
  .strictObject({
    id: ID,
    name: z.string().min(1).max(64),
    description: z.string().max(500).default(""),
    value: z.int().min(0).max(1_000_000),
    stackable: z.boolean().default(true),
    slot: SLOT.optional(),
    use: z.array(useModifier).min(1).max(16).optional(),
    equip: z.array(equipModifier).min(1).max(16).optional(),
  })
  .superRefine((item, check) => {
    if (item.equip !== undefined && item.slot === undefined) check.addIssue({ code: "custom", path: ["slot"], message: "an item with equip modifiers needs the slot it is worn in" });
  });

/** An item as loaded; modifiers lack only `source`. */
export type ItemDef = z.output<typeof itemFileSchema>;
export type ItemModifier = Omit<ModifierSpec, "source">;
/** Every item, by id. */
export type Catalog = ReadonlyMap<string, ItemDef>;

/** An item file that failed validation: `problems` are `path: message` lines. */
export interface ItemFileError {
  ok: false;
  source: string;
  problems: string[];
}

/** Validates parsed JSON as an item file; `source` names the file in errors. */
export function parseItemFile(json: unknown, source: string): { ok: true; value: ItemDef } | ItemFileError {
  const parsed = itemFileSchema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, source, problems: formatIssues(parsed.error.issues) };
}

/**
 * Reads and validates every `<dataDir>/items/*.json`. A missing directory is an empty catalog.
 * Throws one `Error` listing every bad file (not JSON, a field, an id that is not the file name)
 * with its field paths.
 */
export function loadCatalog(dataDir: string): Catalog {
  return loadJsonDir(join(dataDir, "items"), {
    kind: "item",
    schema: itemFileSchema,
    keyOf: (item, stem) => (item.id === stem ? { ok: true, key: item.id } : { ok: false, problem: `id: "${item.id}" must match the file name` }),
  });
}

/**
 * Problems of a starting inventory against the catalog, as `[path, message]`: an unknown item, or
 * more than one of a non-stackable item. Paths are under `items`.
 */
export function checkStartingItems(catalog: Catalog, items: Readonly<Record<string, number>>): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  for (const [itemId, count] of Object.entries(items)) {
    const item = catalog.get(itemId);
    if (item === undefined) problems.push({ path: ["items", itemId], message: `no item "${itemId}" in items/ (have: ${[...catalog.keys()].join(", ") || "none"})` });
    else if (!item.stackable && count > 1) problems.push({ path: ["items", itemId], message: `${itemId} is not stackable: at most 1, not ${count}` });
  }
  return problems;
}
