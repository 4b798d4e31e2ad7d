/**
 * Character generation (seed 003 §1.2): the scenario's default character, a random one drawn from
 * a seed, or a player's customization of a template. Pure: templates and the world's stats config
 * come in, randomness is the seeded generator of src/core/rng.ts, and rejections are values that
 * name the field.
 *
 * Customization adds points on top of a template. A customized axis becomes
 * `base + points`, where `base` is the template's value (or the axis default) clamped to the
 * world's bounds; that may not exceed the axis max, and the points summed over every axis may not
 * exceed `creation.pointBudget`. Only the definitions in `creation.definitions` are customizable.
 */
import type { CharacterTemplate } from "../content/character-file.ts";
import { createRng, nextInt, type RngState } from "../core/rng.ts";
import { clampToSlot } from "../stats/layout.ts";
import type { AxisDef, StatsConfig, StatValues } from "../stats/types.ts";
import type { Character, CharacterConfig } from "./types.ts";

/** Character templates by id, as the world loader returns them. */
export type Templates = ReadonlyMap<string, CharacterTemplate>;

/** One thing wrong with a request: `field` is a dotted path (`customizations.combat_skills.strength`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export type CharacterResult = { ok: true; value: Character } | { ok: false; problems: FieldProblem[] };

/** The scenario type every template set must have a default for (seed 003 §1.2). */
export const DEFAULT_SCENARIO = "default";

/** Longest display name, as in character files. */
export const MAX_NAME_LENGTH = 64;

export interface RandomConstraints {
  /** Template id; default: one picked by the seed. */
  template?: string;
  /** Display name; default: the template's name. */
  name?: string;
}

interface CustomAxis {
  definition: string;
  axis: string;
  spec: AxisDef;
}

/**
 * The template that is the default for `scenario`, else the one for `"default"`, or undefined when
 * neither exists. Templates are searched in id order, so the answer does not depend on load order.
 */
export function findDefaultTemplate(scenario: string, templates: Templates): CharacterTemplate | undefined {
  const sorted = sortTemplates(templates);
  return sorted.find((t) => t.defaultFor.includes(scenario)) ?? sorted.find((t) => t.defaultFor.includes(DEFAULT_SCENARIO));
}

/**
 * The default character of a scenario type: its default template with no customizations, or
 * undefined when no template is the default for `scenario` nor for `"default"`.
 */
export function defaultCharacter(scenario: string, templates: Templates, config: StatsConfig): Character | undefined {
  const template = findDefaultTemplate(scenario, templates);
  return template && buildCharacter(template, {}, template.name, config);
}

/**
 * A random character drawn from `seed`: the template of `constraints.template` (else one picked
 * uniformly, in id order), with `creation.pointBudget` points spread one at a time over the
 * customizable axes that still have room below their max. It spends the whole budget unless the
 * axes have less room than that, then it fills them. Same seed and inputs, same character.
 * Undefined when the template is unknown or there are no templates.
 */
export function randomCharacter(seed: number, templates: Templates, config: StatsConfig, constraints: RandomConstraints = {}): Character | undefined {
  const rng = createRng(seed);
  const template = constraints.template === undefined ? pickTemplate(rng, templates) : templates.get(constraints.template);
  if (!template) return undefined;
  const axes = customizableAxes(config);
  const room = axes.map((a) => a.spec.max - baseValue(template, a));
  const points = axes.map(() => 0);
  for (let left = config.creation.pointBudget; left > 0; left--) {
    const open = room.flatMap((r, i) => (r > 0 ? [i] : []));
    if (open.length === 0) break;
    const i = open[nextInt(rng, open.length)]!;
    room[i]!--;
    points[i]!++;
  }
  const customizations: StatValues = {};
  axes.forEach((a, i) => {
    if (points[i]! > 0) (customizations[a.definition] ??= {})[a.axis] = points[i]!;
  });
  return buildCharacter(template, customizations, constraints.name ?? template.name, config);
}

/**
 * Validates `customizations` against the creation rules and applies them to `template`. Problems
 * (all of them, not just the first): an unknown definition or axis, a definition that is not
 * customizable, points that are negative or not an integer, a resulting value above the axis max
 * (all on `customizations.<definition>[.<axis>]`), points summed over the budget (`customizations`),
 * a blank or too long name (`name`). Axes given 0 points are left out of the result.
 */
export function customizeCharacter(template: CharacterTemplate, customizations: StatValues, config: StatsConfig, name?: string): CharacterResult {
  const problems: FieldProblem[] = [];
  const accepted: StatValues = {};
  let total = 0;
  for (const [definition, axes] of Object.entries(customizations)) {
    const field = `customizations.${definition}`;
    const def = Object.hasOwn(config.definitions, definition) ? config.definitions[definition] : undefined;
    const customizable = config.creation.definitions;
    if (!def) problems.push({ field, message: `no stat definition "${definition}" (customizable: ${customizable.join(", ") || "none"})` });
    else if (!customizable.includes(definition)) problems.push({ field, message: `"${definition}" cannot be customized (customizable: ${customizable.join(", ") || "none"})` });
    else if (!isRecord(axes)) problems.push({ field, message: "must be an object of points by axis" });
    else {
      for (const [axis, points] of Object.entries(axes)) {
        const spec = Object.hasOwn(def.axes, axis) ? def.axes[axis] : undefined;
        const problem = spec ? checkPoints(template, { definition, axis, spec }, points) : `no axis "${axis}" in "${definition}" (have: ${Object.keys(def.axes).join(", ")})`;
        if (problem !== undefined) problems.push({ field: `${field}.${axis}`, message: problem });
        else if (points > 0) {
          total += points;
          (accepted[definition] ??= {})[axis] = points;
        }
      }
    }
  }
  const budget = config.creation.pointBudget;
  if (total > budget) problems.push({ field: "customizations", message: `${total} points spent, over the budget of ${budget}` });
  const nameProblem = name === undefined ? undefined : checkName(name);
  if (nameProblem) problems.push({ field: "name", message: nameProblem });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: buildCharacter(template, accepted, name ?? template.name, config) };
}

