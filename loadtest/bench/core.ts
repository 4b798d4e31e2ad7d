/**
 * Core benchmark: the simulation core alone (src/core, no Colyseus, no network, no disk).
 *
 * What is timed: `stepSimulation(sim)` only, i.e. one core tick = the wander-AI scan, the pipeline
 * drain (moves, pushes, reactions, rollbacks, events) and the state hash, plus the journal append.
 * Choosing the movers and building the input objects happen before the timer starts; the
 * `submitInput` calls (which queue the actions) are timed apart and reported as "submit".
 *
 * Why: the room runs one tick every 50 ms (20 Hz) on one thread, and everything else (state sync,
 * persistence, the network) has to fit in what the core leaves over. The target is 10k actors at
 * ≤ 2 ms/tick median. The baseline (baseline.ts) is a bare typed-array loop that, each tick,
 * starts from a copy of the core's state and applies the very moves the core gets as inputs (free
 * target: step, else stay); the ratio core / bare says how much the pipeline's guarantees (pushes,
 * atomic chains, rollback, events, hashing) cost over a plain move. Core and bare ticks alternate
 * in one loop, so machine noise hits both alike.
 */
import { DIRECTIONS, createSimulation, createWorld, stepSimulation, submitInput, type Input, type Simulation, type TickEvent, type TickResult } from "../../src/core/index.ts";
import { bareTick, copyField, createBareField } from "./baseline.ts";
import { buildDenseWorld, type DenseWorld } from "./dense-world.ts";
import { createPlanner, type Field, type MovePlan, type PlanShares, type Planner } from "./mover-plan.ts";
import { elapsedMs, summarize, type Summary } from "./stats.ts";

export interface CoreSize {
  actors: number;
  measuredTicks: number;
}

export interface CoreBenchConfig {
  sizes: readonly CoreSize[];
  warmupTicks: number;
  seed: number;
  shares: PlanShares;
}

export const TARGET = { actors: 10_000, medianMs: 2 } as const;

export const DEFAULT_CORE_CONFIG: CoreBenchConfig = {
  sizes: [
    { actors: 1_000, measuredTicks: 1_000 },
    { actors: 10_000, measuredTicks: 500 },
    { actors: 50_000, measuredTicks: 120 },
  ],
  warmupTicks: 50,
  seed: 20_240_601,
  shares: { movers: 0.3, intoOccupied: 0.3 },
};

/** Mean counts per measured tick. */
export interface PerTick {
  inputs: number;
  intoOccupied: number;
  moved: number;
  pushed: number;
  blocked: number;
  refused: number;
}

export interface CoreSizeResult {
  actors: number;
  map: { width: number; height: number; floorCells: number; density: number };
  behaviours: DenseWorld["behaviourCounts"];
  warmupTicks: number;
  measuredTicks: number;
  stepMs: Summary;
  submitMs: Summary;
  perTick: PerTick;
  /** Totals over the measured ticks divided by the summed step time. */
  perSecond: { actions: number; moved: number; pushed: number };
  bare: { tickMs: Summary; movedPerTick: number };
  /** Core median / bare median. */
  ratio: number;
  finalHash: string;
}

export interface CoreBenchReport {
  config: CoreBenchConfig;
  target: typeof TARGET;
  results: CoreSizeResult[];
}

export function runCoreBench(config: CoreBenchConfig = DEFAULT_CORE_CONFIG, onSize?: (r: CoreSizeResult) => void): CoreBenchReport {
  const results: CoreSizeResult[] = [];
  for (const size of config.sizes) {
    const result = runSize(size, config);
    onSize?.(result);
    results.push(result);
  }
  return { config, target: TARGET, results };
}

function runSize(size: CoreSize, config: CoreBenchConfig): CoreSizeResult {
  const dense = buildDenseWorld(size.actors, config.seed);
  const ticks = { warmup: config.warmupTicks, measured: size.measuredTicks };
  const core = runCore(dense, ticks, config);
  const stepMs = summarize(core.stepMs);
  const totalSeconds = core.stepMs.reduce((a, b) => a + b, 0) / 1000;
  const n = size.measuredTicks;
  const bareMs = summarize(core.bareMs);
  return {
    actors: size.actors,
    map: { width: dense.width, height: dense.height, floorCells: dense.floorCells, density: dense.density },
    behaviours: dense.behaviourCounts,
    warmupTicks: ticks.warmup,
    measuredTicks: n,
    stepMs,
    submitMs: summarize(core.submitMs),
    perTick: mapCounts(core.totals, (v) => v / n),
    perSecond: { actions: core.totals.inputs / totalSeconds, moved: core.totals.moved / totalSeconds, pushed: core.totals.pushed / totalSeconds },
    bare: { tickMs: bareMs, movedPerTick: core.bareMoved / n },
    ratio: stepMs.median / bareMs.median,
    finalHash: core.finalHash,
  };
}

interface Ticks {
  warmup: number;
  measured: number;
}

interface CoreRun {
  stepMs: number[];
  bareMs: number[];
  bareMoved: number;
  submitMs: number[];
  totals: PerTick;
  finalHash: string;
}

