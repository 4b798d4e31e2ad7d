/**
 * The stat layout (src/stats/layout.ts): merging stat layers, normalization with tier ids, tier
 * lookup and clamping, with seed 004's examples ("Usage Examples" and "Testing Plan") as tests.
 */
import { describe, expect, it } from "vitest";
import type { CharacterTemplate } from "../../src/content/character-file.ts";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { mergeStatValues, parseWorldFile } from "../../src/content/world-file.ts";
import { createSimulation, createWorld, submitInput, type World, type WorldDef } from "../../src/core/index.ts";
import { clampToSlot, compileStatLayout, mergeLayers, normalizeStats, tierIndex, vectorToValues } from "../../src/stats/layout.ts";
import { computeEffective, createStatState } from "../../src/stats/stat-state.ts";
import type { StatsConfig, StatValues } from "../../src/stats/types.ts";
import { checkInvariants } from "../support/worlds.ts";
import { TEST_RULES } from "../support/worlds.ts";

const DEFAULT_LAYOUT = compileStatLayout(DEFAULT_STATS_CONFIG);

/** Seed 004's Orc Warrior keeps health inside `combat_skills`. */
const ORC_CONFIG: StatsConfig = {
  definitions: {
    combat_skills: {
      axes: {
        strength: { min: 0, max: 100, default: 50 },
        defense: { min: 0, max: 100, default: 50 },
        agility: { min: 0, max: 100, default: 50 },
        health: { min: 0, max: 100, default: 100 },
      },
    },
  },
  creation: { pointBudget: 0, definitions: [] },
};

/** Effective values of a base layer plus a runtime layer, as nested values. */
function effectiveOf(config: StatsConfig, base: StatValues, runtime: StatValues): StatValues {
  const layout = compileStatLayout(config);
  const state = createStatState(layout, mergeLayers(layout, [base]));
  const overrides = mergeLayers(layout, [runtime]);
  layout.slots.forEach((slot, i) => {
    if (runtime[slot.definition]?.[slot.axis] !== undefined) state.runtime[i] = overrides[i]!;
  });
  const out = new Float64Array(layout.slots.length);
  computeEffective(layout, state, out);
  return vectorToValues(layout, out);
}

const effectiveIn = (world: World, id: string): StatValues => vectorToValues(world.layout, world.byId.get(id)!.effective);

describe("seed 004, example 1: NPC combat (base + runtime override)", () => {
  const base = { combat_skills: { strength: 90, defense: 75, agility: 40 } };

  it("merge_entity_stats: base and override merge into all four axes", () => {
    expect(mergeStatValues([base, { combat_skills: { health: 65 } }])).toEqual({ combat_skills: { strength: 90, defense: 75, agility: 40, health: 65 } });
  });

  it("with health in combat_skills, the effective stats are the seed's result", () => {
    expect(effectiveOf(ORC_CONFIG, base, { combat_skills: { health: 65 } })).toEqual({ combat_skills: { strength: 90, defense: 75, agility: 40, health: 65 } });
  });

  it("with the default config, health lives in attributes and unnamed axes keep their defaults", () => {
    expect(effectiveOf(DEFAULT_STATS_CONFIG, base, { attributes: { health: 65 } })).toEqual({
      attributes: { health: 65, stamina: 100 },
      combat_skills: { strength: 90, defense: 75, agility: 40 },
    });
  });
});

describe("seed 004, example 2 and testing plan: normalization adds tier ids", () => {
  it("relationships { affinity: 75, trust: 60 } → affinityTierId friend, trustTierId neutral", () => {
    expect(normalizeStats(DEFAULT_STATS_CONFIG, "relationships", { affinity: 75, trust: 60 })).toEqual({
      affinity: 75,
      affinityTierId: "friend",
      trust: 60,
      trustTierId: "neutral",
    });
  });

  it("relationships { affinity: 75 } alone gives affinityTierId friend; trust takes its default", () => {
    const normalized = normalizeStats(DEFAULT_STATS_CONFIG, "relationships", { affinity: 75 });
    expect(normalized.affinityTierId).toBe("friend");
    expect(normalized).toMatchObject({ trust: 0, trustTierId: "wary" });
  });

  it("combat_skills { strength: 90 } → strengthTierId expert", () => {
    expect(normalizeStats(DEFAULT_STATS_CONFIG, "combat_skills", { strength: 90 })).toEqual({
      strength: 90,
      strengthTierId: "expert",
      agility: 50,
      agilityTierId: "adept",
      defense: 50,
      defenseTierId: "adept",
    });
  });

  it("clamps before it picks a tier, and adds no tier id to an axis without tiers", () => {
    expect(normalizeStats(DEFAULT_STATS_CONFIG, "relationships", { affinity: 250, trust: -5 })).toMatchObject({ affinity: 100, affinityTierId: "close_friend", trust: 0, trustTierId: "wary" });
    expect(normalizeStats(ORC_CONFIG, "combat_skills", { strength: 90 })).toEqual({ strength: 90, defense: 50, agility: 50, health: 100 });
  });

  it("an unknown definition comes back as given", () => {
    expect(normalizeStats(DEFAULT_STATS_CONFIG, "magic", { mana: 5 })).toEqual({ mana: 5 });
  });
});

