/**
 * Sync benchmark: the room's whole tick on one thread, core plus state sync, without sockets.
 *
 * What is timed, per tick (sync-scene.ts replays WorldRoom's steps): `stepSimulation` (core),
 * the tick's events to the area of interest (`InterestManager.subscribe`), the same events to the
 * mirror into the WorldState (`subscribeMirror`), and
 * `SchemaSerializer.applyPatches` over every client (shared encode + one `encodeView` per client +
 * `discardChanges`): full tick = the sum. Submitting the tick's moves (`runtime.submit`), mover choice and
 * all counting happen outside the timers.
 *
 * Scene: a dense world (dense-world.ts), `clients` players joined on random free cells through the
 * room's join path, and each tick a fresh random `moverShare` of all actors (players included) get a
 * move in a random direction; pushes and blocks decide what actually moves. The same world, joins
 * and inputs run twice in one process, with the world's area of interest (radius 12) and without
 * (radius 0: every client sees every actor); their ticks alternate, and their state hashes must
 * match tick for tick. Clients join in two batches (50, then 150 more), each join followed by one
 * patch, as if joins landed on separate ticks; memory per client = growth over a batch ÷ its size,
 * read after forced full GCs. The encoder buffer is the server's (256 KB, src/server/app.ts).
 */
import { Encoder } from "@colyseus/schema";
import type { Input, TickResult } from "../../src/core/index.ts";
import { buildDenseWorld, type DenseWorld } from "./dense-world.ts";
import { createPlanner } from "./mover-plan.ts";
import { mulberry32, randInt, type Prng } from "./prng.ts";
import { forceGc, measurePlayerMemoryIsolated, readMemory, type PlayerMemory } from "./sync-memory.ts";
import { countInterestMismatches, createVisibilityProbe, type VisibilityCounts, type VisibilityProbe } from "./sync-probe.ts";
import { createSyncScene, joinClient, runRoomTick, sendPatch, submitMove, type JoinSample, type SyncScene } from "./sync-scene.ts";
import { createStockScene, joinStockClient, runStockTick, type StockScene } from "./stock-scene.ts";
import { summarize, type Summary } from "./stats.ts";
import { createWorldField, syncFieldPositions, toMoveInputs } from "./world-field.ts";

export interface SyncSize {
  actors: number;
  warmupTicks: number;
  measuredTicks: number;
  /** Most clients run without area of interest (a no-AOI join costs ~0.4 s each at 50k actors). */
  noAoiMaxClients: number;
}

export interface SyncBenchConfig {
  sizes: readonly SyncSize[];
  /** Cumulative client counts, ascending. */
  clientCounts: readonly number[];
  /** Area-of-interest radius, cells (the world default). */
  radius: number;
  moverShare: number;
  /** Joins per batch, the last ones, whose full-state snapshot is encoded and timed. */
  snapshotJoins: number;
  /** The memory-per-player probe (sync-memory.ts), AOI, one fresh process per size; radius and seed come from this config. */
  memoryProbe: { sizes: readonly number[]; checkpoints: readonly number[]; patchEvery: number };
  seed: number;
}

const KB = 1024;

/** The server's encoder buffer (src/server/app.ts sets it at start-up); set here for the run. */
export const SERVER_ENCODER_BUFFER = 256 * KB;

/**
 * Targets at 10k actors × 200 clients with AOI: issue 8's (full tick, bytes per client) and issue
 * 11's bars (bytes per changed actor and per entering actor, memory per player as heap / RSS, and
 * ratios to the stock scene of the same run).
 */
export const SYNC_TARGET = {
  actors: 10_000,
  clients: 200,
  fullTickMs: 5,
  bytesPerClientTick: 1.6 * KB,
  bytesPerChangedActor: 8,
  bytesPerEnter: 40,
  bytesPerPlayer: 16 * KB,
  rssPerPlayer: 32 * KB,
  vsStock: { fullTick: 1.0, encode: 1.2, interest: 0.5 },
} as const;

export const SYNC_ANCHOR = {
  source: "@colyseus/schema 5.0.31 benchmark: 10k entities, 200 clients with views, 20% moving, 16-thread desktop",
  msPerTick: 7.886,
  bytesPerClientTick: 3.6 * KB,
} as const;