/** Everything one size's run keeps across ticks. */
interface Rig {
  sim: Simulation;
  ids: readonly string[];
  field: Field;
  bare: Field;
  planner: Planner;
}

interface TickSample {
  submitMs: number;
  stepMs: number;
  bareMs: number;
  bareMoved: number;
  inputs: number;
  intoOccupied: number;
  result: TickResult;
}

function runCore(dense: DenseWorld, ticks: Ticks, config: CoreBenchConfig): CoreRun {
  const sim = createSimulation(createWorld(dense.def));
  const ids = dense.def.npcs.map((npc) => npc.id);
  const planner = createPlanner(ids.length, config.shares, config.seed ^ 0x5eed);
  const rig: Rig = { sim, ids, field: coreField(sim, ids), bare: createBareField(dense), planner };
  const run: CoreRun = { stepMs: [], bareMs: [], bareMoved: 0, submitMs: [], totals: zeroCounts(), finalHash: "" };
  for (let t = 0; t < ticks.warmup + ticks.measured; t++) {
    const sample = runTick(rig);
    run.finalHash = sample.result.hash;
    if (t < ticks.warmup) continue;
    run.submitMs.push(sample.submitMs);
    run.stepMs.push(sample.stepMs);
    run.bareMs.push(sample.bareMs);
    run.bareMoved += sample.bareMoved;
    addCounts(run.totals, sample.inputs, sample.intoOccupied, sample.result.events);
  }
  return run;
}

/** Plans one tick (untimed), runs it on the bare field, then submits and steps it on the core. */
function runTick(rig: Rig): TickSample {
  syncPositions(rig.sim, rig.field);
  const plan = rig.planner.plan(rig.field);
  const inputs = toInputs(plan, rig.ids);
  copyField(rig.field, rig.bare);
  const b0 = process.hrtime.bigint();
  const bareMoved = bareTick(rig.bare, plan);
  const b1 = process.hrtime.bigint();
  submitAll(rig.sim, inputs);
  const t1 = process.hrtime.bigint();
  const result = stepSimulation(rig.sim);
  const t2 = process.hrtime.bigint();
  return {
    submitMs: elapsedMs(b1, t1),
    stepMs: elapsedMs(t1, t2),
    bareMs: elapsedMs(b0, b1),
    bareMoved,
    inputs: inputs.length,
    intoOccupied: plan.intoOccupied,
    result,
  };
}

/**
 * A field over the core world's own grid: its occupancy holds slot + 1, and slot i is npcs[i]
 * (checked here), so it already holds actor index + 1. Positions are copied in before each plan.
 */
export function coreField(sim: Simulation, ids: readonly string[]): Field {
  const { world } = sim;
  ids.forEach((id, i) => {
    if (world.slots[i]?.id !== id) throw new Error(`bench world: slot ${i} holds ${world.slots[i]?.id}, expected ${id}`);
  });
  const count = ids.length;
  return { count, width: world.grid.width, walls: world.grid.walls, occupancy: world.grid.occupancy, xs: new Int32Array(count), ys: new Int32Array(count) };
}

export function syncPositions(sim: Simulation, field: Field): void {
  const { slots } = sim.world;
  for (let i = 0; i < field.count; i++) {
    const actor = slots[i]!;
    field.xs[i] = actor.x;
    field.ys[i] = actor.y;
  }
}

export function toInputs(plan: MovePlan, ids: readonly string[]): Input[] {
  const inputs: Input[] = new Array(plan.length);
  for (let k = 0; k < plan.length; k++) {
    inputs[k] = { type: "act", actorId: ids[plan.movers[k]!]!, kind: "move", payload: { dir: DIRECTIONS[plan.dirs[k]!]! } };
  }
  return inputs;
}

/** Submits a tick's inputs. A move of an actor downed by retaliation damage is refused, as on a server; anything else is a bench bug. */
export function submitAll(sim: Simulation, inputs: readonly Input[]): void {
  for (const input of inputs) {
    const result = submitInput(sim, input);
    if (!result.ok && result.code !== "command/downed") throw new Error(`bench input rejected: ${result.message}`);
  }
}

function zeroCounts(): PerTick {
  return { inputs: 0, intoOccupied: 0, moved: 0, pushed: 0, blocked: 0, refused: 0 };
}

function addCounts(totals: PerTick, inputs: number, intoOccupied: number, events: readonly TickEvent[]): void {
  totals.inputs += inputs;
  totals.intoOccupied += intoOccupied;
  for (const event of events) {
    if (event.type === "moved") totals.moved++;
    else if (event.type === "pushed") totals.pushed++;
    else if (event.type === "blocked") totals.blocked++;
    else if (event.type === "refused") totals.refused++;
  }
}

function mapCounts(counts: PerTick, f: (v: number) => number): PerTick {
  return {
    inputs: f(counts.inputs),
    intoOccupied: f(counts.intoOccupied),
    moved: f(counts.moved),
    pushed: f(counts.pushed),
    blocked: f(counts.blocked),
    refused: f(counts.refused),
  };
}
