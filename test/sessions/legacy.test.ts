import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { migrateLegacyRelationships } from "../../src/sessions/legacy.ts";
import type { StatsConfig } from "../../src/stats/types.ts";

const migrate = (legacy: unknown, config: StatsConfig = DEFAULT_STATS_CONFIG) => migrateLegacyRelationships(legacy, config);

describe("migrateLegacyRelationships", () => {
  it("keys entries npc:<id>, whether or not they were prefixed", () => {
    expect(migrate({ orc: { affinity: 75, trust: 60 }, "npc:harbour-master": { affinity: 30 } })).toEqual({
      "npc:harbour-master": { affinity: 30 },
      "npc:orc": { affinity: 75, trust: 60 },
    });
  });

  it("keeps integer ids of the old numeric NPCs", () => {
    expect(migrate({ "12": { trust: 40 }, "npc:7": { affinity: 1 } })).toEqual({ "npc:12": { trust: 40 }, "npc:7": { affinity: 1 } });
  });

  it("keeps only the relationships axes: tier ids and other fields are dropped", () => {
    expect(migrate({ orc: { affinity: 75, affinityTierId: "friend", trustTierId: "neutral", mood: "grumpy", lastSeen: 1234 } })).toEqual({ "npc:orc": { affinity: 75 } });
  });

  it("clamps values to the axis bounds and rounds them", () => {
    expect(migrate({ orc: { affinity: 150, trust: -5 }, elf: { affinity: 60.5, trust: 39.4 } })).toEqual({
      "npc:elf": { affinity: 61, trust: 39 },
      "npc:orc": { affinity: 100, trust: 0 },
    });
  });

  it("reads numeric strings and drops values that are not numbers", () => {
    expect(migrate({ orc: { affinity: " 42 ", trust: "high" }, elf: { affinity: null, trust: true }, imp: { affinity: "", trust: [5] } })).toEqual({ "npc:orc": { affinity: 42 } });
  });

  it("lets an npc:<id> entry win over a bare <id> one, per axis", () => {
    expect(migrate({ "npc:orc": { affinity: 80 }, orc: { affinity: 10, trust: 20 } })).toEqual({ "npc:orc": { affinity: 80, trust: 20 } });
  });

  it("drops garbage entries: bad ids, values that are not objects, entries with no axis", () => {
    const legacy = { "player:7": { affinity: 40 }, "npc:": { affinity: 1 }, "": { affinity: 1 }, "has space": { affinity: 1 }, ghost: "boo", list: [1, 2], none: null, quiet: {}, orc: { affinity: 9 } };
    expect(migrate(legacy)).toEqual({ "npc:orc": { affinity: 9 } });
  });

  it("is empty for a legacy value that is not an object", () => {
    for (const legacy of [null, undefined, 42, "orc", [{ affinity: 5 }], true]) expect(migrate(legacy)).toEqual({});
  });

  it("is empty when the world has no relationships definition, and follows the world's own axes", () => {
    const { relationships: _, ...definitions } = DEFAULT_STATS_CONFIG.definitions;
    expect(migrate({ orc: { affinity: 50 } }, { ...DEFAULT_STATS_CONFIG, definitions })).toEqual({});
    const fear: StatsConfig = { ...DEFAULT_STATS_CONFIG, definitions: { relationships: { perEntity: true, axes: { fear: { min: -10, max: 10, default: 0 } } } } };
    expect(migrate({ orc: { affinity: 50, fear: -30 } }, fear)).toEqual({ "npc:orc": { fear: -10 } });
  });

  it("never throws and always gives npc: keys with in-range integers of known axes", () => {
    const axes = DEFAULT_STATS_CONFIG.definitions.relationships!.axes;
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.dictionary(fc.constantFrom("affinity", "trust", "junk"), fc.oneof(fc.double(), fc.string(), fc.integer()))), (junk, shaped) => {
        for (const legacy of [junk, shaped]) {
          const migrated = migrate(legacy);
          for (const [key, values] of Object.entries(migrated)) {
            expect(key).toMatch(/^npc:[A-Za-z0-9][A-Za-z0-9_-]*$/);
            for (const [axis, value] of Object.entries(values)) {
              const spec = axes[axis]!;
              expect(spec).toBeDefined();
              expect(Number.isInteger(value) && value >= spec.min && value <= spec.max).toBe(true);
            }
          }
        }
      }),
    );
  });
});
