/**
 * Property tests of the core (STYLE §16). On random small worlds with random actors and random
 * inputs, every tick keeps rule 4 (no shared cell, no actor on a wall, at most one cell per tick),
 * loses or invents no actor, and reports exactly the moves it made. The same world, seed and inputs
 * give the same hashes whether run twice, restored from a snapshot halfway, or replayed from the
 * journal (seed 002, design principle 1).
 */
import fc from "fast-check";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { describe, expect, it } from "vitest";
import {
  BEHAVIOUR_NAMES,
  DIRECTIONS,
  MAX_DEPTH,
  createSimulation,
  createWorld,
  dxOf,
  dyOf,
  hashWorld,
  journalEntries,
  leftOf,
  replayJournal,
  restoreWorld,
  rightOf,
  snapshotWorld,
  stepSimulation,
  submitInput,
  type BehaviourName,
  type Dir,
  type Input,
  type JournalEntry,
  type NpcDef,
  type Simulation,
  type TickResult,
  type World,
  type WorldDef,
  type WorldSnapshot,
} from "../../src/core/index.ts";
import { checkInvariants, positions } from "../support/worlds.ts";
import { TEST_RULES } from "../support/worlds.ts";

// ---------------------------------------------------------------------------------------------
// Scenarios: a world definition and, per tick, a list of abstract operations. An operation names
// its actor by a number taken modulo the actors present when it is submitted, so every operation
// means something whatever actors joined or left before it.
// ---------------------------------------------------------------------------------------------

type Op = { kind: "move"; pick: number; dir: Dir } | { kind: "join" } | { kind: "leave"; pick: number };

interface Scenario {
  def: WorldDef;
  ticks: Op[][];
}

type Cell = "#" | "." | "S";

const MAX_WIDTH = 14;
const MAX_HEIGHT = 10;

const cellArb: fc.Arbitrary<Cell> = fc.oneof(
  { arbitrary: fc.constant<Cell>("."), weight: 6 },
  { arbitrary: fc.constant<Cell>("#"), weight: 2 },
  { arbitrary: fc.constant<Cell>("S"), weight: 1 },
);

const cellsArb = (cell: fc.Arbitrary<Cell>): fc.Arbitrary<Cell[]> =>
  fc.array(cell, { minLength: MAX_WIDTH * MAX_HEIGHT, maxLength: MAX_WIDTH * MAX_HEIGHT });

/** Any small room. */
const roomArb = fc.record({
  width: fc.integer({ min: 4, max: MAX_WIDTH }),
  height: fc.integer({ min: 3, max: MAX_HEIGHT }),
  border: fc.boolean(),
  cells: cellsArb(cellArb),
});

/** A walled one-row corridor with few walls in it, where long push chains form. */
const corridorArb = fc.record({
  width: fc.integer({ min: 6, max: MAX_WIDTH }),
  height: fc.constant(3),
  border: fc.constant(true),
  cells: cellsArb(fc.oneof({ arbitrary: fc.constant<Cell>("."), weight: 10 }, { arbitrary: fc.constant<Cell>("S"), weight: 1 }, { arbitrary: fc.constant<Cell>("#"), weight: 1 })),
});

const mapArb = fc.oneof({ arbitrary: roomArb, weight: 3 }, { arbitrary: corridorArb, weight: 1 }).map(buildMap);

/** Map rows from random cells: an optional wall border, and always at least one floor cell. */
function buildMap({ width, height, border, cells }: { width: number; height: number; border: boolean; cells: Cell[] }): string[] {
  const grid: Cell[][] = [];
  for (let y = 0; y < height; y++) {
    const row: Cell[] = [];
    for (let x = 0; x < width; x++) {
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      row.push(border && edge ? "#" : cells[y * width + x]!);
    }
    grid.push(row);
  }
  if (!grid.some((row) => row.some((c) => c !== "#"))) grid[border ? 1 : 0]![border ? 1 : 0] = ".";
  return grid.map((row) => row.join(""));
}

interface ActorGen {
  name: string;
  pick: number;
  behaviours: BehaviourName[];
  wander: boolean;
  initiative: number;
}

