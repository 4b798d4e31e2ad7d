/**
 * Snapshots (STYLE §3): a world's whole dynamic state as plain JSON-safe data, and its restore.
 * The map, name and tick rate come from the world file; the snapshot holds the tick, the generator
 * state, the player counter and every actor.
 */
import { CORE_RULES, type WorldRules } from "./rules.ts";
import { vectorToValues, type StatLayout } from "../stats/layout.ts";
import type { ActiveModifier, StatValues } from "../stats/types.ts";
import { setActorState, setWorldState } from "./plugin-state.ts";
import type { Actor, ActorKind, AiKind, BehaviourName, PlainData, Result, World, WorldDef } from "./types.ts";
import { addActors, createEmptyWorld } from "./world.ts";

export const SNAPSHOT_VERSION = 2;

/** A modifier in a snapshot: the stat by name, `expiresAt`/`durationTicks` null for infinite. */
export interface ModifierSnapshot {
  source: string;
  stat: string;
  op: ActiveModifier["op"];
  value: number;
  stacks: number;
  maxStacks: number;
  policy: ActiveModifier["policy"];
  durationTicks: number | null;
  appliedTick: number;
  expiresAt: number | null;
}

export interface ActorSnapshot {
  id: string;
  kind: ActorKind;
  name: string;
  /** Column, in cells. */
  x: number;
  /** Row, in cells. */
  y: number;
  behaviours: BehaviourName[];
  ai: AiKind | null;
  initiative: number;
  /** Base stats (merged layers), runtime overrides and active modifiers. */
  stats: { base: StatValues; runtime: StatValues; modifiers: ModifierSnapshot[] };
  home: [number, number];
  /** Tick at which a downed actor respawns, −1 when up. */
  respawnAt: number;
  /** Plugin-owned state by plugin id (plugin-state.ts); absent when there is none. */
  plugins?: Record<string, PlainData>;
}

export interface WorldSnapshot {
  version: typeof SNAPSHOT_VERSION;
  worldId: string;
  /** Completed ticks. */
  tick: number;
  /** Generator state (int32). */
  rng: number;
  nextPlayerNo: number;
  /** Actors in pipeline order. */
  actors: ActorSnapshot[];
  /** Plugin-owned world state by plugin id; absent when there is none. */
  plugins?: Record<string, PlainData>;
}

/** Takes a snapshot; the world is not changed. */
export function snapshotWorld(world: World): WorldSnapshot {
  return {
    version: SNAPSHOT_VERSION,
    worldId: world.id,
    tick: world.tick,
    rng: world.rng.state,
    nextPlayerNo: world.nextPlayerNo,
    actors: world.order.map((a) => ({
      id: a.id,
      kind: a.kind,
      name: a.name,
      x: a.x,
      y: a.y,
      behaviours: [...a.behaviours],
      ai: a.ai,
      initiative: a.initiative,
      stats: snapshotStats(world.layout, a),
      home: [a.homeX, a.homeY],
      respawnAt: a.respawnAt,
      ...(a.pluginState ? { plugins: Object.fromEntries(a.pluginState) } : {}),
    })),
    ...(world.pluginState.size > 0 ? { plugins: Object.fromEntries(world.pluginState) } : {}),
  };
}

function snapshotStats(layout: StatLayout, actor: Actor): ActorSnapshot["stats"] {
  return {
    base: vectorToValues(layout, actor.stats.base),
    runtime: vectorToValues(layout, actor.stats.runtime),
    modifiers: actor.stats.modifiers.map((m) => ({
      source: m.source,
      stat: layout.slots[m.axis]!.key,
      op: m.op,
      value: m.value,
      stacks: m.stacks,
      maxStacks: m.maxStacks,
      policy: m.policy,
      durationTicks: Number.isFinite(m.durationTicks) ? m.durationTicks : null,
      appliedTick: m.appliedTick,
      expiresAt: Number.isFinite(m.expiresAt) ? m.expiresAt : null,
    })),
  };
}

function restoreModifiers(layout: StatLayout, modifiers: readonly ModifierSnapshot[]): ActiveModifier[] | string {
  const out: ActiveModifier[] = [];
  for (const m of modifiers) {
    const axis = layout.indexOf.get(m.stat);
    if (axis === undefined) return `modifier "${m.source}" names unknown stat "${m.stat}"`;
    out.push({ ...m, axis, durationTicks: m.durationTicks ?? Infinity, expiresAt: m.expiresAt ?? Infinity });
  }
  return out;
}

/**
 * Rebuilds a world from its definition, a snapshot and the rules it resolves with (the same rules
 * it ran with: a snapshot holds state, not code). Rejects `snapshot/mismatch` when the snapshot
 * belongs to another world, has another version, or puts an actor where the map no longer allows.
 */
export function restoreWorld(def: WorldDef, snapshot: WorldSnapshot, rules: WorldRules = CORE_RULES): Result<World> {
  if (snapshot.version !== SNAPSHOT_VERSION) return mismatch(`snapshot version ${snapshot.version}, expected ${SNAPSHOT_VERSION}`);
  if (snapshot.worldId !== def.id) return mismatch(`snapshot of world ${snapshot.worldId}, expected ${def.id}`);
  const world = createEmptyWorld(def, rules);
  world.tick = snapshot.tick;
  world.rng.state = snapshot.rng | 0;
  world.nextPlayerNo = snapshot.nextPlayerNo;
  const specs = [];
  for (const actor of snapshot.actors) {
    const modifiers = restoreModifiers(world.layout, actor.stats.modifiers);
    if (typeof modifiers === "string") return mismatch(`world ${def.id}, actor ${actor.id}: ${modifiers}`);
    specs.push({ ...actor, stats: [actor.stats.base], runtime: actor.stats.runtime, modifiers });
  }
  const added = addActors(world, specs);
  if (!added.ok) return mismatch(`world ${def.id}, ${added.message}`);
  for (const [pluginId, value] of Object.entries(snapshot.plugins ?? {})) setWorldState(world, pluginId, value);
  for (const actor of snapshot.actors) {
    for (const [pluginId, value] of Object.entries(actor.plugins ?? {})) setActorState(world, world.byId.get(actor.id)!, pluginId, value);
  }
  return { ok: true, value: world };
}

function mismatch(message: string): Result<never> {
  return { ok: false, code: "snapshot/mismatch", message };
}
