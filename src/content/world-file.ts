/**
 * The world-file format (`DATA_DIR/worlds/<id>.json`), validated with zod (STYLE §12).
 *
 * Shape errors (types, unknown fields) and world errors (rows of different lengths, no spawn point,
 * an NPC on a wall or outside the map, two actors on one cell, a duplicate id) are all reported
 * together, each as `<field path>: <problem>`, so one edit fixes a file.
 */
import { z } from "zod";
import { BEHAVIOUR_NAMES, type NpcDef, type WorldDef } from "../core/types.ts";
import { CLOCK_TIME, parseClockTime } from "../core/clock.ts";
import type { StatsConfig, StatValues } from "../stats/types.ts";
import { statValuesSchema, type CharacterTemplate } from "./character-file.ts";
import { formatIssues } from "./format-issues.ts";
import { checkExtensions, type WorldExtensions } from "./world-extensions.ts";

export type { WorldExtensions };
import { DEFAULT_STATS_CONFIG, statsConfigSchema } from "./stats-config.ts";

/** Default tick rate, in Hz. */
export const DEFAULT_TICK_RATE = 20;
/** Default seed of a world file that names none. */
export const DEFAULT_SEED = 20_260_101;
/** Default area-of-interest radius, in cells. */
export const DEFAULT_INTEREST_RADIUS = 12;
/** Default ticks a downed actor stays down (5 s at 20 Hz). */
export const DEFAULT_RESPAWN_TICKS = 100;
/** Default clock (issue 10): a game day lasts 1440 real seconds (24 real minutes), starting at 08:00 of day 0. */
export const DEFAULT_CLOCK_FILE = { secondsPerGameDay: 1440, startTime: "08:00" } as const;

/** The in-game clock (issue 10, src/core/clock.ts); each field has its default. */
const clockSchema = z.strictObject({
  /** Real seconds per game day: 1 minute to 7 days. */
  secondsPerGameDay: z.int().min(60).max(604_800).default(DEFAULT_CLOCK_FILE.secondsPerGameDay),
  /** Game time at tick 0, `HH:MM` on a 24-hour clock. */
  startTime: z.string().regex(CLOCK_TIME, 'must be "HH:MM" on a 24-hour clock (00:00–23:59)').default(DEFAULT_CLOCK_FILE.startTime),
});

const ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be 1–64 letters, digits, '-' or '_', starting with a letter or digit");

/** Player actors are named `player-<n>` by the world (seed-free, journaled); NPCs may not take those ids. */
const NPC_ID = ID.refine((id) => !/^player-\d+$/.test(id), "ids of the form player-<n> are reserved for player actors");

const npcSchema = z.strictObject({
  id: NPC_ID,
  name: z.string().min(1).max(64),
  at: z.tuple([z.int().min(0), z.int().min(0)]),
  behaviours: z.array(z.enum(BEHAVIOUR_NAMES)).max(BEHAVIOUR_NAMES.length),
  /** A registered AI kind (a plugin's brain, e.g. `wander`); checked against the registry at load. */
  ai: z.string().regex(/^[a-z0-9][a-z0-9:-]{0,63}$/, "must be an AI kind name").optional(),
  /** Per-NPC sections of plugins, by plugin id, each validated by that plugin's schema. */
  plugins: z.record(z.string(), z.unknown()).optional(),
  initiative: z.int().min(-1000).max(1000).optional(),
  /** A character template id (`DATA_DIR/characters/<id>.json`). */
  template: ID.optional(),
  /** The NPC's own base stats, over its template and the world's instance overrides. */
  stats: statValuesSchema.optional(),
});

