import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CharacterTemplate } from "../../src/content/character-file.ts";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { createCharacter, customizeCharacter, defaultCharacter, randomCharacter, type Templates } from "../../src/sessions/character-gen.ts";
import type { Character } from "../../src/sessions/types.ts";
import type { StatsConfig, StatValues } from "../../src/stats/types.ts";

function template(id: string, fields: Partial<CharacterTemplate> = {}): CharacterTemplate {
  return { id, name: id, traits: [], defaultFor: [], stats: {}, ...fields };
}

const DOCK_HAND = template("dock-hand", {
  name: "Dock Hand",
  traits: ["hard-working"],
  defaultFor: ["harbour", "default"],
  stats: { attributes: { health: 100, stamina: 90 }, combat_skills: { strength: 55, agility: 45, defense: 40 } },
});
const ORC = template("orc-warrior", { name: "Orc Warrior", traits: ["brutal"], defaultFor: ["frontier"], stats: { combat_skills: { strength: 90, defense: 75, agility: 40 } } });
/** No stats of its own: customizations start from the axis defaults (50). */
const SCHOLAR = template("scholar", { name: "Scholar", defaultFor: ["mystery"] });

/** Templates by id, inserted in the given order. */
const templatesOf = (...list: CharacterTemplate[]): Templates => new Map(list.map((t) => [t.id, t]));
const TEMPLATES = templatesOf(SCHOLAR, ORC, DOCK_HAND);

const configWith = (pointBudget: number, definitions = ["combat_skills"]): StatsConfig => ({ ...DEFAULT_STATS_CONFIG, creation: { pointBudget, definitions } });

const sumPoints = (values: StatValues): number => Object.values(values).reduce((sum, axes) => sum + Object.values(axes).reduce((a, b) => a + b, 0), 0);

/** The creation invariants every generated character keeps. */
function checkCharacter(character: Character, config: StatsConfig): void {
  const base = [...TEMPLATES.values()].find((t) => t.id === character.template)!;
  for (const [definition, axes] of Object.entries(character.customizations)) {
    expect(config.creation.definitions).toContain(definition);
    for (const [axis, points] of Object.entries(axes)) {
      const spec = config.definitions[definition]!.axes[axis]!;
      expect(points).toBeGreaterThan(0);
      expect(character.stats[definition]![axis]).toBe((base.stats[definition]?.[axis] ?? spec.default) + points);
      expect(character.stats[definition]![axis]).toBeLessThanOrEqual(spec.max);
    }
  }
  for (const [definition, axes] of Object.entries(base.stats)) {
    for (const [axis, value] of Object.entries(axes)) if (character.customizations[definition]?.[axis] === undefined) expect(character.stats[definition]![axis]).toBe(value);
  }
}

describe("defaultCharacter", () => {
  it("is the template whose defaultFor names the scenario type, uncustomized", () => {
    expect(defaultCharacter("frontier", TEMPLATES, DEFAULT_STATS_CONFIG)).toEqual({
      template: "orc-warrior",
      name: "Orc Warrior",
      traits: ["brutal"],
      stats: { combat_skills: { strength: 90, defense: 75, agility: 40 } },
      customizations: {},
    });
    expect(defaultCharacter("harbour", TEMPLATES, DEFAULT_STATS_CONFIG)?.template).toBe("dock-hand");
    expect(defaultCharacter("mystery", TEMPLATES, DEFAULT_STATS_CONFIG)?.template).toBe("scholar");
  });

  it("falls back to the template for \"default\" for any other scenario type", () => {
    expect(defaultCharacter("default", TEMPLATES, DEFAULT_STATS_CONFIG)?.template).toBe("dock-hand");
    expect(defaultCharacter("space-opera", TEMPLATES, DEFAULT_STATS_CONFIG)?.template).toBe("dock-hand");
  });

  it("does not depend on the order templates were loaded in", () => {
    const rival = template("bosun", { defaultFor: ["harbour"] });
    expect(defaultCharacter("harbour", templatesOf(DOCK_HAND, rival), DEFAULT_STATS_CONFIG)?.template).toBe("bosun");
    expect(defaultCharacter("harbour", templatesOf(rival, DOCK_HAND), DEFAULT_STATS_CONFIG)?.template).toBe("bosun");
  });

  it("is undefined when no template is the default for the scenario or for \"default\"", () => {
    expect(defaultCharacter("space-opera", templatesOf(ORC, SCHOLAR), DEFAULT_STATS_CONFIG)).toBeUndefined();
    expect(defaultCharacter("default", new Map(), DEFAULT_STATS_CONFIG)).toBeUndefined();
  });
});

