/**
 * Plugin-owned state inside the world (issue 9 §1): per world and per actor, keyed by plugin id,
 * plain JSON-safe data only. It is part of the snapshot (snapshot.ts), of the state hash (hash.ts)
 * and of the journal: a write from outside a tick goes through the `set-state` input, and a write
 * inside a tick is replayed with the tick that made it. A write inside a tick passes the tick's
 * undo log, so a failed action or chain rolls it back with everything else.
 *
 * Stored values are deep copies, frozen: a plugin cannot change state by mutating an object it
 * wrote or read, which would bypass the undo log and the hash. The hash of a value is the FNV-1a of
 * its canonical JSON (object keys sorted), kept per actor (`Actor.pluginHash`, folded into the
 * actor's contribution) and per world (`World.pluginHash`); both are 0 while empty, so a world
 * without plugin state hashes exactly as before plugins existed.
 */
import { accountActor, hashString } from "./hash.ts";
import type { Actor, PlainData, World } from "./types.ts";
import { recordWrite, type UndoLog } from "./undo-log.ts";

/** A plugin's world-level state, or undefined. */
export function worldStateOf(world: World, pluginId: string): PlainData | undefined {
  return world.pluginState.get(pluginId);
}

/** A plugin's state on `actor`, or undefined. */
export function actorStateOf(actor: Actor, pluginId: string): PlainData | undefined {
  return actor.pluginState?.get(pluginId);
}

/**
 * Sets (or, with `undefined`, deletes) a plugin's world-level state. Throws a `TypeError` naming
 * the path of a value that is not plain data (a function, NaN, a class instance …).
 */
export function setWorldState(world: World, pluginId: string, value: PlainData | undefined, undo?: UndoLog): void {
  const previous = world.pluginState.get(pluginId);
  if (undo) recordWrite(undo, () => putWorldState(world, pluginId, previous));
  putWorldState(world, pluginId, value === undefined ? undefined : freezeCopy(value, pluginId));
}

/** Sets (or deletes) a plugin's state on `actor`; like {@link setWorldState}. */
export function setActorState(world: World, actor: Actor, pluginId: string, value: PlainData | undefined, undo?: UndoLog): void {
  const previous = actor.pluginState?.get(pluginId);
  if (undo) recordWrite(undo, () => putActorState(world, actor, pluginId, previous));
  putActorState(world, actor, pluginId, value === undefined ? undefined : freezeCopy(value, pluginId));
}

function putWorldState(world: World, pluginId: string, value: PlainData | undefined): void {
  if (value === undefined) world.pluginState.delete(pluginId);
  else world.pluginState.set(pluginId, value);
  world.pluginHash = hashStateMap(world.pluginState);
}

function putActorState(world: World, actor: Actor, pluginId: string, value: PlainData | undefined): void {
  const state = actor.pluginState ?? new Map<string, PlainData>();
  if (value === undefined) state.delete(pluginId);
  else state.set(pluginId, value);
  actor.pluginState = state.size > 0 ? state : null;
  accountActor(world, actor, -1);
  actor.pluginHash = actor.pluginState ? hashStateMap(actor.pluginState) : 0;
  accountActor(world, actor, 1);
}

/** The hash of a state map: 0 when empty, else the FNV-1a of its canonical JSON (never 0). */
export function hashStateMap(state: ReadonlyMap<string, PlainData>): number {
  if (state.size === 0) return 0;
  const ids = [...state.keys()].sort();
  return hashString(canonicalJson(Object.fromEntries(ids.map((id) => [id, state.get(id)!])))) || 1;
}

/** JSON with object keys sorted at every level: equal data, equal text. */
export function canonicalJson(value: PlainData): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as { readonly [key: string]: PlainData };
  return `{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key]!)}`).join(",")}}`;
}

/** A frozen deep copy of `value`; throws a TypeError naming the first part that is not plain data. */
export function freezeCopy(value: unknown, path: string): PlainData {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not plain data (numbers must be finite)`);
    return value;
  }
  if (Array.isArray(value)) return Object.freeze(value.map((item, i) => freezeCopy(item, `${path}[${i}]`)));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, PlainData> = {};
    for (const [key, item] of Object.entries(value)) out[key] = freezeCopy(item, `${path}.${key}`);
    return Object.freeze(out);
  }
  throw new TypeError(`${path}: a ${typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value} is not plain data`);
}