/** Any subset in any order, empty included; plain Moveable is favoured so that push chains form. */
const behavioursArb: fc.Arbitrary<BehaviourName[]> = fc.oneof(
  { arbitrary: fc.shuffledSubarray([...BEHAVIOUR_NAMES]), weight: 3 },
  { arbitrary: fc.constant<BehaviourName[]>(["Moveable"]), weight: 3 },
);

const actorArb: fc.Arbitrary<ActorGen> = fc.record({
  name: fc.stringMatching(/^[A-Za-z]{1,3}$/),
  pick: fc.nat(),
  behaviours: behavioursArb,
  wander: fc.boolean(),
  initiative: fc.integer({ min: -2, max: 2 }),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("move" as const), pick: fc.nat(), dir: fc.constantFrom(...DIRECTIONS) }), weight: 12 },
  { arbitrary: fc.record({ kind: fc.constant("join" as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("leave" as const), pick: fc.nat() }), weight: 1 },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    map: mapArb,
    actors: fc.array(actorArb, { maxLength: 40, size: "max" }),
    keepFree: fc.integer({ min: 0, max: 3 }),
    seed: fc.integer(),
    ticks: fc.array(fc.array(opArb, { maxLength: 8 }), { minLength: 20, maxLength: 60 }),
  })
  .map(({ map, actors, keepFree, seed, ticks }) => ({ def: defineWorld({ map, actors, keepFree, seed }), ticks }));

/**
 * Places the actors on distinct floor cells, each picking among the cells still free, and stops
 * when only `keepFree` floor cells are left (a full map is a still map).
 */
function defineWorld({ map, actors, keepFree, seed }: { map: string[]; actors: ActorGen[]; keepFree: number; seed: number }): WorldDef {
  const free: Array<[number, number]> = [];
  map.forEach((row, y) => [...row].forEach((ch, x) => ch !== "#" && free.push([x, y])));
  const npcs: NpcDef[] = [];
  for (const [i, gen] of actors.entries()) {
    if (free.length <= keepFree) break;
    const [at] = free.splice(gen.pick % free.length, 1);
    const id = `${gen.name}-${i}`;
    npcs.push({ id, name: id, at: at!, behaviours: gen.behaviours, ai: gen.wander ? "wander" : undefined, initiative: gen.initiative });
  }
  return { id: "prop", name: "prop", tickRate: 20, seed, map, npcs, stats: DEFAULT_STATS_CONFIG, respawnTicks: 20 };
}

/** An input of an actor: join, leave or act (what the generated operations stand for). */
type ActorInput = Extract<Input, { type: "join" | "leave" | "act" }>;

/** The concrete input an operation stands for in the world's current state. */
function resolveOp(world: World, op: Op): ActorInput {
  if (op.kind === "join") return { type: "join", actorId: "", name: "p" };
  if (op.kind === "move") {
    const actor = world.order[op.pick % Math.max(world.order.length, 1)];
    return { type: "act", actorId: actor?.id ?? "nobody", kind: "move", payload: { dir: op.dir } };
  }
  const players = world.order.filter((a) => a.kind === "player");
  return { type: "leave", actorId: players[op.pick % Math.max(players.length, 1)]?.id ?? "player-0" };
}

interface Run {
  /** Inputs submitted before each tick, accepted or not, joins with an empty `actorId`. */
  submitted: Input[][];
  results: TickResult[];
  sim: Simulation;
}

/** Runs a scenario from its initial world, calling `onTick` after each tick. */
function runScenario(scenario: Scenario, onTick?: (sim: Simulation, tick: number) => void): Run {
  const sim = createSimulation(createWorld(scenario.def, TEST_RULES));
  const run: Run = { submitted: [], results: [], sim };
  for (const ops of scenario.ticks) {
    const inputs = ops.map((op) => {
      const input = resolveOp(sim.world, op);
      submitInput(sim, input);
      return input;
    });
    run.submitted.push(inputs);
    run.results.push(stepSimulation(sim));
    onTick?.(sim, sim.world.tick);
  }
  return run;
}

/** Submits recorded inputs tick by tick and returns each tick's hash. */
function feedInputs(sim: Simulation, ticks: readonly Input[][]): string[] {
  return ticks.map((inputs) => {
    for (const input of inputs) submitInput(sim, input);
    return stepSimulation(sim).hash;
  });
}

/** What persistence does to a value: JSON out and back in. */
function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const hashesOf = (run: Run): string[] => run.results.map((r) => r.hash);

