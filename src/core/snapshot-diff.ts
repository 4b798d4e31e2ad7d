/**
 * Differences between two snapshots of one world, field by field (issue 12: a replay that diverges
 * names the actors that differ and how). Fields are dotted paths into the snapshot's plain data:
 * `x`, `y`, `stats.runtime.attributes.health`, `plugins.items.gold`; arrays compare whole.
 */
import type { ActorSnapshot, WorldSnapshot } from "./snapshot.ts";

/** One differing field: its path and its two values (undefined, absent in JSON, where one side has no such field). */
export interface FieldDiff {
  field: string;
  replayed: unknown;
  recorded: unknown;
}

/** An actor that differs; an actor only one side has differs in field `exists`. */
export interface ActorDiff {
  actorId: string;
  fields: FieldDiff[];
}

export interface SnapshotDiff {
  /** World-level fields (tick, generator, player counter, plugin world state). */
  world: FieldDiff[];
  /** Actors in the recorded snapshot's pipeline order, then those only the replay has. */
  actors: ActorDiff[];
}

/** Compares `replayed` with `recorded` (a stored snapshot). Equal snapshots give no differences. */
export function diffSnapshots(replayed: WorldSnapshot, recorded: WorldSnapshot): SnapshotDiff {
  const { actors: replayedActors, version: _v1, worldId: _w1, ...replayedWorld } = replayed;
  const { actors: recordedActors, version: _v2, worldId: _w2, ...recordedWorld } = recorded;
  const mine = new Map(replayedActors.map((a) => [a.id, a]));
  const theirs = new Map(recordedActors.map((a) => [a.id, a]));
  const ids = [...theirs.keys(), ...[...mine.keys()].filter((id) => !theirs.has(id))];
  const actors: ActorDiff[] = [];
  for (const id of ids) {
    const fields = diffActor(mine.get(id), theirs.get(id));
    if (fields.length > 0) actors.push({ actorId: id, fields });
  }
  return { world: diffFields(replayedWorld, recordedWorld), actors };
}

function diffActor(replayed: ActorSnapshot | undefined, recorded: ActorSnapshot | undefined): FieldDiff[] {
  if (replayed === undefined || recorded === undefined) return [{ field: "exists", replayed: replayed !== undefined, recorded: recorded !== undefined }];
  return diffFields(replayed, recorded);
}

function diffFields(replayed: object, recorded: object): FieldDiff[] {
  const mine = flatten(replayed);
  const theirs = flatten(recorded);
  const out: FieldDiff[] = [];
  for (const field of new Set([...mine.keys(), ...theirs.keys()])) {
    const a = mine.get(field);
    const b = theirs.get(field);
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ field, replayed: a, recorded: b });
  }
  return out;
}

/** Leaves of plain data by dotted path; arrays, primitives and null are leaves. */
function flatten(value: object, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (child !== null && typeof child === "object" && !Array.isArray(child)) flatten(child, path, out);
    else out.set(path, child);
  }
  return out;
}