export const DEFAULT_SYNC_CONFIG: SyncBenchConfig = {
  sizes: [
    { actors: 1_000, warmupTicks: 30, measuredTicks: 300, noAoiMaxClients: 200 },
    { actors: 10_000, warmupTicks: 20, measuredTicks: 100, noAoiMaxClients: 200 },
    { actors: 50_000, warmupTicks: 5, measuredTicks: 20, noAoiMaxClients: 50 },
  ],
  clientCounts: [50, 200],
  radius: 12,
  moverShare: 0.2,
  snapshotJoins: 5,
  memoryProbe: { sizes: [1_000, 10_000, 50_000], checkpoints: [50, 200, 1_000], patchEvery: 10 },
  seed: 20_240_611,
};

export type SyncMode = "aoi" | "none";

export interface ModeResult {
  mode: SyncMode;
  radius: number;
  ms: { core: Summary; interest: Summary; mirror: Summary; encode: Summary; fullTick: Summary };
  /** Median over ticks of one `encodeView`, µs. */
  perViewUs: number;
  /** Mean patch frame length a client receives per tick (shared part and 1-byte header included). */
  bytesPerClientTick: number;
  maxFrameBytes: number;
  /** Per client per tick (sync-probe.ts). */
  visibility: VisibilityCounts;
  bytesPerChangedVisible: number;
  /** Full state for one joining client (`getFullState`: encodeAll + encodeAllView). */
  join: { samples: number; bytes: number; ms: Summary };
  /** Growth over the last join batch ÷ its clients, bytes (RSS here is noisy: see PlayerMemory). */
  memory: { clientsAdded: number; rssPerClient: number; heapPerClient: number };
  /** Clients whose InterestManager visible set differed from the geometric one after the run. */
  interestMismatches: number;
}

export interface SyncCaseResult {
  actors: number;
  clients: number;
  map: { width: number; height: number; density: number };
  warmupTicks: number;
  measuredTicks: number;
  /** Means per measured tick. */
  perTick: { inputs: number; rejected: number; moved: number; changed: number };
  aoi: ModeResult;
  none: ModeResult | null;
  /** none / aoi. */
  ratio: { fullTick: number; encode: number; bytes: number } | null;
  /** The stock scene (stock-scene.ts) fed the AOI run's actors and moves, tick for tick. */
  stock: StockResult;
  /** Arbiter's AOI run ÷ the stock scene, medians of the same run (the bars: full ≤ 1.0, encode ≤ 1.2, interest ≤ 0.5). */
  vsStock: { fullTick: number; encode: number; interest: number; bytes: number };
  hashesMatch: boolean;
}

export interface StockResult {
  ms: { mirror: Summary; interest: Summary; encode: Summary; fullTick: Summary };
  bytesPerClientTick: number;
}

export interface SyncBenchReport {
  config: SyncBenchConfig;
  target: typeof SYNC_TARGET;
  anchor: typeof SYNC_ANCHOR;
  gc: string;
  /** Times the encoder outgrew its buffer (Colyseus logs a warning each time; counted, not printed). */
  bufferRegrowths: number;
  /** Memory per player from the dedicated probe (fresh process and AOI scene per size). */
  playerMemory: PlayerMemory[];
  results: SyncCaseResult[];
}

/** One scene and what is collected about it. */
interface Rig {
  mode: SyncMode;
  scene: SyncScene;
  joins: JoinSample[];
  memory: ModeResult["memory"];
  samples: TickSamples;
}

interface TickSamples {
  core: number[];
  interest: number[];
  mirror: number[];
  encode: number[];
  fullTick: number[];
  perView: number[];
  bytes: number[];
  maxFrame: number;
}

export async function runSyncBench(config: SyncBenchConfig = DEFAULT_SYNC_CONFIG, onCase?: (r: SyncCaseResult) => void): Promise<SyncBenchReport> {
  const gc = forceGc().source;
  const regrowths = countBufferWarnings();
  const bufferSize = Encoder.BUFFER_SIZE;
  Encoder.BUFFER_SIZE = SERVER_ENCODER_BUFFER;
  try {
    const results: SyncCaseResult[] = [];
    for (const size of config.sizes) {
      for (const result of await runSize(size, config)) {
        onCase?.(result);
        results.push(result);
      }
    }
    const { sizes, checkpoints, patchEvery } = config.memoryProbe;
    const playerMemory = sizes.map((actors) => measurePlayerMemoryIsolated({ actors, checkpoints, patchEvery, radius: config.radius, seed: config.seed }));
    return { config, target: SYNC_TARGET, anchor: SYNC_ANCHOR, gc, bufferRegrowths: regrowths.count(), playerMemory, results };
  } finally {
    Encoder.BUFFER_SIZE = bufferSize;
    regrowths.restore();
  }
}