describe("merge order: template → instance → NPC base → runtime", () => {
  const template = { combat_skills: { strength: 10, agility: 20, defense: 30 }, attributes: { stamina: 40 } };
  const instance = { combat_skills: { agility: 21, defense: 31 }, attributes: { stamina: 41 } };
  const npcBase = { combat_skills: { defense: 32 }, attributes: { stamina: 42 } };
  const runtime = { attributes: { stamina: 43 } };
  /** Each axis from the last layer naming it; health named by none keeps its default. */
  const expected = { attributes: { health: 100, stamina: 43 }, combat_skills: { strength: 10, agility: 21, defense: 32 } };

  it("mergeLayers: later layers win per axis over the defaults", () => {
    expect(vectorToValues(DEFAULT_LAYOUT, mergeLayers(DEFAULT_LAYOUT, [template, instance, npcBase, runtime]))).toEqual(expected);
    expect(vectorToValues(DEFAULT_LAYOUT, mergeLayers(DEFAULT_LAYOUT, []))).toEqual({ attributes: { health: 100, stamina: 100 }, combat_skills: { strength: 50, agility: 50, defense: 50 } });
  });

  it("mergeLayers skips missing layers, ignores axes the world does not define and clamps the rest", () => {
    const merged = mergeLayers(DEFAULT_LAYOUT, [undefined, { combat_skills: { strength: 250, wisdom: 9 }, magic: { mana: 3 } }, { attributes: { health: -20 } }]);
    expect(vectorToValues(DEFAULT_LAYOUT, merged)).toEqual({ attributes: { health: 0, stamina: 100 }, combat_skills: { strength: 100, agility: 50, defense: 50 } });
  });

  it("parseWorldFile: template, the world's instance override and the NPC's own stats, then a runtime set-stats", () => {
    const templates = new Map<string, CharacterTemplate>([["orc", { id: "orc", name: "Orc Warrior", traits: [], defaultFor: [], stats: template }]]);
    const file = {
      id: "w",
      name: "W",
      map: ["S..."],
      characters: { orc: { stats: instance } },
      npcs: [
        { id: "grok", name: "Grok", at: [1, 0], behaviours: ["Aggressive"], template: "orc", stats: npcBase },
        { id: "plain", name: "Plain", at: [2, 0], behaviours: ["Moveable"] },
      ],
    };
    const parsed = parseWorldFile(file, "w.json", templates);
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    expect(parsed.value.npcs[0]!.stats).toEqual({ combat_skills: { strength: 10, agility: 21, defense: 32 }, attributes: { stamina: 42 } });
    expect(parsed.value.npcs[1]!.stats).toEqual({});

    const sim = createSimulation(createWorld(parsed.value, TEST_RULES));
    expect(submitInput(sim, { type: "set-stats", actorId: "grok", values: runtime }).ok).toBe(true);
    expect(effectiveIn(sim.world, "grok")).toEqual(expected);
    expect(effectiveIn(sim.world, "plain")).toEqual({ attributes: { health: 100, stamina: 100 }, combat_skills: { strength: 50, agility: 50, defense: 50 } });
    checkInvariants(sim.world);
  });

  it("parseWorldFile rejects an NPC naming a template it was not given", () => {
    const file = { id: "w", name: "W", map: ["S.."], npcs: [{ id: "grok", name: "Grok", at: [1, 0], behaviours: [], template: "troll" }] };
    const parsed = parseWorldFile(file, "w.json", new Map());
    expect(parsed).toEqual({ ok: false, source: "w.json", problems: ['npcs[0].template: no character template "troll" (have: none)'] });
  });
});