describe("randomCharacter", () => {
  it("is the same character for the same seed, and spends exactly the budget within the maxima", () => {
    const config = configWith(20);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const character = randomCharacter(seed, TEMPLATES, config)!;
        expect(randomCharacter(seed, TEMPLATES, config)).toEqual(character);
        expect(sumPoints(character.customizations)).toBe(20);
        checkCharacter(character, config);
      }),
    );
  });

  it("keeps to the given template and name", () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...TEMPLATES.keys()), (seed, id) => {
        const character = randomCharacter(seed, TEMPLATES, DEFAULT_STATS_CONFIG, { template: id, name: "Rook" })!;
        expect(character.template).toBe(id);
        expect(character.name).toBe("Rook");
        expect(character.traits).toEqual(TEMPLATES.get(id)!.traits);
      }),
    );
  });

  it("spends the whole budget unless the axes have less room, then fills them (any budget, several definitions)", () => {
    // Room below max for the orc: combat_skills 10 + 60 + 25, attributes 0 + 0 (both default to 100).
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 300 }), fc.boolean(), (seed, budget, withAttributes) => {
        const config = configWith(budget, withAttributes ? ["attributes", "combat_skills"] : ["combat_skills"]);
        const character = randomCharacter(seed, TEMPLATES, config, { template: "orc-warrior" })!;
        expect(sumPoints(character.customizations)).toBe(Math.min(budget, 95));
        expect(character.customizations.attributes).toBeUndefined();
        checkCharacter(character, config);
      }),
    );
  });

  it("varies with the seed: templates and allocations", () => {
    const characters = Array.from({ length: 40 }, (_, seed) => randomCharacter(seed, TEMPLATES, DEFAULT_STATS_CONFIG)!);
    expect(new Set(characters.map((c) => c.template))).toEqual(new Set(TEMPLATES.keys()));
    expect(new Set(characters.map((c) => JSON.stringify(c.customizations))).size).toBeGreaterThan(20);
  });

  it("is undefined for an unknown template or when there are none", () => {
    expect(randomCharacter(1, TEMPLATES, DEFAULT_STATS_CONFIG, { template: "pirate" })).toBeUndefined();
    expect(randomCharacter(1, new Map(), DEFAULT_STATS_CONFIG)).toBeUndefined();
  });
});

describe("customizeCharacter", () => {
  it("adds the points to the template's values and records them", () => {
    const result = customizeCharacter(DOCK_HAND, { combat_skills: { strength: 5, agility: 15 } }, DEFAULT_STATS_CONFIG);
    expect(result).toEqual({
      ok: true,
      value: {
        template: "dock-hand",
        name: "Dock Hand",
        traits: ["hard-working"],
        stats: { attributes: { health: 100, stamina: 90 }, combat_skills: { strength: 60, agility: 60, defense: 40 } },
        customizations: { combat_skills: { strength: 5, agility: 15 } },
      },
    });
  });

  it("starts an axis the template does not name from the axis default, and takes a name", () => {
    const result = customizeCharacter(SCHOLAR, { combat_skills: { defense: 20, agility: 0 } }, DEFAULT_STATS_CONFIG, "Quill");
    expect(result).toEqual({ ok: true, value: { template: "scholar", name: "Quill", traits: [], stats: { combat_skills: { defense: 70 } }, customizations: { combat_skills: { defense: 20 } } } });
  });

  it("accepts no customizations, the whole budget, and exactly the axis max", () => {
    expect(customizeCharacter(ORC, {}, DEFAULT_STATS_CONFIG)).toMatchObject({ ok: true, value: { customizations: {}, stats: ORC.stats } });
    expect(customizeCharacter(ORC, { combat_skills: { strength: 10, agility: 10 } }, DEFAULT_STATS_CONFIG)).toMatchObject({ ok: true, value: { stats: { combat_skills: { strength: 100, agility: 50 } } } });
  });

  it.each([
    ["an unknown definition", { magic: { fire: 3 } }, "customizations.magic", 'no stat definition "magic"'],
    ["a definition that is not customizable", { attributes: { health: 0 } }, "customizations.attributes", '"attributes" cannot be customized'],
    ["the per-entity definition", { relationships: { affinity: 5 } }, "customizations.relationships", "cannot be customized"],
    ["an unknown axis", { combat_skills: { charisma: 3 } }, "customizations.combat_skills.charisma", 'no axis "charisma"'],
    ["negative points", { combat_skills: { strength: -3 } }, "customizations.combat_skills.strength", "cannot be negative"],
    ["fractional points", { combat_skills: { strength: 2.5 } }, "customizations.combat_skills.strength", "must be an integer"],
    ["points that are not a number", { combat_skills: { strength: "5" as unknown as number } }, "customizations.combat_skills.strength", "must be an integer"],
    ["a value above the axis max", { combat_skills: { strength: 11 } }, "customizations.combat_skills.strength", "90 + 11 = 101 is above the axis max 100"],
    ["points over the budget", { combat_skills: { agility: 15, defense: 6 } }, "customizations", "21 points spent, over the budget of 20"],
  ])("rejects %s, naming the field", (_case, customizations: StatValues, field, message) => {
    const result = customizeCharacter(ORC, customizations, DEFAULT_STATS_CONFIG);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.field).toBe(field);
    expect(result.problems[0]!.message).toContain(message);
  });

  it("rejects a blank or overlong name on field name", () => {
    expect(customizeCharacter(ORC, {}, DEFAULT_STATS_CONFIG, "  ")).toEqual({ ok: false, problems: [{ field: "name", message: "must not be blank" }] });
    expect(customizeCharacter(ORC, {}, DEFAULT_STATS_CONFIG, "x".repeat(65))).toMatchObject({ ok: false, problems: [{ field: "name" }] });
  });

  it("reports every problem at once", () => {
    const result = customizeCharacter(ORC, { combat_skills: { strength: 11, agility: 12, luck: 1 }, magic: {} }, DEFAULT_STATS_CONFIG, "");
    expect(result.ok ? [] : result.problems.map((p) => p.field)).toEqual(["customizations.combat_skills.strength", "customizations.combat_skills.luck", "customizations.magic", "name"]);
  });
});

