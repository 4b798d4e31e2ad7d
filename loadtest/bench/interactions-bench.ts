/**
 * Interaction benchmark (issue 10 "Benchmark"): a 10k-actor world (9,000 NPCs in the dense bench
 * world and 1,000 players, each joined next to an NPC of its own that carries interaction slots)
 * where every player makes one interaction per tick, a mix of the built-ins: `pickpocket`
 * (stealth), `talk` (dialogue) and `give_item` (items), by player index modulo 3. The shipped
 * plugins are loaded through the server's wiring (`plugins/`, `data/` for items and narrative).
 *
 * Three simulations of the same world get the same moves every tick (30% of the NPCs that hold no
 * slot, as in the core bench, each into a free floor cell: no pushes, so no chain can carry a
 * player away from its NPC):
 * `core` and its twin `floor` get nothing else; `busy` also gets the 1,000 `interact` inputs.
 * Timed per tick: step + publish (the dispatcher's replies and audit rows are queued in the
 * publish; their SQLite writes run in the event-loop turn after the tick, outside this figure, and
 * are timed apart: `afterTickMs`). The order of the three rotates every tick.
 * The verdict: (median busy − median core) ≤ 1 ms; the paired per-tick median and the floor (twin
 * vs core) are printed beside it, and what the server measures inside the plugins' code.
 */
import { fileURLToPath } from "node:url";
import { createEventBus, createSimulation, createWorld, stepSimulation, submitInput, type Input, type NpcDef, type Simulation, type TickResult, type WorldDef } from "../../src/core/index.ts";
import { loadStandalonePlugins } from "../../src/server/standalone-plugins.ts";
import type { InteractionEvent } from "../../plugins/interactions/dispatcher.ts";
import { coreField, syncPositions, toInputs } from "./core.ts";
import { buildDenseWorld } from "./dense-world.ts";
import { createPlanner, DX, DY } from "./mover-plan.ts";
import { elapsedMs, summarize, type Summary } from "./stats.ts";

export const INTERACTIONS_TARGET = { actors: 10_000, interactionsPerTick: 1_000, maxAddedMs: 1 } as const;

export interface InteractionsBenchConfig {
  npcs: number;
  players: number;
  warmupTicks: number;
  measuredTicks: number;
  seed: number;
  /** Slots the players use, player i the (i mod length)-th: `purse` (pickpocket), `chat` (talk), `gift` (give_item). */
  mix: readonly string[];
}

export const DEFAULT_INTERACTIONS_CONFIG: InteractionsBenchConfig = { npcs: 9_000, players: 1_000, warmupTicks: 30, measuredTicks: 300, seed: 20_261_130, mix: ["purse", "chat", "gift"] };

export interface InteractionsBenchReport {
  config: InteractionsBenchConfig;
  plugins: string[];
  coreMs: Summary;
  busyMs: Summary;
  floorMs: Summary;
  /** median busy − median core, ms: the verdict's figure. */
  addedMs: number;
  /** Median over ticks of (busy − core), ms. */
  pairedAddedMs: number;
  /** median floor − median core, ms: the noise of a difference of two runs. */
  floorAddedMs: number;
  /** What the server's plugin wiring measured inside the plugins, ms per tick (busy simulation). */
  pluginMsPerTick: number;
  /** The event-loop turn after each tick: the audit rows' SQLite transaction (in-memory database), ms. */
  afterTickMs: Summary;
  /** Interaction outcomes per tick by `interactionId verdict`. */
  outcomesPerTick: Record<string, number>;
  hashesEqual: boolean;
}

const PLUGINS_DIR = fileURLToPath(new URL("../../plugins", import.meta.url));
const DATA_DIR = fileURLToPath(new URL("../../data", import.meta.url));

/** The interactions each target NPC offers, by slot. */
const SLOTS = [
  { slotId: "purse", interactionId: "pickpocket", config: { baseSuccessChance: 0.5, detectionChance: 0.05, gold: { min: 1, max: 3 } } },
  { slotId: "chat", interactionId: "talk", config: { affinityGain: 1, dailyCap: 100 } },
  { slotId: "gift", interactionId: "give_item", config: { affinityPerValue: 1, maxAffinity: 5 } },
];

