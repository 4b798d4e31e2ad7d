/**
 * The world-file format (`DATA_DIR/worlds/<id>.json`), validated with zod (STYLE §12).
 *
 * Shape errors (types, unknown fields) and world errors (rows of different lengths, no spawn point,
 * an NPC on a wall or outside the map, two actors on one cell, a duplicate id) are all reported
 * together, each as `<field path>: <problem>`, so one edit fixes a file.
 */
import { z } from "zod";
import { AI_KINDS, BEHAVIOUR_NAMES, type WorldDef } from "../core/types.ts";
import { formatIssues } from "./format-issues.ts";

/** Default tick rate, in Hz. */
export const DEFAULT_TICK_RATE = 20;
/** Default seed of a world file that names none. */
export const DEFAULT_SEED = 20_260_101;

const ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be 1–64 letters, digits, '-' or '_', starting with a letter or digit");

/** Player actors are named `player-<n>` by the world (seed-free, journaled); NPCs may not take those ids. */
const NPC_ID = ID.refine((id) => !/^player-\d+$/.test(id), "ids of the form player-<n> are reserved for player actors");

const npcSchema = z.strictObject({
  id: NPC_ID,
  name: z.string().min(1).max(64),
  at: z.tuple([z.int().min(0), z.int().min(0)]),
  behaviours: z.array(z.enum(BEHAVIOUR_NAMES)).max(BEHAVIOUR_NAMES.length),
  ai: z.enum(AI_KINDS).optional(),
  initiative: z.int().min(-1000).max(1000).optional(),
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
  });

export type WorldFile = z.infer<typeof worldFileSchema>;

/** A world file that failed validation: `problems` are `path: message` lines. */
export interface WorldFileError {
  ok: false;
  source: string;
  problems: string[];
}

/**
 * Validates parsed JSON as a world file. `source` names the file in errors. Returns the world
 * definition, or every problem found.
 */
export function parseWorldFile(json: unknown, source: string): { ok: true; value: WorldDef } | WorldFileError {
  const parsed = worldFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, source, problems: formatIssues(parsed.error.issues) };
  return { ok: true, value: parsed.data };
}

/** Renders a {@link WorldFileError} as one message: the file, then one indented line per problem. */
export function describeWorldFileError(error: WorldFileError): string {
  return `${error.source}: invalid world file\n${error.problems.map((p) => `  - ${p}`).join("\n")}`;
}
