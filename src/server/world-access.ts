/**
 * Reaching a world from outside its room (HTTP routes, plugins). A running world, in this process or
 * another (issue 14), is reached through its typed port (world-ports.ts), so an admin write goes
 * through the same pipeline and journal as WebSocket input; a world with no running room is read
 * from (and, for admin writes, saved back to) its stored snapshot and journal.
 */
import { describeActorStats, hashWorld, snapshotWorld, submitInput, type Result, type Simulation, type WorldDef } from "../core/index.ts";
import type { StatValues } from "../stats/types.ts";
import type { ServerServices } from "./services.ts";
import { restoreSimulation } from "./world-host.ts";
import { worldPortOf } from "./world-ports.ts";

export type NormalizedStats = Record<string, number | string>;

/** Effective, normalized stats of one NPC (`stats/unknown-type`, `npc/not-found` rejected). */
export async function readNpcStats(services: ServerServices, def: WorldDef, npcId: string, type: string): Promise<Result<NormalizedStats>> {
  const running = await worldPortOf(services, def.id);
  if (running) return running.readNpcStats(npcId, type);
  return npcStatsIn(restoreSimulation(def, services.store, services.plugins.rules).sim, npcId, type);
}

/** Sets runtime overrides of one NPC's stats of `type`; answers the new normalized stats. */
export async function writeNpcStats(services: ServerServices, def: WorldDef, npcId: string, type: string, values: Record<string, number>): Promise<Result<NormalizedStats>> {
  const running = await worldPortOf(services, def.id);
  if (running) return running.writeNpcStats(npcId, type, values);
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
