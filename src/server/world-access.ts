/**
 * Reaching a world from outside its room (HTTP routes). A world with a running room is reached
 * through Colyseus's `matchMaker.remoteRoomCall`, so the call lands in the room's process and goes
 * through the same pipeline and journal as WebSocket input; a world with no running room is read
 * from (and, for admin writes, saved back to) its stored snapshot and journal.
 */
import { matchMaker } from "@colyseus/core";
import { describeActorStats, hashWorld, snapshotWorld, submitInput, type Result, type Simulation, type WorldDef } from "../core/index.ts";
import type { StatValues } from "../stats/types.ts";
import type { ServerServices } from "./services.ts";
import { restoreSimulation } from "./world-host.ts";

export type NormalizedStats = Record<string, number | string>;

/** The id of the running room of `worldId`, if any (any process, through the matchmaker driver). */
export async function findWorldRoom(worldId: string): Promise<string | undefined> {
  const rooms = await matchMaker.query({ name: "world" });
  return rooms.find((r) => (r.metadata as { worldId?: string } | undefined)?.worldId === worldId)?.roomId;
}

/** Effective, normalized stats of one NPC (`stats/unknown-type`, `npc/not-found` rejected). */
export async function readNpcStats(services: ServerServices, def: WorldDef, npcId: string, type: string): Promise<Result<NormalizedStats>> {
  const roomId = await findWorldRoom(def.id);
  if (roomId) return (await matchMaker.remoteRoomCall(roomId, "readNpcStats", [npcId, type])) as Result<NormalizedStats>;
  return npcStatsIn(restoreSimulation(def, services.store, services.plugins.rules).sim, npcId, type);
}

/** Sets runtime overrides of one NPC's stats of `type`; answers the new normalized stats. */
export async function writeNpcStats(services: ServerServices, def: WorldDef, npcId: string, type: string, values: Record<string, number>): Promise<Result<NormalizedStats>> {
  const roomId = await findWorldRoom(def.id);
  if (roomId) return (await matchMaker.remoteRoomCall(roomId, "writeNpcStats", [npcId, type, values])) as Result<NormalizedStats>;
  const sim = restoreSimulation(def, services.store, services.plugins.rules).sim;
  const written = setNpcStatsIn(sim, npcId, type, values);
  if (written.ok) services.store.saveSnapshot(def.id, snapshotWorld(sim.world), hashWorld(sim.world));
  return written;
}

/** Reads an NPC's stats in a simulation (used by the room and by the offline path). */
export function npcStatsIn(sim: Simulation, npcId: string, type: string): Result<NormalizedStats> {
  const actor = sim.world.byId.get(npcId);
  if (!actor || actor.kind !== "npc") return { ok: false, code: "npc/not-found", message: `no NPC "${npcId}" in world ${sim.world.id}` };
  return describeActorStats(sim.world, actor, type);
}

/** Applies a `set-stats` input for an NPC; rejects unknown types, unknown axes, out-of-range values. */
export function setNpcStatsIn(sim: Simulation, npcId: string, type: string, values: Record<string, number>): Result<NormalizedStats> {
  const current = npcStatsIn(sim, npcId, type);
  if (!current.ok) return current;
  const update: StatValues = { [type]: values };
  const applied = submitInput(sim, { type: "set-stats", actorId: npcId, values: update });
  if (!applied.ok) return { ok: false, code: "stats/invalid", message: applied.message };
  return npcStatsIn(sim, npcId, type);
}