/** Counts (and silences) @colyseus/schema's buffer-overflow warnings while the bench runs. */
function countBufferWarnings(): { count(): number; restore(): void } {
  const original = console.warn;
  let count = 0;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("@colyseus/schema buffer overflow")) count++;
    else original(...args);
  };
  return { count: () => count, restore: () => (console.warn = original) };
}

async function runSize(size: SyncSize, config: SyncBenchConfig): Promise<SyncCaseResult[]> {
  const dense = buildDenseWorld(size.actors, config.seed);
  let rigs: Rig[] = [await createRig(dense, "aoi", config.radius), await createRig(dense, "none", 0)];
  const stock = createStockScene(rigs[0]!.scene.sim.world, config.radius);
  const rand = mulberry32(config.seed ^ size.actors);
  const results: SyncCaseResult[] = [];
  for (const clients of config.clientCounts) {
    rigs = rigs.filter((rig) => rig.mode === "aoi" || clients <= size.noAoiMaxClients);
    const cells = pickFreeCells(rigs, clients - rigs[0]!.scene.clients.length, rand);
    for (const rig of rigs) joinBatch(rig, cells, config.snapshotJoins);
    const lead = rigs[0]!.scene;
    for (const player of lead.players.slice(stock.clients.length)) joinStockClient(stock, player);
    results.push(runTicks(rigs, stock, dense, size, config));
  }
  return results;
}

async function createRig(dense: DenseWorld, mode: SyncMode, radius: number): Promise<Rig> {
  return { mode, scene: await createSyncScene(dense, radius), joins: [], memory: { clientsAdded: 0, rssPerClient: 0, heapPerClient: 0 }, samples: emptySamples() };
}

function emptySamples(): TickSamples {
  return { core: [], interest: [], mirror: [], encode: [], fullTick: [], perView: [], bytes: [], maxFrame: 0 };
}

/** Random free floor cells of the first rig's world, checked free in every rig (same world state). */
function pickFreeCells(rigs: readonly Rig[], count: number, rand: Prng): [number, number][] {
  const { grid } = rigs[0]!.scene.sim.world;
  const taken = new Set<number>();
  const cells: [number, number][] = [];
  while (cells.length < count) {
    const cell = randInt(rand, grid.walls.length);
    if (grid.walls[cell] === 1 || grid.occupancy[cell] !== 0 || taken.has(cell)) continue;
    if (rigs.some((rig) => rig.scene.sim.world.grid.occupancy[cell] !== 0)) throw new Error("sync bench: scenes diverged (a free cell is occupied in one of them)");
    taken.add(cell);
    cells.push([cell % grid.width, Math.floor(cell / grid.width)]);
  }
  return cells;
}

/** Joins `cells` one by one (one patch after each), timing the last joins' full state; reads memory around the batch. */
function joinBatch(rig: Rig, cells: readonly [number, number][], snapshotJoins: number): void {
  rig.joins = [];
  const before = readMemory();
  cells.forEach(([x, y], k) => {
    const sample = joinClient(rig.scene, x, y, k >= cells.length - snapshotJoins);
    if (sample) rig.joins.push(sample);
    sendPatch(rig.scene);
  });
  const after = readMemory();
  const n = Math.max(1, cells.length);
  rig.memory = { clientsAdded: cells.length, rssPerClient: (after.rss - before.rss) / n, heapPerClient: (after.heap - before.heap) / n };
}

