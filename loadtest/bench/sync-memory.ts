/**
 * Memory per connected player for the sync benchmark: readings after forced full GCs, and a probe
 * that joins many clients into a fresh area-of-interest scene (as WorldRoom.onJoin does, one patch
 * every few joins) and divides the growth by their number. A player's cost is everything a join
 * adds: its core actor, its ActorState, its StateView and observer, and its share of the encoder's
 * buffers. The probe runs in a fresh process and reads at several client counts, so fixed costs
 * (buffer growth, young-generation sizing) can be told apart from the per-player slope.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { buildDenseWorld } from "./dense-world.ts";
import { mulberry32, randInt } from "./prng.ts";
import { createSyncScene, joinClient, sendPatch } from "./sync-scene.ts";

export interface MemoryReading {
  rss: number;
  /** heapUsed + external (bytes). */
  heap: number;
}

let collect: (() => void) | undefined;

/** `global.gc` when node ran with --expose-gc, else the same function enabled at run time. */
export function forceGc(): { gc: () => void; source: string } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return { gc: exposed, source: "--expose-gc" };
  if (!collect) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  return { gc: collect, source: "v8.setFlagsFromString('--expose-gc') at run time" };
}

/** Memory after two full GCs (RSS may still hold pages V8 has freed: see {@link readSettledMemory}). */
export function readMemory(): MemoryReading {
  const { gc } = forceGc();
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
}

/** Most time {@link readSettledMemory} waits for RSS to settle, ms. */
const SETTLE_MAX_MS = 5_000;
/** Interval between its readings, ms, and the change below which two readings count as settled, bytes. */
const SETTLE_STEP_MS = 250;
const SETTLED_BYTES = 256 * 1024;

/**
 * Memory after full GCs, once RSS has settled. V8 returns the pages a GC frees to the operating
 * system on a background task, while the event loop turns; a reading taken right after `gc()` in
 * a loop that never yields counts them still. How many there are depends on how much garbage the
 * run made, not on what it keeps: measured here at 1,000 players joined into a 10k-actor scene,
 * one patch per join read 336 MB and one patch per 10 joins 205 MB right after GC, and both
 * 180–190 MB once settled. So: GC, then yield and GC again every {@link SETTLE_STEP_MS} until two
 * RSS readings differ by less than {@link SETTLED_BYTES} (at most {@link SETTLE_MAX_MS}).
 */
export async function readSettledMemory(): Promise<MemoryReading> {
  let reading = readMemory();
  for (const until = Date.now() + SETTLE_MAX_MS; Date.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_STEP_MS));
    const next = readMemory();
    const settled = Math.abs(next.rss - reading.rss) < SETTLED_BYTES;
    reading = next;
    if (settled) break;
  }
  return reading;
}

export interface MemoryProbeConfig {
  actors: number;
  /** Cumulative client counts at which memory is read, ascending. */
  checkpoints: readonly number[];
  /** Joins between two patches. */
  patchEvery: number;
  radius: number;
  seed: number;
}

export interface MemoryPoint {
  clients: number;
  /** Growth since before the first join ÷ clients, bytes. */
  rssPerClient: number;
  heapPerClient: number;
}

export interface PlayerMemory {
  actors: number;
  points: MemoryPoint[];
  /** Growth between the first and the last checkpoint ÷ the clients added: fixed costs drop out. */
  marginal: { rssPerClient: number; heapPerClient: number };
  gc: string;
}

/** Bytes per joined player in a fresh scene of `actors` NPCs, read at each checkpoint. */
export async function measurePlayerMemory(config: MemoryProbeConfig): Promise<PlayerMemory> {
  const scene = await createSyncScene(buildDenseWorld(config.actors, config.seed), config.radius);
  const { grid } = scene.sim.world;
  const rand = mulberry32(config.seed ^ 0x3e3);
  const before = await readSettledMemory();
  const readings: (MemoryReading & { clients: number })[] = [];
  for (const target of config.checkpoints) {
    while (scene.clients.length < target) {
      let cell = randInt(rand, grid.walls.length);
      while (grid.walls[cell] === 1 || grid.occupancy[cell] !== 0) cell = randInt(rand, grid.walls.length);
      joinClient(scene, cell % grid.width, Math.floor(cell / grid.width), false);
      if (scene.clients.length % config.patchEvery === 0) sendPatch(scene);
    }
    sendPatch(scene);
    readings.push({ clients: target, ...(await readSettledMemory()) });
  }
  const points = readings.map((r) => ({ clients: r.clients, rssPerClient: (r.rss - before.rss) / r.clients, heapPerClient: (r.heap - before.heap) / r.clients }));
  const first = readings[0]!;
  const last = readings[readings.length - 1]!;
  const added = Math.max(1, last.clients - first.clients);
  return { actors: config.actors, points, marginal: { rssPerClient: (last.rss - first.rss) / added, heapPerClient: (last.heap - first.heap) / added }, gc: forceGc().source };
}

/**
 * {@link measurePlayerMemory} in a fresh Node process (same loader flags, plus --expose-gc): a long
 * benchmark process holds freed pages that V8 returns to the OS lazily, which makes RSS growth
 * meaningless there.
 */
export function measurePlayerMemoryIsolated(config: MemoryProbeConfig): PlayerMemory {
  const main = fileURLToPath(new URL("./sync-memory-main.ts", import.meta.url));
  const child = spawnSync(process.execPath, [...process.execArgv, "--expose-gc", main, JSON.stringify(config)], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`memory probe failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  const line = child.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as PlayerMemory;
}
