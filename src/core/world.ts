/**
 * World construction and the few mutations that keep the grid's occupancy index, the id index and
 * the pipeline order consistent: add, remove and move an actor, and spawn a player.
 */
import { setActorState } from "./plugin-state.ts";
import { CORE_RULES, type WorldRules } from "./rules.ts";
import { cellOf, createGrid, inBounds, isFreeFloor } from "./grid.ts";
import { compileStatLayout, mergeLayers } from "../stats/layout.ts";
import { createStatState, type StatState } from "../stats/stat-state.ts";
import type { ActiveModifier, StatValues } from "../stats/types.ts";
import { refreshStats } from "./actor-stats.ts";
import { reactionOf } from "./behaviours.ts";
import { accountActor, hashString } from "./hash.ts";
import { createSpatialHash, insertItem, moveItem, removeItem } from "./spatial-hash.ts";
import { createRng } from "./rng.ts";
import { DEFAULT_CLOCK } from "./clock.ts";
import type { Actor, ActorKind, AiKind, BehaviourName, CarriedStats, PlainData, Result, World, WorldDef } from "./types.ts";

/** What it takes to create an actor; positions in cells. */
export interface ActorSpec {
  id: string;
  kind: ActorKind;
  name: string;
  x: number;
  y: number;
  behaviours: readonly BehaviourName[];
  ai?: AiKind | null;
  initiative?: number;
  /** Base stat layers, merged in order over the defaults (template, instance, NPC base …). */
  stats?: readonly (StatValues | undefined)[];
  /** Runtime overrides (damage taken …). */
  runtime?: StatValues;
  modifiers?: readonly ActiveModifier[];
  /** Respawn cell; defaults to `[x, y]`. */
  home?: readonly [number, number];
  /** Tick at which a downed actor respawns; absent or −1 when up. */
  respawnAt?: number;
}

/** Behaviours every player actor has: others can push it (issue 2, "On join"). */
export const PLAYER_BEHAVIOURS: readonly BehaviourName[] = ["Moveable"];

/**
 * Builds a world at tick 0 from a validated definition, with its NPCs placed and the rules it
 * resolves with (rules.ts; the core's unless told otherwise).
 * Throws if the definition breaks an invariant (the content validator rejects such files first).
 */
export function createWorld(def: WorldDef, rules: WorldRules = CORE_RULES): World {
  const world = createEmptyWorld(def, rules);
  const added = addActors(
    world,
    def.npcs.map((npc) => ({ ...npc, kind: "npc" as const, x: npc.at[0], y: npc.at[1], stats: [npc.stats] })),
  );
  if (!added.ok) throw new Error(`world ${def.id}: ${added.message}`);
  return world;
}

/** Builds a world with its grid, generator and rules but no actors (used by restore). */
export function createEmptyWorld(def: WorldDef, rules: WorldRules = CORE_RULES): World {
  const grid = createGrid(def.map);
  return {
    id: def.id,
    name: def.name,
    tickRate: def.tickRate,
    seed: def.seed,
    def,
    clock: def.clock ?? DEFAULT_CLOCK,
    tick: 0,
    grid,
    spatial: createSpatialHash<Actor>(grid.width, grid.height),
    slots: [],
    freeSlots: [],
    byId: new Map(),
    order: [],
    queued: [],
    thinkers: [],
    actorSumA: 0,
    actorSumB: 0,
    rng: createRng(def.seed),
    pluginState: new Map(),
    pluginHash: 0,
    pluginSum: 0,
    pluginDirty: new Set(),
    rules,
    nextPlayerNo: 1,
    layout: compileStatLayout(def.stats),
    respawnTicks: def.respawnTicks,
    modified: new Set(),
    downed: new Set(),
  };
}