function runTicks(rigs: readonly Rig[], stock: StockScene, dense: DenseWorld, size: SyncSize, config: SyncBenchConfig): SyncCaseResult {
  const lead = rigs[0]!.scene.sim.world;
  const ids = lead.slots.map((actor) => actor!.id);
  const field = createWorldField(lead, ids.length);
  const planner = createPlanner(ids.length, { movers: config.moverShare, intoOccupied: 0 }, config.seed ^ (ids.length * 31));
  const probes = rigs.map((rig) => createVisibilityProbe(rig.scene.sim.world, rig.scene.players, rig.scene.radius, ids.length));
  for (const rig of rigs) rig.samples = emptySamples();
  const stockSamples = { mirror: [] as number[], interest: [] as number[], encode: [] as number[], fullTick: [] as number[], bytes: [] as number[] };
  const totals = { inputs: 0, rejected: 0, moved: 0, changed: 0 };
  let hashesMatch = true;
  const total = size.warmupTicks + size.measuredTicks;
  for (let t = 0; t < total; t++) {
    const measured = t >= size.warmupTicks;
    syncFieldPositions(lead, field);
    const inputs = toMoveInputs(planner.plan(field), ids);
    const order = t % 2 === 0 ? rigs.map((_, i) => i) : rigs.map((_, i) => rigs.length - 1 - i);
    const hashes = new Set<string>();
    for (const i of order) {
      const tick = runRigTick(rigs[i]!, probes[i]!, inputs, measured);
      hashes.add(tick.hash);
      if (i === 0) {
        const times = runStockTick(stock, tick.result);
        if (measured) {
          stockSamples.mirror.push(times.mirror);
          stockSamples.interest.push(times.interest);
          stockSamples.encode.push(times.encode);
          stockSamples.fullTick.push(times.mirror + times.interest + times.encode);
          stockSamples.bytes.push(stock.frames.count === 0 ? 0 : stock.frames.bytes / stock.frames.count);
        }
      }
      if (i === 0 && measured) {
        totals.inputs += inputs.length;
        totals.rejected += tick.rejected;
        totals.moved += tick.moved;
        totals.changed += probes[0]!.lastChanged;
      }
    }
    if (hashes.size !== 1) hashesMatch = false;
  }
  const n = size.measuredTicks;
  const modes = rigs.map((rig, i) => modeResult(rig, probes[i]!));
  const aoi = modes[0]!;
  const none = modes[1] ?? null;
  const stockResult: StockResult = {
    ms: { mirror: summarize(stockSamples.mirror), interest: summarize(stockSamples.interest), encode: summarize(stockSamples.encode), fullTick: summarize(stockSamples.fullTick) },
    bytesPerClientTick: mean(stockSamples.bytes),
  };
  return {
    actors: size.actors,
    clients: rigs[0]!.scene.clients.length,
    map: { width: dense.width, height: dense.height, density: lead.order.length / dense.floorCells },
    warmupTicks: size.warmupTicks,
    measuredTicks: n,
    perTick: { inputs: totals.inputs / n, rejected: totals.rejected / n, moved: totals.moved / n, changed: totals.changed / n },
    aoi,
    none,
    ratio: none && {
      fullTick: none.ms.fullTick.median / aoi.ms.fullTick.median,
      encode: none.ms.encode.median / aoi.ms.encode.median,
      bytes: none.bytesPerClientTick / aoi.bytesPerClientTick,
    },
    stock: stockResult,
    vsStock: {
      fullTick: aoi.ms.fullTick.median / stockResult.ms.fullTick.median,
      encode: aoi.ms.encode.median / stockResult.ms.encode.median,
      interest: aoi.ms.interest.median / stockResult.ms.interest.median,
      bytes: aoi.bytesPerClientTick / stockResult.bytesPerClientTick,
    },
    hashesMatch,
  };
}

function runRigTick(rig: Rig, probe: VisibilityProbe, inputs: readonly Input[], measured: boolean): { result: TickResult; hash: string; rejected: number; moved: number } {
  const { scene, samples } = rig;
  let rejected = 0;
  for (const input of inputs) if (!submitMove(scene, input).ok) rejected++;
  const { result, times } = runRoomTick(scene);
  probe.observe(result, measured);
  if (measured) {
    samples.core.push(times.core);
    samples.interest.push(times.interest);
    samples.mirror.push(times.mirror);
    samples.encode.push(times.encode);
    samples.fullTick.push(times.core + times.interest + times.mirror + times.encode);
    samples.perView.push(times.perView * 1000);
    samples.bytes.push(scene.frames.count === 0 ? 0 : scene.frames.bytes / scene.frames.count);
    samples.maxFrame = Math.max(samples.maxFrame, scene.frames.maxBytes);
  }
  let moved = 0;
  for (const event of result.events) if (event.type === "moved") moved++;
  return { result, hash: result.hash, rejected, moved };
}

function modeResult(rig: Rig, probe: VisibilityProbe): ModeResult {
  const { samples, scene } = rig;
  const visibility = probe.means();
  const bytes = mean(samples.bytes);
  return {
    mode: rig.mode,
    radius: scene.radius,
    ms: { core: summarize(samples.core), interest: summarize(samples.interest), mirror: summarize(samples.mirror), encode: summarize(samples.encode), fullTick: summarize(samples.fullTick) },
    perViewUs: summarize(samples.perView).median,
    bytesPerClientTick: bytes,
    maxFrameBytes: samples.maxFrame,
    visibility,
    bytesPerChangedVisible: bytes / visibility.changedVisible,
    join: { samples: rig.joins.length, bytes: summarize(rig.joins.map((j) => j.fullStateBytes)).median, ms: summarize(rig.joins.map((j) => j.fullStateMs)) },
    memory: rig.memory,
    interestMismatches: countInterestMismatches(scene.interest, scene.sim.world, scene.players, scene.radius),
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
