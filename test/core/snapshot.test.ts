import { describe, expect, it } from "vitest";
import {
  SNAPSHOT_VERSION,
  createSimulation,
  createWorld,
  hashWorld,
  journalEntries,
  replayJournal,
  restoreWorld,
  snapshotWorld,
  stepSimulation,
  submitInput,
  type Dir,
  type Input,
  type JournalEntry,
  type Simulation,
  type WorldDef,
  type WorldSnapshot,
} from "../../src/core/index.ts";
import { checkInvariants, defineAsciiWorld, positions } from "../support/worlds.ts";
import { TEST_RULES } from "../support/worlds.ts";

const ROWS = [
  "#########", //
  "#S.a..w.#",
  "#..b#...#",
  "#S..f.v.#",
  "#########",
];
const LEGEND = {
  a: { behaviours: ["Moveable" as const] },
  b: { behaviours: ["Aggressive" as const], initiative: 1 },
  f: { behaviours: ["Frightened" as const] },
  w: { behaviours: ["Moveable" as const], ai: "wander" as const },
  v: { behaviours: ["Frightened" as const, "Moveable" as const], ai: "wander" as const },
};
const SEED = 42;

const defineTestWorld = (): WorldDef => defineAsciiWorld(ROWS, LEGEND, SEED);

/** What persistence does to a value: JSON out and back in. */
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Inputs for tick `t` (1-based) of the scripted run: a join, moves, a leave and a second join. */
function scriptedInputs(t: number): Input[] {
  const dirs: Dir[] = ["E", "S", "W", "N"];
  const dir = dirs[t % 4]!;
  if (t === 1) return [{ type: "join", actorId: "", name: "ann" }];
  if (t === 4) return [{ type: "join", actorId: "", name: "bob" }, { type: "act", actorId: "a", kind: "move", payload: { dir: "E" } }];
  if (t === 9) return [{ type: "leave", actorId: "player-1" }];
  return [
    { type: "act", actorId: "a", kind: "move", payload: { dir } },
    { type: "act", actorId: "player-1", kind: "move", payload: { dir: dirs[(t + 1) % 4]! } },
    { type: "act", actorId: "b", kind: "move", payload: { dir: "W" } },
  ];
}

/** Runs ticks `from`..`to` of the scripted run; inputs for actors that are gone are skipped. Returns the hashes. */
function runScript(sim: Simulation, from: number, to: number): string[] {
  const hashes: string[] = [];
  for (let t = from; t <= to; t++) {
    for (const input of scriptedInputs(t)) submitInput(sim, input);
    hashes.push(stepSimulation(sim).hash);
    checkInvariants(sim.world);
  }
  return hashes;
}

function startedSimulation(ticks: number, journalWindow?: number): Simulation {
  const sim = createSimulation(createWorld(defineTestWorld(), TEST_RULES), journalWindow);
  runScript(sim, 1, ticks);
  return sim;
}

describe("snapshot and restore", () => {
  it("a JSON round-tripped snapshot restores positions, tick, generator state, player counter and hash", () => {
    const sim = startedSimulation(12);
    const hashBefore = hashWorld(sim.world);
    const snapshot = viaJson(snapshotWorld(sim.world));
    expect(hashWorld(sim.world), "taking a snapshot changes nothing").toBe(hashBefore);
    expect(sim.world.rng.state, "the wanderers drew from the generator").not.toBe(SEED);
    expect(sim.world.nextPlayerNo).toBe(3);

    const restored = restoreWorld(defineTestWorld(), snapshot, TEST_RULES);
    if (!restored.ok) throw new Error(restored.message);
    const world = restored.value;
    checkInvariants(world);
    expect(positions(world)).toEqual(positions(sim.world));
    expect(world.tick).toBe(12);
    expect(world.rng.state).toBe(sim.world.rng.state);
    expect(world.nextPlayerNo).toBe(sim.world.nextPlayerNo);
    expect(hashWorld(world)).toBe(hashBefore);
    expect(snapshotWorld(world)).toEqual(snapshot);
    expect(world.byId.get("player-2")).toMatchObject({ kind: "player", name: "bob", behaviours: ["Moveable"], ai: null });
    expect(world.byId.get("b")).toMatchObject({ kind: "npc", behaviours: ["Aggressive"], initiative: 1 });
  });

  it("the restored world continues exactly like the original", () => {
    const original = startedSimulation(12);
    const restored = restoreWorld(defineTestWorld(), viaJson(snapshotWorld(original.world)), TEST_RULES);
    if (!restored.ok) throw new Error(restored.message);
    const resumed = createSimulation(restored.value);
    expect(runScript(resumed, 13, 40)).toEqual(runScript(original, 13, 40));
    expect(positions(resumed.world)).toEqual(positions(original.world));
  });

  describe("rejects a snapshot that does not fit its world file with snapshot/mismatch", () => {
    const good = (): WorldSnapshot => viaJson(snapshotWorld(startedSimulation(6).world));

    it("another world's snapshot", () => {
      const result = restoreWorld(defineTestWorld(), { ...good(), worldId: "elsewhere" }, TEST_RULES);
      expect(result).toMatchObject({ ok: false, code: "snapshot/mismatch" });
      expect(!result.ok && result.message).toContain("elsewhere");
    });

    it("another snapshot version", () => {
      const bad = { ...good(), version: SNAPSHOT_VERSION + 1 } as unknown as WorldSnapshot;
      expect(restoreWorld(defineTestWorld(), bad, TEST_RULES)).toMatchObject({ ok: false, code: "snapshot/mismatch" });
    });

    it("an actor on a wall", () => {
      const bad = good();
      const actor = bad.actors.find((a) => a.id === "a")!;
      actor.x = 4;
      actor.y = 2;
      expect(ROWS[2]![4]).toBe("#");
      const result = restoreWorld(defineTestWorld(), bad, TEST_RULES);
      expect(result).toMatchObject({ ok: false, code: "snapshot/mismatch" });
      expect(!result.ok && result.message).toContain("[4, 2] is a wall");
    });

    it("two actors on one cell, or an actor off the map", () => {
      const shared = good();
      shared.actors[1]!.x = shared.actors[0]!.x;
      shared.actors[1]!.y = shared.actors[0]!.y;
      expect(restoreWorld(defineTestWorld(), shared, TEST_RULES)).toMatchObject({ ok: false, code: "snapshot/mismatch" });
      const outside = good();
      outside.actors[0]!.x = ROWS[0]!.length;
      expect(restoreWorld(defineTestWorld(), outside, TEST_RULES)).toMatchObject({ ok: false, code: "snapshot/mismatch" });
    });
  });
});