describe("seed 004, example 3: one character, different stats per world", () => {
  const koba: CharacterTemplate = { id: "koba", name: "Koba", traits: [], defaultFor: [], stats: { combat_skills: { strength: 60, agility: 60, defense: 60 } } };
  const worldWith = (id: string, override: StatValues): WorldDef => {
    const parsed = parseWorldFile(
      { id, name: id, map: ["S.."], characters: { koba: { stats: override } }, npcs: [{ id: "koba", name: "Koba", at: [1, 0], behaviours: ["Moveable"], template: "koba" }] },
      `${id}.json`,
      new Map([["koba", koba]]),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    return parsed.value;
  };

  it("the jungle's Koba is stronger than the city's, and both keep the template's defense", () => {
    const jungle = createWorld(worldWith("jungle", { combat_skills: { strength: 90, agility: 70 } }), TEST_RULES);
    const city = createWorld(worldWith("city", { combat_skills: { strength: 70, agility: 50 } }), TEST_RULES);
    expect(effectiveIn(jungle, "koba").combat_skills).toEqual({ strength: 90, agility: 70, defense: 60 });
    expect(effectiveIn(city, "koba").combat_skills).toEqual({ strength: 70, agility: 50, defense: 60 });
  });
});

describe("tierIndex", () => {
  const slot = (key: string): number => DEFAULT_LAYOUT.indexOf.get(key)!;

  it("health: each tier's first and last value map to that tier", () => {
    const health = slot("attributes.health");
    const cases: Array<[number, number]> = [
      [0, 0],
      [1, 1],
      [24, 1],
      [25, 2],
      [74, 2],
      [75, 3],
      [100, 3],
    ];
    for (const [value, tier] of cases) expect(tierIndex(DEFAULT_LAYOUT, health, value), `health ${value}`).toBe(tier);
  });

  it("every boundary of every tiered axis of the default config", () => {
    DEFAULT_LAYOUT.slots.forEach((s, i) => {
      s.tiers!.forEach((tier, t) => {
        expect(tierIndex(DEFAULT_LAYOUT, i, tier.min), `${s.key} ${tier.id} min`).toBe(t);
        expect(tierIndex(DEFAULT_LAYOUT, i, tier.max), `${s.key} ${tier.id} max`).toBe(t);
      });
    });
  });

  it("agrees with normalizeStats for every value of every axis", () => {
    DEFAULT_LAYOUT.slots.forEach((s, i) => {
      for (let v = s.min; v <= s.max; v++) {
        const normalized = normalizeStats(DEFAULT_STATS_CONFIG, s.definition, { [s.axis]: v });
        expect(s.tiers![tierIndex(DEFAULT_LAYOUT, i, v)]!.id, `${s.key} = ${v}`).toBe(normalized[`${s.axis}TierId`]);
      }
    });
  });

  it("is −1 on an axis without tiers", () => {
    const layout = compileStatLayout(ORC_CONFIG);
    expect(tierIndex(layout, layout.indexOf.get("combat_skills.strength")!, 90)).toBe(-1);
  });
});

describe("compileStatLayout", () => {
  it("flattens the entity-owned axes in definition order and leaves per-entity definitions out", () => {
    expect(DEFAULT_LAYOUT.slots.map((s) => s.key)).toEqual(["attributes.health", "attributes.stamina", "combat_skills.strength", "combat_skills.agility", "combat_skills.defense"]);
    expect(DEFAULT_LAYOUT.indexOf.has("relationships.affinity")).toBe(false);
  });
});

describe("clampToSlot: Math.round, then the axis's bounds", () => {
  const axis = { min: -10, max: 10, default: 0 };
  const cases: Array<[number, number]> = [
    [3.4, 3],
    [3.5, 4],
    [-2.5, -2],
    [-2.6, -3],
    [10.4, 10],
    [10.5, 10],
    [11, 10],
    [-10.5, -10],
    [-11, -10],
    [7, 7],
  ];
  for (const [value, expected] of cases) {
    it(`${value} → ${expected}`, () => expect(clampToSlot(axis, value)).toBe(expected));
  }
});

describe("vectorToValues", () => {
  it("nests a vector by definition and axis and skips NaN (unset runtime) entries", () => {
    const vector = Float64Array.from([65, Number.NaN, Number.NaN, 90, Number.NaN]);
    expect(vectorToValues(DEFAULT_LAYOUT, vector)).toEqual({ attributes: { health: 65 }, combat_skills: { agility: 90 } });
  });
});