export const worldFileSchema = z
  .strictObject({
    id: ID,
    name: z.string().min(1).max(128),
    tickRate: z.int().min(1).max(60).default(DEFAULT_TICK_RATE),
    seed: z.int().min(-(2 ** 31)).max(2 ** 32 - 1).default(DEFAULT_SEED),
    map: z
      .array(z.string().min(1).max(1024).regex(/^[#.S]+$/, "may hold only '#' (wall), '.' (floor) and 'S' (spawn)"))
      .min(1)
      .max(1024),
    npcs: z.array(npcSchema).max(200_000).default([]),
    /** Stat definitions; omitted means the default config (src/content/stats-config.ts). */
    stats: statsConfigSchema.optional(),
    /** Scenario type, which picks the default player character (seed 003 §1.2). */
    scenario: ID.default("default"),
    /** Narrative genre: the dialogue plugin's `DATA_DIR/narrative/<genre>.json` (seed 003 §1.3). */
    genre: ID.default("default"),
    respawnTicks: z.int().min(1).max(72_000).default(DEFAULT_RESPAWN_TICKS),
    /** Area of interest, in cells: a client sees actors within this radius of its own; 0 = everyone. */
    interestRadius: z.int().min(0).max(1024).default(DEFAULT_INTEREST_RADIUS),
    /** World-specific overrides of character templates (seed 004's CharacterInstance), by template id. */
    characters: z.record(ID, z.strictObject({ stats: statValuesSchema })).default({}),
    /** World sections of plugins, by plugin id, each validated by that plugin's schema (world-extensions.ts). */
    plugins: z.record(z.string(), z.unknown()).optional(),
    /** The in-game clock; omitted means {@link DEFAULT_CLOCK_FILE}. */
    clock: clockSchema.default({ ...DEFAULT_CLOCK_FILE }),
  })
  .superRefine((world, ctx) => {
    const issue = (path: PropertyKey[], message: string): void => {
      ctx.addIssue({ code: "custom", path, message });
    };
    if (world.map.length === 0) return;
    const width = world.map[0]!.length;
    world.map.forEach((row, y) => {
      if (row.length !== width) issue(["map", y], `row has ${row.length} cells, row 0 has ${width}`);
    });
    if (!world.map.some((row) => row.includes("S"))) issue(["map"], "no spawn point 'S'");
    const ids = new Map<string, number>();
    const cells = new Map<string, string>();
    world.npcs.forEach((npc, i) => {
      const seen = ids.get(npc.id);
      if (seen !== undefined) issue(["npcs", i, "id"], `duplicate id "${npc.id}" (also npcs[${seen}])`);
      ids.set(npc.id, i);
      const [x, y] = npc.at;
      const cell = world.map[y]?.[x];
      if (cell === undefined) return issue(["npcs", i, "at"], `[${x}, ${y}] is outside the ${width}×${world.map.length} map`);
      if (cell === "#") return issue(["npcs", i, "at"], `[${x}, ${y}] is a wall`);
      const other = cells.get(`${x},${y}`);
      if (other !== undefined) issue(["npcs", i, "at"], `[${x}, ${y}] is already taken by "${other}"`);
      cells.set(`${x},${y}`, npc.id);
    });
    const config = world.stats ?? DEFAULT_STATS_CONFIG;
    world.npcs.forEach((npc, i) => checkStatValues(config, npc.stats, ["npcs", i, "stats"], issue));
    for (const [id, instance] of Object.entries(world.characters)) checkStatValues(config, instance.stats, ["characters", id, "stats"], issue);
  });

/** Every stat named must exist (and not be per-entity) and be within its axis's bounds. */
function checkStatValues(config: StatsConfig, values: StatValues | undefined, path: PropertyKey[], issue: (path: PropertyKey[], message: string) => void): void {
  for (const [definition, axes] of Object.entries(values ?? {})) {
    const def = Object.hasOwn(config.definitions, definition) ? config.definitions[definition] : undefined;
    if (!def || def.perEntity) {
      issue([...path, definition], `no entity stat definition "${definition}" in this world (have: ${Object.keys(config.definitions).filter((d) => !config.definitions[d]!.perEntity).join(", ")})`);
      continue;
    }
    for (const [axis, value] of Object.entries(axes)) {
      const spec = def.axes[axis];
      if (!spec) issue([...path, definition, axis], `no axis "${axis}" in "${definition}" (have: ${Object.keys(def.axes).join(", ")})`);
      else if (value < spec.min || value > spec.max) issue([...path, definition, axis], `${value} is outside [${spec.min}, ${spec.max}]`);
    }
  }
}

export type WorldFile = z.infer<typeof worldFileSchema>;

/** A world file that failed validation: `problems` are `path: message` lines. */
export interface WorldFileError {
  ok: false;
  source: string;
  problems: string[];
}

/**
 * Validates parsed JSON as a world file and resolves each NPC's base stats:
 * `merge(template, the world's instance overrides of it, the NPC's own stats)` (seed 004).
 * `source` names the file in errors. Returns the world definition, or every problem found,
 * including NPC templates missing from `templates`.
 */
export function parseWorldFile(
  json: unknown,
  source: string,
  templates: ReadonlyMap<string, CharacterTemplate> = new Map(),
  extensions?: WorldExtensions,
): { ok: true; value: WorldDef } | WorldFileError {
  const parsed = worldFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, source, problems: formatIssues(parsed.error.issues) };
  const file = parsed.data;
  const problems: string[] = extensions ? checkExtensions(file, extensions) : [];
  const npcs: NpcDef[] = file.npcs.map((npc, i) => {
    const { template: templateId, stats, ...rest } = npc;
    const template = templateId === undefined ? undefined : templates.get(templateId);
    if (templateId !== undefined && !template) problems.push(`npcs[${i}].template: no character template "${templateId}" (have: ${[...templates.keys()].join(", ") || "none"})`);
    const layers = [template?.stats, templateId === undefined ? undefined : file.characters[templateId]?.stats, stats];
    return { ...rest, stats: mergeStatValues(layers) };
  });
  if (problems.length > 0) return { ok: false, source, problems };
  const { stats, characters: _characters, clock, ...world } = file;
  const worldClock = { secondsPerGameDay: clock.secondsPerGameDay, startMinute: parseClockTime(clock.startTime) };
  return { ok: true, value: { ...world, clock: worldClock, npcs, stats: stats ?? DEFAULT_STATS_CONFIG } };
}

/** Later layers win per axis. */
export function mergeStatValues(layers: readonly (StatValues | undefined)[]): StatValues {
  const out: StatValues = {};
  for (const layer of layers) for (const [definition, axes] of Object.entries(layer ?? {})) Object.assign((out[definition] ??= {}), axes);
  return out;
}

/** Renders a {@link WorldFileError} as one message: the file, then one indented line per problem. */
export function describeWorldFileError(error: WorldFileError): string {
  return `${error.source}: invalid world file\n${error.problems.map((p) => `  - ${p}`).join("\n")}`;
}