describe("journal", () => {
  it("the in-memory window keeps only the newest entries", () => {
    const sim = createSimulation(createWorld(defineTestWorld(), TEST_RULES), 5);
    const hashes = runScript(sim, 1, 12);
    const entries = journalEntries(sim.journal);
    expect(entries.map((e) => e.tick)).toEqual([8, 9, 10, 11, 12]);
    expect(entries.map((e) => e.hash)).toEqual(hashes.slice(7));
    expect(entries[1]!.inputs).toEqual([{ type: "leave", actorId: "player-1" }]);
  });

  it("records joins with the id the world assigned", () => {
    const sim = startedSimulation(4);
    const [first, , , fourth] = journalEntries(sim.journal);
    expect(first!.inputs).toEqual([{ type: "join", actorId: "player-1", name: "ann" }]);
    expect(fourth!.inputs[0]).toEqual({ type: "join", actorId: "player-2", name: "bob" });
  });

  it("replaying the journal from the initial world reproduces every hash", () => {
    const sim = startedSimulation(20);
    const fresh = createSimulation(createWorld(defineTestWorld(), TEST_RULES));
    const report = replayJournal(fresh, viaJson(journalEntries(sim.journal)));
    expect(report).toEqual({ replayed: 20, divergences: [] });
    expect(hashWorld(fresh.world)).toBe(hashWorld(sim.world));
  });

  it("reports a divergence when an entry's hash was tampered with, and keeps replaying", () => {
    const sim = startedSimulation(6);
    const entries = journalEntries(sim.journal).map((e): JournalEntry => (e.tick === 3 ? { ...e, hash: "0000000000000000" } : e));
    const fresh = createSimulation(createWorld(defineTestWorld(), TEST_RULES));
    const report = replayJournal(fresh, entries);
    expect(report.replayed).toBe(6);
    expect(report.divergences).toHaveLength(1);
    expect(report.divergences[0]).toMatch(/^tick 3: hash [0-9a-f]{16}, journal says 0000000000000000$/);
    expect(hashWorld(fresh.world)).toBe(hashWorld(sim.world));
  });

  it("reports a recorded input the world rejects", () => {
    const sim = startedSimulation(3);
    const entries = journalEntries(sim.journal).map((e): JournalEntry => (e.tick === 2 ? { ...e, inputs: [{ type: "leave", actorId: "ghost" }] } : e));
    const report = replayJournal(createSimulation(createWorld(defineTestWorld(), TEST_RULES)), entries);
    expect(report.divergences.some((d) => d.startsWith("tick 2: leave for ghost rejected"))).toBe(true);
  });

  it("stops at a gap, and a snapshot plus the window recovers the world", () => {
    const sim = createSimulation(createWorld(defineTestWorld(), TEST_RULES), 5);
    runScript(sim, 1, 7);
    const snapshot = viaJson(snapshotWorld(sim.world));
    runScript(sim, 8, 12);
    const window = viaJson(journalEntries(sim.journal));

    const fresh = createSimulation(createWorld(defineTestWorld(), TEST_RULES));
    expect(replayJournal(fresh, window)).toEqual({ replayed: 0, divergences: ["journal jumps from tick 0 to 8; replay stopped"] });
    expect(fresh.world.tick).toBe(0);

    const restored = restoreWorld(defineTestWorld(), snapshot, TEST_RULES);
    if (!restored.ok) throw new Error(restored.message);
    const resumed = createSimulation(restored.value);
    expect(replayJournal(resumed, window)).toEqual({ replayed: 5, divergences: [] });
    expect(hashWorld(resumed.world)).toBe(hashWorld(sim.world));
  });
});