describe("createCharacter", () => {
  const context = { scenario: "frontier", templates: TEMPLATES, config: DEFAULT_STATS_CONFIG };

  it("customizes the scenario's default template when none is named", () => {
    const result = createCharacter({ name: "Grosh", customizations: { combat_skills: { agility: 20 } } }, context);
    expect(result).toMatchObject({ ok: true, value: { template: "orc-warrior", name: "Grosh", stats: { combat_skills: { strength: 90, agility: 60, defense: 75 } } } });
  });

  it("uses the named template, and gives the default character for an empty config", () => {
    expect(createCharacter({ template: "scholar" }, context)).toMatchObject({ ok: true, value: { template: "scholar", name: "Scholar", customizations: {} } });
    expect(createCharacter({}, { ...context, scenario: "harbour" })).toEqual({ ok: true, value: defaultCharacter("harbour", TEMPLATES, DEFAULT_STATS_CONFIG) });
  });

  it("draws a random character from randomSeed, on the chosen template", () => {
    const result = createCharacter({ randomSeed: 7, name: "Rook" }, context);
    expect(result).toEqual({ ok: true, value: randomCharacter(7, TEMPLATES, DEFAULT_STATS_CONFIG, { template: "orc-warrior", name: "Rook" }) });
    expect(createCharacter({ randomSeed: 7, name: "Rook" }, context)).toEqual(result);
  });

  it("reports an unknown template, or a missing scenario default, on character.template", () => {
    expect(createCharacter({ template: "pirate" }, context)).toEqual({
      ok: false,
      problems: [{ field: "character.template", message: 'no character template "pirate" (have: dock-hand, orc-warrior, scholar)' }],
    });
    expect(createCharacter({}, { ...context, scenario: "space-opera", templates: templatesOf(ORC) })).toMatchObject({ ok: false, problems: [{ field: "character.template" }] });
  });

  it("prefixes customization problems with character., and refuses randomSeed with customizations", () => {
    expect(createCharacter({ customizations: { combat_skills: { strength: 11 } } }, context)).toMatchObject({ ok: false, problems: [{ field: "character.customizations.combat_skills.strength" }] });
    expect(createCharacter({ randomSeed: 1, customizations: {} }, context)).toMatchObject({ ok: false, problems: [{ field: "character.randomSeed" }] });
    expect(createCharacter({ randomSeed: 1.5 }, context)).toMatchObject({ ok: false, problems: [{ field: "character.randomSeed" }] });
    expect(createCharacter({ randomSeed: 1, name: "" }, context)).toMatchObject({ ok: false, problems: [{ field: "character.name" }] });
  });
});