/** Pipeline order: initiative descending, then id ascending by UTF-16 code units (never locale). */
export function compareActors(a: Pick<Actor, "initiative" | "id">, b: Pick<Actor, "initiative" | "id">): number {
  if (a.initiative !== b.initiative) return b.initiative - a.initiative;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Adds an actor. Rejects (`command/invalid`) a duplicate id, a cell out of bounds, a wall or an
 * occupied cell: two actors never share a cell and none stands on a wall (rule 4).
 */
export function addActor(world: World, spec: ActorSpec): Result<Actor> {
  const placed = placeNewActor(world, spec);
  if (!placed.ok) return placed;
  const actor = placed.value;
  renumber(world.order, insertSorted(world.order, actor));
  if (actor.ai !== null) insertSorted(world.thinkers, actor);
  return placed;
}

/**
 * Adds many actors and sorts the pipeline order once (O(n log n), for world creation and restore).
 * Stops at the first rejection, naming the actor.
 */
export function addActors(world: World, specs: readonly ActorSpec[]): Result<number> {
  for (const spec of specs) {
    const placed = placeNewActor(world, spec);
    if (!placed.ok) return { ...placed, message: `actor ${spec.id}: ${placed.message}` };
    world.order.push(placed.value);
    if (placed.value.ai !== null) world.thinkers.push(placed.value);
  }
  world.order.sort(compareActors);
  world.thinkers.sort(compareActors);
  renumber(world.order, 0);
  return { ok: true, value: specs.length };
}

/** Validates and creates an actor on the grid and in the indices, outside the pipeline order. */
function placeNewActor(world: World, spec: ActorSpec): Result<Actor> {
  const { grid } = world;
  if (world.byId.has(spec.id)) return reject(`duplicate actor id "${spec.id}"`);
  if (spec.ai && !world.rules.brains.has(spec.ai)) return reject(`no AI kind "${spec.ai}" (registered: ${[...world.rules.brains.keys()].join(", ") || "none"})`);
  if (!inBounds(grid, spec.x, spec.y)) return reject(`[${spec.x}, ${spec.y}] is outside the map`);
  const cell = cellOf(grid, spec.x, spec.y);
  if (grid.walls[cell] === 1) return reject(`[${spec.x}, ${spec.y}] is a wall`);
  const occupant = grid.occupancy[cell]!;
  if (occupant !== 0) return reject(`[${spec.x}, ${spec.y}] is occupied by ${world.slots[occupant - 1]!.id}`);
  const slot = world.freeSlots.length > 0 ? world.freeSlots.pop()! : world.slots.length;
  const actor: Actor = {
    slot,
    id: spec.id,
    kind: spec.kind,
    name: spec.name,
    x: spec.x,
    y: spec.y,
    behaviours: [...spec.behaviours],
    reaction: reactionOf(spec.behaviours),
    ai: spec.ai ?? null,
    initiative: spec.initiative ?? 0,
    idHash: hashString(spec.id),
    stats: createActorStatState(world, spec),
    effective: new Float64Array(world.layout.slots.length),
    statsHash: 0,
    respawnAt: spec.respawnAt ?? -1,
    homeX: spec.home?.[0] ?? spec.x,
    homeY: spec.home?.[1] ?? spec.y,
    rank: 0,
    movedTick: -1,
    blockedTick: -1,
    pluginState: null,
    pluginHash: 0,
    pluginSum: 0,
    queue: null,
    bannedTick: -1,
    bannedCount: 0,
    bannedSlots: [],
  };
  refreshStats(world, actor);
  world.slots[slot] = actor;
  world.byId.set(actor.id, actor);
  grid.occupancy[cell] = slot + 1;
  insertItem(world.spatial, actor, actor.x, actor.y);
  accountActor(world, actor, 1);
  if (actor.stats.modifiers.length > 0) world.modified.add(actor);
  if (actor.respawnAt >= 0) world.downed.add(actor);
  return { ok: true, value: actor };
}

function createActorStatState(world: World, spec: ActorSpec): StatState {
  const state = createStatState(world.layout, mergeLayers(world.layout, spec.stats ?? []));
  if (spec.runtime) {
    const runtime = mergeLayers(world.layout, [spec.runtime]);
    world.layout.slots.forEach((slot, i) => {
      if (spec.runtime![slot.definition]?.[slot.axis] !== undefined) state.runtime[i] = runtime[i]!;
    });
  }
  for (const m of spec.modifiers ?? []) state.modifiers.push({ ...m });
  return state;
}

/** Removes an actor and frees its cell. Rejects `command/no-actor` for an unknown id. */
export function removeActor(world: World, id: string): Result<Actor> {
  const actor = world.byId.get(id);
  if (!actor) return { ok: false, code: "command/no-actor", message: `no actor "${id}" in world ${world.id}` };
  world.grid.occupancy[cellOf(world.grid, actor.x, actor.y)] = 0;
  removeItem(world.spatial, actor, actor.x, actor.y);
  accountActor(world, actor, -1);
  world.byId.delete(id);
  world.slots[actor.slot] = undefined;
  world.freeSlots.push(actor.slot);
  world.order.splice(actor.rank, 1);
  renumber(world.order, actor.rank);
  if (actor.ai !== null) world.thinkers.splice(world.thinkers.indexOf(actor), 1);
  if (actor.queue !== null) world.queued.splice(world.queued.indexOf(actor), 1);
  world.modified.delete(actor);
  world.downed.delete(actor);
  return { ok: true, value: actor };
}

/** Moves an actor to a cell the caller has checked is free floor, keeping the occupancy index. */
export function placeActor(world: World, actor: Actor, x: number, y: number): void {
  const { grid } = world;
  grid.occupancy[cellOf(grid, actor.x, actor.y)] = 0;
  grid.occupancy[cellOf(grid, x, y)] = actor.slot + 1;
  moveItem(world.spatial, actor, actor.x, actor.y, x, y);
  accountActor(world, actor, -1);
  actor.x = x;
  actor.y = y;
  accountActor(world, actor, 1);
}

/**
 * Spawns a player actor `player-<n>` with the Moveable behaviour and the stats it carries, on `at`
 * when that cell is free floor (a resumed session's last position), else at the first free spawn
 * point in reading order. Rejects `world/no-free-spawn` when every spawn point is occupied.
 */
export function spawnPlayer(world: World, name: string, options: { stats?: CarriedStats; at?: readonly [number, number]; state?: Readonly<Record<string, PlainData>> } = {}): Result<Actor> {
  const { grid } = world;
  const preferred = options.at && isFreeFloor(grid, options.at[0], options.at[1]) ? cellOf(grid, options.at[0], options.at[1]) : undefined;
  const cell = preferred ?? firstFreeSpawn(world);
  if (cell === undefined) {
    return { ok: false, code: "world/no-free-spawn", message: `all ${grid.spawns.length} spawn points of world ${world.id} are occupied` };
  }
  while (world.byId.has(`player-${world.nextPlayerNo}`)) world.nextPlayerNo++;
  const id = `player-${world.nextPlayerNo}`;
  const added = addActor(world, {
    id,
    kind: "player",
    name,
    x: cell % grid.width,
    y: Math.floor(cell / grid.width),
    behaviours: PLAYER_BEHAVIOURS,
    stats: [options.stats?.base],
    runtime: options.stats?.runtime,
  });
  if (added.ok) {
    world.nextPlayerNo++;
    for (const [pluginId, value] of Object.entries(options.state ?? {})) setActorState(world, added.value, pluginId, value);
  }
  return added;
}

/** The first free spawn cell in reading order, or undefined. */
export function firstFreeSpawn(world: World): number | undefined {
  return world.grid.spawns.find((c) => world.grid.occupancy[c] === 0);
}

/** Inserts `actor` into a list kept in pipeline order (binary search); returns its index. */
function insertSorted(list: Actor[], actor: Actor): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareActors(list[mid]!, actor) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, actor);
  return lo;
}

/** Sets `rank` for every actor from index `from` on. */
function renumber(order: Actor[], from: number): void {
  for (let i = from; i < order.length; i++) order[i]!.rank = i;
}

function reject(message: string): Result<never> {
  return { ok: false, code: "command/invalid", message };
}
