/** The shipped character templates (`data/characters/*.json`) load, and fit the default stats. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { createCharacter, defaultCharacter, randomCharacter } from "../../src/sessions/character-gen.ts";
import { loadTemplates } from "../../src/server/world-loader.ts";

const DATA_DIR = join(import.meta.dirname, "..", "..", "data");

function shippedTemplates() {
  const problems: string[] = [];
  const templates = loadTemplates(join(DATA_DIR, "characters"), problems);
  expect(problems).toEqual([]);
  return templates;
}

describe("data/characters", () => {
  it("all load, and exactly one is the default for \"default\"", () => {
    const templates = shippedTemplates();
    expect(templates.size).toBeGreaterThanOrEqual(4);
    expect([...templates.values()].filter((t) => t.defaultFor.includes("default")).map((t) => t.id)).toEqual(["dock-hand"]);
  });

  it("name only axes of the default stats config, within bounds", () => {
    for (const template of shippedTemplates().values()) {
      for (const [definition, axes] of Object.entries(template.stats)) {
        const def = DEFAULT_STATS_CONFIG.definitions[definition];
        expect(def?.perEntity, `${template.id}: ${definition}`).toBeUndefined();
        for (const [axis, value] of Object.entries(axes)) {
          const spec = def!.axes[axis];
          expect(spec, `${template.id}: ${definition}.${axis}`).toBeDefined();
          expect(value).toBeGreaterThanOrEqual(spec!.min);
          expect(value).toBeLessThanOrEqual(spec!.max);
        }
      }
    }
  });

  it("give the seed's orc warrior, a default for the docks, and random characters for each", () => {
    const templates = shippedTemplates();
    expect(templates.get("orc-warrior")?.stats.combat_skills).toEqual({ strength: 90, defense: 75, agility: 40 });
    expect(defaultCharacter("default", templates, DEFAULT_STATS_CONFIG)?.template).toBe("dock-hand");
    expect(defaultCharacter("harbour", templates, DEFAULT_STATS_CONFIG)?.template).toBe("dock-hand");
    for (const id of templates.keys()) {
      expect(randomCharacter(3, templates, DEFAULT_STATS_CONFIG, { template: id })?.template).toBe(id);
      expect(createCharacter({ template: id, customizations: { combat_skills: { agility: 10 } } }, { scenario: "default", templates, config: DEFAULT_STATS_CONFIG }).ok).toBe(true);
    }
  });
});
