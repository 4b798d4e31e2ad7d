/**
 * Validation of a world's stats config (src/content/stats-config.ts) and of the stat values a world
 * file names (src/content/world-file.ts). Each problem is reported with its field path, so one edit
 * fixes the file (STYLE §9).
 */
import { describe, expect, it } from "vitest";
import { formatIssues } from "../../src/content/format-issues.ts";
import { DEFAULT_STATS_CONFIG, statsConfigSchema } from "../../src/content/stats-config.ts";
import { parseWorldFile } from "../../src/content/world-file.ts";
import type { AxisDef, TierDef } from "../../src/stats/types.ts";

const tiers = (...spec: Array<[string, number, number]>): TierDef[] => spec.map(([id, min, max]) => ({ id, min, max }));

/** A config with one definition `skills` holding one axis `level`. */
const configWith = (axis: AxisDef) => ({ definitions: { skills: { axes: { level: axis } } } });

/** The `path: message` lines of a config's problems, or [] when it is valid. */
function problemsOf(config: unknown): string[] {
  const parsed = statsConfigSchema.safeParse(config);
  return parsed.success ? [] : formatIssues(parsed.error.issues);
}

const AXIS = "definitions.skills.axes.level";

describe("stats config validation", () => {
  it("accepts the default config and a valid custom one", () => {
    expect(problemsOf(DEFAULT_STATS_CONFIG)).toEqual([]);
    expect(problemsOf(configWith({ min: 0, max: 10, default: 5, tiers: tiers(["low", 0, 4], ["high", 5, 10]) }))).toEqual([]);
  });

  it("fills a missing creation block with no budget", () => {
    const parsed = statsConfigSchema.parse(configWith({ min: 0, max: 10, default: 5 }));
    expect(parsed.creation).toEqual({ pointBudget: 0, definitions: [] });
  });

  it("reports overlapping tiers at the later tier's min", () => {
    const problems = problemsOf(configWith({ min: 0, max: 100, default: 0, tiers: tiers(["low", 0, 50], ["high", 40, 100]) }));
    expect(problems).toEqual([`${AXIS}.tiers[1].min: tier "high" starts at 40, overlapping the previous tier (next free value is 51)`]);
  });

  it("reports a gap between tiers at the later tier's min", () => {
    const problems = problemsOf(configWith({ min: 0, max: 100, default: 0, tiers: tiers(["low", 0, 40], ["high", 50, 100]) }));
    expect(problems).toEqual([`${AXIS}.tiers[1].min: tier "high" starts at 50, leaving a gap from 41`]);
  });

  it("reports a first tier that starts above the axis's min as a gap", () => {
    const problems = problemsOf(configWith({ min: 0, max: 100, default: 0, tiers: tiers(["only", 10, 100]) }));
    expect(problems).toEqual([`${AXIS}.tiers[0].min: tier "only" starts at 10, leaving a gap from 0`]);
  });

  it("reports tiers that stop short of the axis's max, or run past it", () => {
    expect(problemsOf(configWith({ min: 0, max: 100, default: 0, tiers: tiers(["low", 0, 40], ["mid", 41, 90]) }))).toEqual([`${AXIS}.tiers: tiers end at 90, but the axis goes to 100`]);
    expect(problemsOf(configWith({ min: 0, max: 100, default: 0, tiers: tiers(["low", 0, 40], ["high", 41, 120]) }))).toEqual([`${AXIS}.tiers: tiers end at 120, but the axis goes to 100`]);
  });

  it("reports a tier whose min is above its max", () => {
    const problems = problemsOf(configWith({ min: 0, max: 100, default: 0, tiers: tiers(["low", 0, 49], ["odd", 60, 50], ["high", 50, 100]) }));
    expect(problems).toContain(`${AXIS}.tiers[1]: tier "odd": min 60 is greater than max 50`);
  });

  it("reports min > max at the axis's min", () => {
    expect(problemsOf(configWith({ min: 10, max: 5, default: 7 }))).toEqual([`${AXIS}.min: min 10 is greater than max 5`]);
  });

  it("reports a default outside [min, max] at the axis's default", () => {
    expect(problemsOf(configWith({ min: 0, max: 100, default: 150 }))).toEqual([`${AXIS}.default: default 150 is outside [0, 100]`]);
    expect(problemsOf(configWith({ min: 0, max: 100, default: -1 }))).toEqual([`${AXIS}.default: default -1 is outside [0, 100]`]);
  });

  it("reports every problem of a config at once, each with its own path", () => {
    const config = {
      definitions: {
        a: { axes: { x: { min: 0, max: 10, default: 11 } } },
        b: { axes: { y: { min: 0, max: 10, default: 0, tiers: tiers(["t", 0, 5], ["u", 7, 10]) } } },
      },
    };
    expect(problemsOf(config)).toEqual(["definitions.a.axes.x.default: default 11 is outside [0, 10]", 'definitions.b.axes.y.tiers[1].min: tier "u" starts at 7, leaving a gap from 6']);
  });

  it("reports non-integer bounds, an empty definition and a creation rule naming a missing or per-entity definition", () => {
    const config = {
      definitions: {
        skills: { axes: { level: { min: 0, max: 10.5, default: 0 } } },
        empty: { axes: {} },
        bonds: { perEntity: true, axes: { trust: { min: 0, max: 10, default: 0 } } },
      },
      creation: { pointBudget: 5, definitions: ["bonds", "magic"] },
    };
    const problems = problemsOf(config);
    expect(problems.some((p) => p.startsWith(`${AXIS}.max: `))).toBe(true);
    expect(problems).toContain("definitions.empty.axes: needs at least one axis");
    // The creation rules are checked once every definition parses, so they are a second round.
    const fixed = { ...config, definitions: { ...config.definitions, skills: { axes: { level: { min: 0, max: 10, default: 0 } } }, empty: { axes: { z: { min: 0, max: 1, default: 0 } } } } };
    expect(problemsOf(fixed)).toEqual(['creation.definitions[0]: "bonds" is per-entity and cannot be customized', 'creation.definitions[1]: no stat definition "magic"']);
  });
});

