/**
 * The stats config of a world (the world file's `stats` field), validated with zod. A world that
 * names none gets {@link DEFAULT_STATS_CONFIG}. Invalid definitions stop start-up with the file and
 * the field path: overlapping or gapped tiers, tiers not covering [min, max], min > max, a default
 * out of range.
 */
import { z } from "zod";
import type { StatsConfig } from "../stats/types.ts";

const KEY = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "must be 1–64 letters, digits or '_', starting with a letter");

const tierSchema = z.strictObject({ id: KEY, min: z.int(), max: z.int() });

const axisSchema = z
  .strictObject({
    min: z.int(),
    max: z.int(),
    default: z.int(),
    tiers: z.array(tierSchema).min(1).max(32).optional(),
    public: z.boolean().optional(),
  })
  .superRefine((axis, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (axis.min > axis.max) return issue(["min"], `min ${axis.min} is greater than max ${axis.max}`);
    if (axis.default < axis.min || axis.default > axis.max) issue(["default"], `default ${axis.default} is outside [${axis.min}, ${axis.max}]`);
    if (!axis.tiers) return;
    let expected = axis.min;
    axis.tiers.forEach((tier, i) => {
      if (tier.min > tier.max) issue(["tiers", i], `tier "${tier.id}": min ${tier.min} is greater than max ${tier.max}`);
      else if (tier.min < expected) issue(["tiers", i, "min"], `tier "${tier.id}" starts at ${tier.min}, overlapping the previous tier (next free value is ${expected})`);
      else if (tier.min > expected) issue(["tiers", i, "min"], `tier "${tier.id}" starts at ${tier.min}, leaving a gap from ${expected}`);
      expected = tier.max + 1;
    });
    if (expected !== axis.max + 1) issue(["tiers"], `tiers end at ${expected - 1}, but the axis goes to ${axis.max}`);
  });

const definitionSchema = z.strictObject({
  axes: z.record(KEY, axisSchema).refine((axes) => Object.keys(axes).length > 0, "needs at least one axis"),
  perEntity: z.boolean().optional(),
});

export const statsConfigSchema = z
  .strictObject({
    definitions: z.record(KEY, definitionSchema),
    creation: z.strictObject({ pointBudget: z.int().min(0).max(10_000), definitions: z.array(KEY) }).default({ pointBudget: 0, definitions: [] }),
  })
  .superRefine((config, ctx) => {
    config.creation.definitions.forEach((name, i) => {
      const def = Object.hasOwn(config.definitions, name) ? config.definitions[name] : undefined;
      if (!def) ctx.addIssue({ code: "custom", path: ["creation", "definitions", i], message: `no stat definition "${name}"` });
      else if (def.perEntity) ctx.addIssue({ code: "custom", path: ["creation", "definitions", i], message: `"${name}" is per-entity and cannot be customized` });
    });
  });

const tiers = (...spec: Array<[string, number, number]>) => spec.map(([id, min, max]) => ({ id, min, max }));

/**
 * The stats every world has unless its file says otherwise (seed 004's examples): attributes
 * (health, stamina), combat skills (strength, agility, defense) and relationships per NPC.
 */
export const DEFAULT_STATS_CONFIG: StatsConfig = {
  definitions: {
    attributes: {
      axes: {
        health: { min: 0, max: 100, default: 100, public: true, tiers: tiers(["down", 0, 0], ["critical", 1, 24], ["wounded", 25, 74], ["healthy", 75, 100]) },
        stamina: { min: 0, max: 100, default: 100, tiers: tiers(["exhausted", 0, 19], ["tired", 20, 59], ["fresh", 60, 100]) },
      },
    },
    combat_skills: {
      axes: {
        strength: { min: 0, max: 100, default: 50, tiers: tiers(["novice", 0, 39], ["adept", 40, 79], ["expert", 80, 100]) },
        agility: { min: 0, max: 100, default: 50, tiers: tiers(["novice", 0, 39], ["adept", 40, 79], ["expert", 80, 100]) },
        defense: { min: 0, max: 100, default: 50, tiers: tiers(["novice", 0, 39], ["adept", 40, 79], ["expert", 80, 100]) },
      },
    },
    relationships: {
      perEntity: true,
      axes: {
        affinity: { min: 0, max: 100, default: 0, tiers: tiers(["stranger", 0, 24], ["acquaintance", 25, 59], ["friend", 60, 84], ["close_friend", 85, 100]) },
        trust: { min: 0, max: 100, default: 0, tiers: tiers(["wary", 0, 39], ["neutral", 40, 69], ["trusting", 70, 100]) },
      },
    },
  },
  creation: { pointBudget: 20, definitions: ["combat_skills"] },
};
