/**
 * Snapshots (STYLE §3): a world's whole dynamic state as plain JSON-safe data, and its restore.
 * The map, name and tick rate come from the world file; the snapshot holds the tick, the generator
 * state, the player counter and every actor.
 */
import type { ActorKind, AiKind, BehaviourName, Result, World, WorldDef } from "./types.ts";
import { addActors, createEmptyWorld } from "./world.ts";

export const SNAPSHOT_VERSION = 1;

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
    })),
  };
}

/**
 * Rebuilds a world from its definition and a snapshot. Rejects `snapshot/mismatch` when the snapshot
 * belongs to another world, has another version, or puts an actor where the map no longer allows.
 */
export function restoreWorld(def: WorldDef, snapshot: WorldSnapshot): Result<World> {
  if (snapshot.version !== SNAPSHOT_VERSION) return mismatch(`snapshot version ${snapshot.version}, expected ${SNAPSHOT_VERSION}`);
  if (snapshot.worldId !== def.id) return mismatch(`snapshot of world ${snapshot.worldId}, expected ${def.id}`);
  const world = createEmptyWorld(def);
  world.tick = snapshot.tick;
  world.rng.state = snapshot.rng | 0;
  world.nextPlayerNo = snapshot.nextPlayerNo;
  const added = addActors(world, snapshot.actors);
  if (!added.ok) return mismatch(`world ${def.id}, ${added.message}`);
  return { ok: true, value: world };
}

function mismatch(message: string): Result<never> {
  return { ok: false, code: "snapshot/mismatch", message };
}
