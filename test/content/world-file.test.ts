import { describe, expect, it } from "vitest";
import { DEFAULT_SEED, DEFAULT_TICK_RATE, describeWorldFileError, parseWorldFile } from "../../src/content/world-file.ts";
import type { WorldDef } from "../../src/core/index.ts";

/** The example of the README's "World files" section. */
const README_EXAMPLE = {
  id: "docks",
  name: "The Docks",
  tickRate: 20,
  seed: 42,
  map: ["########", "#S..#..#", "#......#", "########"],
  npcs: [
    { id: "crate-1", name: "Crate", at: [3, 2], behaviours: ["Moveable"] },
    { id: "gull", name: "Gull", at: [5, 1], behaviours: ["Frightened"], ai: "wander" },
  ],
};

const npc = (id: string, at: [number, number], fields: Record<string, unknown> = {}) => ({ id, name: id, at, behaviours: ["Moveable"], ...fields });

/** The README example with `fields` replacing top-level fields. */
const example = (fields: Record<string, unknown> = {}) => ({ ...README_EXAMPLE, ...fields });

function parseValid(json: unknown): WorldDef {
  const parsed = parseWorldFile(json, "docks.json");
  if (!parsed.ok) throw new Error(describeWorldFileError(parsed));
  return parsed.value;
}

function problemsOf(json: unknown): string[] {
  const parsed = parseWorldFile(json, "docks.json");
  expect(parsed.ok, "the file is rejected").toBe(false);
  return parsed.ok ? [] : parsed.problems;
}

/** Expects exactly one problem, on `path`, whose message matches `problem`. */
function expectOneProblem(json: unknown, path: string, problem: RegExp): void {
  const problems = problemsOf(json);
  expect(problems).toHaveLength(1);
  expect(problems[0]!.startsWith(`${path}: `), problems[0]).toBe(true);
  expect(problems[0]).toMatch(problem);
}

describe("parseWorldFile: valid files", () => {
  it("accepts the README's example world as written", () => {
    const world = parseValid(README_EXAMPLE);
    expect(world).toMatchObject({ id: "docks", name: "The Docks", tickRate: 20, seed: 42, map: README_EXAMPLE.map });
    expect(world.npcs.map((n) => n.id)).toEqual(["crate-1", "gull"]);
    expect(world.npcs[1]).toEqual({ id: "gull", name: "Gull", at: [5, 1], behaviours: ["Frightened"], ai: "wander", stats: {} });
  });

  it("applies the defaults: tickRate 20, the default seed, no NPCs", () => {
    const { tickRate: _tickRate, seed: _seed, npcs: _npcs, ...bare } = README_EXAMPLE;
    const world = parseValid(bare);
    expect(world.tickRate).toBe(DEFAULT_TICK_RATE);
    expect(DEFAULT_TICK_RATE).toBe(20);
    expect(world.seed).toBe(DEFAULT_SEED);
    expect(world.npcs).toEqual([]);
  });
});