/**
 * A character from a client's {@link CharacterConfig} (seed 003 §1.2). The template is the one
 * named, else the scenario's default; then `randomSeed` draws a random character (it may not be
 * combined with `customizations`), otherwise the customizations are applied. Problems are on
 * fields of the request's `character` object: `character.template`, `character.randomSeed`,
 * `character.name`, `character.customizations…`.
 */
export function createCharacter(request: CharacterConfig, context: { scenario: string; templates: Templates; config: StatsConfig }): CharacterResult {
  const { scenario, templates, config } = context;
  const templateId = request.template ?? findDefaultTemplate(scenario, templates)?.id;
  const template = templateId === undefined ? undefined : templates.get(templateId);
  if (!template) {
    const have = [...templates.keys()].sort().join(", ") || "none";
    const message = templateId === undefined ? `no template is the default for scenario "${scenario}" or "${DEFAULT_SCENARIO}"` : `no character template "${templateId}" (have: ${have})`;
    return fail([{ field: "template", message }]);
  }
  if (request.randomSeed === undefined) {
    const result = customizeCharacter(template, request.customizations ?? {}, config, request.name);
    return result.ok ? result : fail(result.problems);
  }
  const problems: FieldProblem[] = [];
  if (request.customizations !== undefined) problems.push({ field: "randomSeed", message: "give either randomSeed or customizations, not both" });
  else if (!Number.isSafeInteger(request.randomSeed)) problems.push({ field: "randomSeed", message: `must be an integer, got ${String(request.randomSeed)}` });
  const nameProblem = request.name === undefined ? undefined : checkName(request.name);
  if (nameProblem) problems.push({ field: "name", message: nameProblem });
  if (problems.length > 0) return fail(problems);
  const character = randomCharacter(request.randomSeed, templates, config, { template: template.id, ...(request.name === undefined ? {} : { name: request.name }) });
  return { ok: true, value: character! };
}

/** Prefixes fields with `character.`, the request field that holds a {@link CharacterConfig}. */
function fail(problems: FieldProblem[]): CharacterResult {
  return { ok: false, problems: problems.map((p) => ({ field: `character.${p.field}`, message: p.message })) };
}

function checkPoints(template: CharacterTemplate, axis: CustomAxis, points: unknown): string | undefined {
  if (typeof points !== "number" || !Number.isInteger(points)) return `points must be an integer, got ${JSON.stringify(points) ?? String(points)}`;
  if (points < 0) return `points cannot be negative, got ${points}`;
  const base = baseValue(template, axis);
  if (base + points > axis.spec.max) return `${base} + ${points} = ${base + points} is above the axis max ${axis.spec.max}`;
  return undefined;
}

function checkName(name: string): string | undefined {
  if (typeof name !== "string" || name.trim() === "") return "must not be blank";
  if (name.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`;
  return undefined;
}

/** The axes of the customizable definitions, in config order (per-entity ones never are). */
function customizableAxes(config: StatsConfig): CustomAxis[] {
  return config.creation.definitions.flatMap((definition) => {
    const def = Object.hasOwn(config.definitions, definition) ? config.definitions[definition] : undefined;
    if (!def || def.perEntity) return [];
    return Object.entries(def.axes).map(([axis, spec]) => ({ definition, axis, spec }));
  });
}

/** The value points are added to: the template's (else the axis default), within the axis bounds. */
function baseValue(template: CharacterTemplate, { definition, axis, spec }: CustomAxis): number {
  return clampToSlot(spec, template.stats[definition]?.[axis] ?? spec.default);
}

/**
 * The template's stats with each customized axis set to `base + points`. Without customizations
 * the stats are the template's own (a world clamps them to its bounds on entry).
 */
function buildCharacter(template: CharacterTemplate, customizations: StatValues, name: string, config: StatsConfig): Character {
  const stats: StatValues = {};
  for (const [definition, axes] of Object.entries(template.stats)) stats[definition] = { ...axes };
  for (const [definition, axes] of Object.entries(customizations)) {
    for (const [axis, points] of Object.entries(axes)) {
      const spec = config.definitions[definition]!.axes[axis]!;
      (stats[definition] ??= {})[axis] = baseValue(template, { definition, axis, spec }) + points;
    }
  }
  return { template: template.id, name, traits: [...template.traits], stats, customizations };
}

function sortTemplates(templates: Templates): CharacterTemplate[] {
  return [...templates.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function pickTemplate(rng: RngState, templates: Templates): CharacterTemplate | undefined {
  const sorted = sortTemplates(templates);
  return sorted.length === 0 ? undefined : sorted[nextInt(rng, sorted.length)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
