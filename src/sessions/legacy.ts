/**
 * Sessions written before the stats system kept relationships in `session.relationships`; they now
 * live in `session.stats["relationships"]` and are migrated on first access (seed 004, "Backwards
 * Compatibility: Session Relationships"). Legacy data was free-form, so the migration keeps what
 * fits the world's `relationships` definition and drops the rest.
 */
import { ID } from "../content/character-file.ts";
import { clampToSlot } from "../stats/layout.ts";
import type { StatsConfig } from "../stats/types.ts";

/** The per-entity definition that session relationships belong to (seed 004). */
export const RELATIONSHIPS = "relationships";

/** Prefix of per-entity keys: `npc:<id>`. */
export const NPC_PREFIX = "npc:";

/**
 * Legacy relationships → `stats.relationships`. The legacy shape is
 * `{ "<npcId>" | "npc:<npcId>": { affinity?, trust?, …anything else } }`:
 * - keys become `npc:<id>`; an id that is not a valid content id (1–64 letters, digits, `-`, `_`)
 *   drops the entry; when both `orc` and `npc:orc` are present, `npc:orc` wins per axis;
 * - only the axes of the world's `relationships` definition are kept (tier ids and other fields are
 *   dropped), from finite numbers or numeric strings, clamped to the axis bounds and rounded;
 * - an entry that is not an object or keeps no axis is dropped.
 * Returns `{}` for anything that is not an object, or when the world has no `relationships`
 * definition. Keys are sorted, so the result serializes the same every time.
 */
export function migrateLegacyRelationships(legacy: unknown, config: StatsConfig): Record<string, Record<string, number>> {
  const def = Object.hasOwn(config.definitions, RELATIONSHIPS) ? config.definitions[RELATIONSHIPS] : undefined;
  if (!def || !isRecord(legacy)) return {};
  const merged: Record<string, Record<string, number>> = {};
  // Bare ids first, so that an explicit `npc:<id>` entry overrides them.
  const keys = Object.keys(legacy).sort((a, b) => Number(a.startsWith(NPC_PREFIX)) - Number(b.startsWith(NPC_PREFIX)));
  for (const key of keys) {
    const id = key.startsWith(NPC_PREFIX) ? key.slice(NPC_PREFIX.length) : key;
    const entry = legacy[key];
    if (!ID.safeParse(id).success || !isRecord(entry)) continue;
    const axes: Record<string, number> = {};
    for (const [axis, spec] of Object.entries(def.axes)) {
      const value = Object.hasOwn(entry, axis) ? toNumber(entry[axis]) : undefined;
      if (value !== undefined) axes[axis] = clampToSlot(spec, value);
    }
    if (Object.keys(axes).length > 0) Object.assign((merged[`${NPC_PREFIX}${id}`] ??= {}), axes);
  }
  return Object.fromEntries(Object.keys(merged).sort().map((key) => [key, merged[key]!]));
}

/** A finite number, or a string that is exactly one (`"75"`, `" 60.5 "`); otherwise undefined. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