const manhattan = (a: readonly [number, number], b: readonly [number, number]): number => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]);

// ---------------------------------------------------------------------------------------------
// Per-tick rules
// ---------------------------------------------------------------------------------------------

/** Submits one tick's operations, checking that the actor set changes only by accepted joins and leaves. */
function submitTick(sim: Simulation, ops: readonly Op[]): { accepted: Input[]; ownMoves: Set<string> } {
  const { world } = sim;
  const ids = new Set(world.byId.keys());
  const accepted: Input[] = [];
  const ownMoves = new Set<string>();
  for (const op of ops) {
    const input = resolveOp(world, op);
    const hashBefore = hashWorld(world);
    const pendingBefore = sim.pending.length;
    const result = submitInput(sim, input);
    if (!result.ok) {
      // Bad input gets a clear answer and changes nothing (STYLE §9).
      expect(["world/no-free-spawn", "command/no-actor", "command/no-control", "command/downed"]).toContain(result.code);
      expect(hashWorld(world)).toBe(hashBefore);
      expect(sim.pending).toHaveLength(pendingBefore);
      continue;
    }
    if (input.type === "join") {
      expect(ids.has(result.value.id)).toBe(false);
      ids.add(result.value.id);
      accepted.push({ ...input, actorId: result.value.id });
    } else {
      if (input.type === "leave") ids.delete(input.actorId);
      else ownMoves.add(input.actorId);
      accepted.push(input);
    }
  }
  expect(new Set(world.byId.keys())).toEqual(ids);
  // A leaver's earlier move left with it.
  for (const id of ownMoves) if (!ids.has(id)) ownMoves.delete(id);
  return { accepted, ownMoves };
}

/** The direction of a one-cell move. */
function dirOf(from: readonly [number, number], to: readonly [number, number]): Dir {
  const dir = DIRECTIONS.find((d) => from[0] + dxOf(d) === to[0] && from[1] + dyOf(d) === to[1]);
  if (dir === undefined) throw new Error(`[${from}] → [${to}] is not a one-cell move`);
  return dir;
}

/**
 * Where a push can send an actor that did not act itself: a Moveable steps in a push direction; a
 * Frightened one flees ahead or to a side, never back toward the pusher (issue 2, rule 2).
 */
function allowedPushMoves(behaviours: readonly BehaviourName[], pushDirs: ReadonlySet<Dir>): Dir[] {
  const flees = behaviours.includes("Frightened");
  return [...pushDirs].flatMap((d) => (flees ? [d, leftOf(d), rightOf(d)] : [d]));
}

/** Checks one tick's outcome against the positions just before it. */
function checkTick(world: World, before: Record<string, [number, number]>, result: TickResult, ownMoves: Set<string>): void {
  checkInvariants(world);
  const after = positions(world);
  expect(Object.keys(after).sort(), "the tick itself adds or removes no actor").toEqual(Object.keys(before).sort());

  const changed = new Set<string>();
  for (const [id, to] of Object.entries(after)) {
    const from = before[id]!;
    expect(manhattan(from, to), `${id} moved from [${from}] to [${to}]`).toBeLessThanOrEqual(1);
    if (manhattan(from, to) === 1) changed.add(id);
  }

  const moved = result.events.flatMap((e) => (e.type === "moved" ? [e] : []));
  expect(new Set(moved.map((e) => e.actorId)).size, "one moved event per actor").toBe(moved.length);
  expect(new Set(moved.map((e) => e.actorId))).toEqual(changed);
  for (const e of moved) {
    expect([e.fromX, e.fromY]).toEqual(before[e.actorId]);
    expect([e.x, e.y]).toEqual(after[e.actorId]);
  }

  // An actor moves by its own action (an input, or its wander brain) or because it was pushed.
  const pushDirs = new Map<string, Set<Dir>>();
  for (const e of result.events) {
    if (e.type === "pushed") pushDirs.set(e.targetId, (pushDirs.get(e.targetId) ?? new Set<Dir>()).add(e.dir));
  }
  for (const id of changed) {
    const actor = world.byId.get(id)!;
    const ownAction = ownMoves.has(id) || actor.ai === "wander";
    expect(ownAction || pushDirs.has(id), `${id} moved without acting or being pushed`).toBe(true);
    // Aggressive refuses every push; an actor without behaviours can neither act nor be pushed.
    if (actor.behaviours.includes("Aggressive")) expect(ownAction, `Aggressive ${id} was pushed`).toBe(true);
    expect(actor.behaviours.length, `${id} has no behaviour but moved`).toBeGreaterThan(0);
    if (!ownAction) expect(allowedPushMoves(actor.behaviours, pushDirs.get(id)!), `${id} was pushed, then moved ${dirOf(before[id]!, after[id]!)}`).toContain(dirOf(before[id]!, after[id]!));
  }
  for (const e of result.events) if (e.type === "pushed") expect(e.depth).toBeLessThanOrEqual(MAX_DEPTH);
}