describe("stat values in a world file", () => {
  const worldWith = (npcStats: unknown, extra: Record<string, unknown> = {}) => ({
    id: "w",
    name: "W",
    map: ["S..."],
    npcs: [{ id: "orc", name: "Orc", at: [1, 0], behaviours: ["Aggressive"], stats: npcStats }],
    ...extra,
  });
  const problemsOf = (file: unknown): string[] => {
    const parsed = parseWorldFile(file, "w.json");
    return parsed.ok ? [] : parsed.problems;
  };

  it("accepts known axes within bounds", () => {
    expect(problemsOf(worldWith({ combat_skills: { strength: 90, defense: 75, agility: 40 }, attributes: { health: 65 } }))).toEqual([]);
  });

  it("rejects an unknown axis at npcs[0].stats.<def>.<axis>", () => {
    expect(problemsOf(worldWith({ combat_skills: { wisdom: 5 } }))).toEqual(['npcs[0].stats.combat_skills.wisdom: no axis "wisdom" in "combat_skills" (have: strength, agility, defense)']);
  });

  it("rejects a value outside its axis's bounds at npcs[0].stats.<def>.<axis>", () => {
    expect(problemsOf(worldWith({ attributes: { health: 101 } }))).toEqual(["npcs[0].stats.attributes.health: 101 is outside [0, 100]"]);
    expect(problemsOf(worldWith({ combat_skills: { strength: -1 } }))).toEqual(["npcs[0].stats.combat_skills.strength: -1 is outside [0, 100]"]);
  });

  it("rejects a non-integer value at npcs[0].stats.<def>.<axis>", () => {
    const problems = problemsOf(worldWith({ attributes: { health: 50.5 } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^npcs\[0\]\.stats\.attributes\.health: /);
  });

  it("rejects an unknown or per-entity definition at npcs[0].stats.<def>", () => {
    expect(problemsOf(worldWith({ magic: { mana: 5 } }))).toEqual(['npcs[0].stats.magic: no entity stat definition "magic" in this world (have: attributes, combat_skills)']);
    expect(problemsOf(worldWith({ relationships: { affinity: 5 } }))).toEqual([
      'npcs[0].stats.relationships: no entity stat definition "relationships" in this world (have: attributes, combat_skills)',
    ]);
  });

  it("checks against the world's own stats config, not the default one", () => {
    const stats = { definitions: { attributes: { axes: { health: { min: 0, max: 10, default: 10 } } } } };
    expect(problemsOf(worldWith({ attributes: { health: 11 } }, { stats }))).toEqual(["npcs[0].stats.attributes.health: 11 is outside [0, 10]"]);
    expect(problemsOf(worldWith({ combat_skills: { strength: 5 } }, { stats }))).toEqual(['npcs[0].stats.combat_skills: no entity stat definition "combat_skills" in this world (have: attributes)']);
  });

  it("checks the world's character instance overrides too, and reports every problem together", () => {
    const file = worldWith({ attributes: { health: 200 } }, { characters: { orc: { stats: { combat_skills: { strength: 300, luck: 1 } } } } });
    expect(problemsOf(file)).toEqual([
      "npcs[0].stats.attributes.health: 200 is outside [0, 100]",
      "characters.orc.stats.combat_skills.strength: 300 is outside [0, 100]",
      'characters.orc.stats.combat_skills.luck: no axis "luck" in "combat_skills" (have: strength, agility, defense)',
    ]);
  });

  it("reports a bad stats config inside a world file with its path under stats", () => {
    const stats = { definitions: { attributes: { axes: { health: { min: 0, max: 100, default: 100, tiers: tiers(["low", 0, 49], ["high", 60, 100]) } } } } };
    expect(problemsOf(worldWith(undefined, { stats }))).toEqual(['stats.definitions.attributes.axes.health.tiers[1].min: tier "high" starts at 60, leaving a gap from 50']);
  });
});