describe("parseWorldFile: each problem names the field path and what is wrong", () => {
  it("rows of different lengths", () => {
    expectOneProblem(example({ map: ["########", "#S..#..#", "#.....#", "########"] }), "map[2]", /row has 7 cells, row 0 has 8/);
  });

  it("a map character other than '#', '.' and 'S'", () => {
    expectOneProblem(example({ map: ["########", "#S..x..#", "#......#", "########"] }), "map[1]", /'#'.*'\.'.*'S'/);
  });

  it("a map without a spawn point", () => {
    expectOneProblem(example({ map: ["########", "#...#..#", "#......#", "########"] }), "map", /no spawn point 'S'/);
  });

  it("an NPC on a wall", () => {
    expectOneProblem(example({ npcs: [npc("crate", [4, 1])] }), "npcs[0].at", /\[4, 1\] is a wall/);
  });

  it("an NPC outside the map", () => {
    expectOneProblem(example({ npcs: [npc("crate", [8, 1])] }), "npcs[0].at", /\[8, 1\] is outside the 8×4 map/);
  });

  it("two NPCs on one cell", () => {
    expectOneProblem(example({ npcs: [npc("a", [2, 2]), npc("b", [2, 2])] }), "npcs[1].at", /\[2, 2\] is already taken by "a"/);
  });

  it("a duplicate NPC id", () => {
    expectOneProblem(example({ npcs: [npc("crate", [2, 2]), npc("crate", [3, 2])] }), "npcs[1].id", /duplicate id "crate" \(also npcs\[0\]\)/);
  });

  it("an unknown behaviour", () => {
    expectOneProblem(example({ npcs: [npc("crate", [2, 2], { behaviours: ["Sleepy"] })] }), "npcs[0].behaviours[0]", /Moveable.*Frightened.*Aggressive/);
  });

  it("an unknown top-level field", () => {
    expectOneProblem(example({ colour: "red" }), "(root)", /colour/);
  });

  it("an unknown NPC field", () => {
    expectOneProblem(example({ npcs: [npc("crate", [2, 2], { speed: 3 })] }), "npcs[0]", /speed/);
  });

  it("a tickRate that is not an integer", () => {
    expectOneProblem(example({ tickRate: 2.5 }), "tickRate", /int/);
  });

  it("an empty map", () => {
    expectOneProblem(example({ map: [], npcs: [] }), "map", />=\s*1/);
  });

  it("an NPC id of the form player-<n>, which is reserved for player actors", () => {
    expectOneProblem(example({ npcs: [npc("player-1", [2, 2])] }), "npcs[0].id", /reserved for player actors/);
  });

  it("a tickRate out of range 1–60", () => {
    expectOneProblem(example({ tickRate: 0 }), "tickRate", />=\s*1/);
    expectOneProblem(example({ tickRate: 61 }), "tickRate", /<=\s*60/);
  });
});

describe("parseWorldFile: several problems", () => {
  it("reports every world problem of a file together", () => {
    const problems = problemsOf(
      example({
        map: ["########", "#...#..#", "#.....#", "########"],
        npcs: [npc("crate", [4, 1]), npc("crate", [9, 9]), npc("gull", [2, 2]), npc("cat", [2, 2])],
      }),
    );
    expect(problems).toHaveLength(6);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^map\[2\]: row has 7 cells/),
        expect.stringMatching(/^map: no spawn point/),
        expect.stringMatching(/^npcs\[0\]\.at: \[4, 1\] is a wall/),
        expect.stringMatching(/^npcs\[1\]\.id: duplicate id "crate"/),
        expect.stringMatching(/^npcs\[1\]\.at: \[9, 9\] is outside/),
        expect.stringMatching(/^npcs\[3\]\.at: \[2, 2\] is already taken by "gull"/),
      ]),
    );
  });

  it("reports shape problems and world problems together", () => {
    const problems = problemsOf(example({ colour: "red", map: ["########", "#S..x..#", "#......#", "########"], npcs: [npc("crate", [0, 0])] }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\(root\): .*colour/),
        expect.stringMatching(/^map\[1\]: /),
        expect.stringMatching(/^npcs\[0\]\.at: \[0, 0\] is a wall/),
      ]),
    );
  });
});

describe("describeWorldFileError", () => {
  it("starts with the source file name, then lists one problem per line", () => {
    const parsed = parseWorldFile(example({ tickRate: 0, npcs: [npc("crate", [4, 1])] }), "data/worlds/docks.json");
    if (parsed.ok) throw new Error("expected the file to be rejected");
    const message = describeWorldFileError(parsed);
    expect(message.startsWith("data/worlds/docks.json: ")).toBe(true);
    const lines = message.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines.slice(1)).toEqual(parsed.problems.map((p) => `  - ${p}`));
    expect(message).toContain("npcs[0].at: [4, 1] is a wall");
  });
});