interface Pair {
  playerCell: [number, number];
  targetId: string;
}

/** The dense world, with `players` slot holders (every k-th NPC) and a free floor cell next to each. */
function buildWorld(config: InteractionsBenchConfig): { def: WorldDef; pairs: Pair[]; movable: boolean[] } {
  const dense = buildDenseWorld(config.npcs, config.seed);
  const width = dense.width;
  const occupied = new Set(dense.def.npcs.map((npc) => npc.at[1] * width + npc.at[0]));
  const wall = (x: number, y: number) => dense.def.map[y]![x] === "#";
  const pairs: Pair[] = [];
  const holders = new Set<number>();
  const stride = Math.floor(config.npcs / config.players);
  // Every stride-th NPC, then the ones after them, until each player has a slot holder with a free neighbour.
  for (let offset = 0; offset < stride && pairs.length < config.players; offset++) {
    for (let i = offset; i < config.npcs && pairs.length < config.players; i += stride) {
      const [x, y] = dense.def.npcs[i]!.at;
      for (let d = 0; d < 4; d++) {
        const cx = x + DX[d]!;
        const cy = y + DY[d]!;
        if (wall(cx, cy) || occupied.has(cy * width + cx)) continue;
        occupied.add(cy * width + cx);
        pairs.push({ playerCell: [cx, cy], targetId: dense.def.npcs[i]!.id });
        holders.add(i);
        break;
      }
    }
  }
  if (pairs.length < config.players) throw new Error(`bench world: only ${pairs.length} of ${config.players} slot holders have a free neighbour`);
  const npcs: NpcDef[] = dense.def.npcs.map((npc, i) => (holders.has(i) ? { ...npc, plugins: { interactions: { slots: SLOTS } } } : npc));
  const def: WorldDef = { ...dense.def, id: "bench-interactions", npcs };
  return { def, pairs, movable: npcs.map((_, i) => !holders.has(i)) };
}