describe("properties of every tick", () => {
  it("keep rule 4, keep the actor set, and report exactly the moves made", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const sim = createSimulation(createWorld(scenario.def, TEST_RULES));
        checkInvariants(sim.world);
        for (const [i, ops] of scenario.ticks.entries()) {
          const { accepted, ownMoves } = submitTick(sim, ops);
          const before = positions(sim.world);
          const result = stepSimulation(sim);
          expect(result.tick).toBe(i + 1);
          expect(sim.world.tick).toBe(i + 1);
          expect(result.inputs).toEqual(accepted);
          expect(result.hash).toBe(hashWorld(sim.world));
          checkTick(sim.world, before, result, ownMoves);
        }
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------------------------

describe("determinism", () => {
  it("two runs of the same world, seed and inputs give the same hashes and events", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const first = runScenario(scenario);
        const second = createSimulation(createWorld(scenario.def, TEST_RULES));
        const results = first.submitted.map((inputs) => {
          for (const input of inputs) submitInput(second, input);
          return stepSimulation(second);
        });
        expect(results.map((r) => r.hash)).toEqual(hashesOf(first));
        expect(results).toEqual(first.results);
      }),
      { numRuns: 150 },
    );
  });

  it("a run restored from a JSON round-tripped snapshot at any tick continues with the same hashes", () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, cut) => {
        const reference = runScenario(scenario);
        const hashes = hashesOf(reference);
        const at = cut % (hashes.length + 1);

        const sim = createSimulation(createWorld(scenario.def, TEST_RULES));
        feedInputs(sim, reference.submitted.slice(0, at));
        const snapshot = viaJson<WorldSnapshot>(snapshotWorld(sim.world));
        const restored = restoreWorld(scenario.def, snapshot, TEST_RULES);
        if (!restored.ok) throw new Error(restored.message);
        checkInvariants(restored.value);
        expect(restored.value.tick).toBe(at);
        expect(hashWorld(restored.value)).toBe(hashWorld(sim.world));
        expect(snapshotWorld(restored.value)).toEqual(snapshot);

        const resumed = feedInputs(createSimulation(restored.value), reference.submitted.slice(at));
        expect(resumed).toEqual(hashes.slice(at));
      }),
      { numRuns: 150 },
    );
  });

  it("replaying the journal from the initial world, or from a snapshot, reproduces every hash", () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, cut) => {
        const at = cut % (scenario.ticks.length + 1);
        let snapshot: WorldSnapshot = snapshotWorld(createWorld(scenario.def, TEST_RULES));
        const reference = runScenario(scenario, (sim, tick) => {
          if (tick === at) snapshot = viaJson(snapshotWorld(sim.world));
        });
        const finalHash = hashWorld(reference.sim.world);
        const entries = viaJson<JournalEntry[]>(journalEntries(reference.sim.journal));
        expect(entries.map((e) => e.tick)).toEqual(scenario.ticks.map((_, i) => i + 1));

        const fresh = createSimulation(createWorld(scenario.def, TEST_RULES));
        expect(replayJournal(fresh, entries)).toEqual({ replayed: entries.length, divergences: [] });
        expect(hashWorld(fresh.world)).toBe(finalHash);
        expect(journalEntries(fresh.journal)).toEqual(entries);

        const restored = restoreWorld(scenario.def, snapshot, TEST_RULES);
        if (!restored.ok) throw new Error(restored.message);
        const resumed = createSimulation(restored.value);
        expect(replayJournal(resumed, entries)).toEqual({ replayed: entries.length - at, divergences: [] });
        expect(hashWorld(resumed.world)).toBe(finalHash);
      }),
      { numRuns: 150 },
    );
  });
});