export async function runInteractionsBench(config: InteractionsBenchConfig = DEFAULT_INTERACTIONS_CONFIG): Promise<InteractionsBenchReport> {
  const { plugins, close } = await loadStandalonePlugins(PLUGINS_DIR, 10_000, DATA_DIR);
  const { def, pairs, movable } = buildWorld(config);
  const make = () => {
    const sim = createSimulation(createWorld(def, plugins.rules));
    const bus = createEventBus();
    plugins.attach(bus, sim.world);
    const players = pairs.map((pair, i) => {
      const joined = submitInput(sim, { type: "join", actorId: "", name: `p${i}`, at: pair.playerCell, state: { items: { gold: 0, items: { apple: 1_000_000 }, equipped: {} } } });
      if (!joined.ok) throw new Error(`bench join: ${joined.message}`);
      return joined.value.id;
    });
    for (const pair of pairs) submitInput(sim, { type: "set-state", pluginId: "items", actorId: pair.targetId, value: { gold: 1_000_000, items: {}, equipped: {} } });
    // Givers hold out an apple once; the offer stays, each gift hands over one (plugins/items/give.ts).
    players.forEach((actorId, i) => {
      if (config.mix[i % config.mix.length] === "gift") submitInput(sim, { type: "act", actorId, kind: "offer", payload: { itemId: "apple" } });
    });
    return { sim, bus, players };
  };
  const core = make();
  const floor = make();
  const busy = make();
  const ids = def.npcs.map((npc) => npc.id);
  const field = coreField(core.sim, ids);
  const planner = createPlanner(ids.length, { movers: 0.3, intoOccupied: 0 }, config.seed ^ 0x5eed);
  const guarded = new Set<number>(); // cells of players and slot holders: no move aims there
  for (const pair of pairs) guarded.add(pair.playerCell[1] * field.width + pair.playerCell[0]);
  const interacts: Input[] = busy.players.map((actorId, i) => ({ type: "act", actorId, kind: "interact", payload: { targetId: pairs[i]!.targetId, slotId: config.mix[i % config.mix.length]! } }));
  const samples = { core: [] as number[], floor: [] as number[], busy: [] as number[] };
  const outcomes: Record<string, number> = {};
  let pluginMs = 0;
  const afterTick: number[] = [];
  let hashesEqual = true;
  for (let t = 0; t < config.warmupTicks + config.measuredTicks; t++) {
    syncPositions(core.sim, field);
    const plan = planner.plan(field);
    const moves = toInputs(plan, ids).filter((input, k) => {
      const actor = plan.movers[k]!;
      const cell = (field.ys[actor]! + DY[plan.dirs[k]!]!) * field.width + field.xs[actor]! + DX[plan.dirs[k]!]!;
      return movable[actor] === true && !guarded.has(cell) && field.occupancy[cell] === 0 && field.walls[cell] === 0 && input.type === "act";
    });
    for (const sim of [core.sim, floor.sim, busy.sim]) submitMoves(sim, moves);
    for (const input of interacts) submitInput(busy.sim, input);
    plugins.costs.drain();
    const results: Partial<Record<"core" | "floor" | "busy", TickResult>> = {};
    const times: Partial<Record<"core" | "floor" | "busy", number>> = {};
    const runs = [
      () => (times.core = timed(() => (results.core = publish(core)))),
      () => (times.floor = timed(() => (results.floor = publish(floor)))),
      () => (times.busy = timed(() => (results.busy = publish(busy)))),
    ];
    for (let k = 0; k < runs.length; k++) runs[(t + k) % runs.length]!();
    const spent = [...plugins.costs.drain().values()].reduce((sum, ms) => sum + ms, 0);
    // One event-loop turn, as between a server's ticks: the dispatcher writes its audit rows here.
    const turnStart = process.hrtime.bigint();
    await new Promise((resolve) => setImmediate(resolve));
    const turnMs = elapsedMs(turnStart, process.hrtime.bigint());
    hashesEqual &&= results.core!.hash === results.floor!.hash;
    if (t < config.warmupTicks) continue;
    samples.core.push(times.core!);
    samples.floor.push(times.floor!);
    samples.busy.push(times.busy!);
    pluginMs += spent;
    afterTick.push(turnMs);
    for (const e of results.busy!.events) {
      if (e.type !== "interaction") continue;
      const event = e as InteractionEvent;
      const key = `${event.interactionId ?? "?"} ${event.verdict}${event.code ? ` ${event.code}` : ""}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
  }
  await close();
  const [coreMs, floorMs, busyMs] = [summarize(samples.core), summarize(samples.floor), summarize(samples.busy)];
  return {
    config,
    plugins: plugins.host.list().map((p) => `${p.id}@${p.version}`),
    coreMs,
    busyMs,
    floorMs,
    addedMs: busyMs.median - coreMs.median,
    pairedAddedMs: summarize(samples.core.map((c, i) => samples.busy[i]! - c)).median,
    floorAddedMs: floorMs.median - coreMs.median,
    pluginMsPerTick: pluginMs / config.measuredTicks,
    afterTickMs: summarize(afterTick),
    outcomesPerTick: Object.fromEntries(Object.entries(outcomes).map(([k, n]) => [k, n / config.measuredTicks])),
    hashesEqual,
  };
}

function publish(run: { sim: Simulation; bus: ReturnType<typeof createEventBus> }): TickResult {
  const result = stepSimulation(run.sim);
  run.bus.publish(result);
  return result;
}

/** Moves of actors downed by retaliation are refused, as on a server; anything else is a bench bug. */
function submitMoves(sim: Simulation, inputs: readonly Input[]): void {
  for (const input of inputs) {
    const result = submitInput(sim, input);
    if (!result.ok && result.code !== "command/downed") throw new Error(`bench input rejected: ${result.message}`);
  }
}

function timed(run: () => unknown): number {
  const t0 = process.hrtime.bigint();
  run();
  return elapsedMs(t0, process.hrtime.bigint());
}
