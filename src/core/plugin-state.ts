/**
 * Plugin-owned state inside the world (issue 9 §1): per world and per actor, keyed by plugin id,
 * plain JSON-safe data only. It is part of the snapshot (snapshot.ts), of the state hash (hash.ts)
 * and of the journal: a write from outside a tick goes through the `set-state` input, and a write
 * inside a tick is replayed with the tick that made it. A write inside a tick passes the tick's
 * undo log, so a failed action or chain rolls it back with everything else.
 *
 * Stored values are deep copies, frozen: a plugin cannot change state by mutating an object it
 * wrote or read, which would bypass the undo log and the hash. A part of a new value that came from
 * a stored one is shared, not copied. The hash of a value is structural (`hashValue`: equal data,
 * equal hash, whatever the key order), cached per frozen object so a write hashes only its new
 * parts; it is kept per actor (`Actor.pluginHash`, folded into the actor's contribution) and per
 * world (`World.pluginHash`), settled lazily by `hashWorld` (`settlePluginHashes`); both are 0
 * while empty, so a world without plugin state hashes exactly as before plugins existed.
 */
import { accountActor, fmix32, hashString } from "./hash.ts";
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

// Hashes are settled lazily: a write marks its actor (or the world) dirty, and the state hash
// (`hashWorld`) settles them first, so n writes to one actor in a tick hash its state once.

function putWorldState(world: World, pluginId: string, value: PlainData | undefined): void {
  if (value === undefined) world.pluginState.delete(pluginId);
  else world.pluginState.set(pluginId, value);
  world.pluginDirty.add(world);
}

function putActorState(world: World, actor: Actor, pluginId: string, value: PlainData | undefined): void {
  const state = actor.pluginState ?? new Map<string, PlainData>();
  if (value === undefined) state.delete(pluginId);
  else state.set(pluginId, value);
  actor.pluginState = state.size > 0 ? state : null;
  world.pluginDirty.add(actor);
}

/**
 * Brings `World.pluginHash` and each written actor's `pluginHash` (and so the world's sums) up to
 * date with the state written since the last call. `hashWorld` calls it; nothing else needs to.
 * An actor removed meanwhile left with the contribution it had, and is skipped.
 */
export function settlePluginHashes(world: World): void {
  if (world.pluginDirty.size === 0) return;
  for (const owner of world.pluginDirty) {
    if (owner === world) {
      world.pluginHash = hashStateMap(world.pluginState);
      continue;
    }
    const actor = owner as Actor;
    if (world.byId.get(actor.id) !== actor) continue;
    accountActor(world, actor, -1);
    actor.pluginHash = actor.pluginState ? hashStateMap(actor.pluginState) : 0;
    accountActor(world, actor, 1);
  }
  world.pluginDirty.clear();
}

/** The hash of a state map: 0 when empty, else the FNV-1a of its canonical JSON (never 0). */
export function hashStateMap(state: ReadonlyMap<string, PlainData>): number {
  if (state.size === 0) return 0;
  let h = 0x6a09e667;
  const ids = state.size === 1 ? state.keys() : [...state.keys()].sort();
  for (const id of ids) h = mix(mix(h, idHash(id)), hashValue(state.get(id)!));
  return h >>> 0 || 1;
}

/** Hashes of plugin ids (a handful per server), kept. */
const ID_HASHES = new Map<string, number>();

function idHash(id: string): number {
  let h = ID_HASHES.get(id);
  if (h === undefined) ID_HASHES.set(id, (h = hashString(id)));
  return h;
}

/**
 * The structural hash of a checked (copied and frozen) object or array, kept on it as a
 * non-enumerable symbol property: invisible to JSON, `Object.keys`, spreads and structuredClone.
 * Its presence also marks the value as checked plain data (plugins are trusted in-process code:
 * this guards against mistakes, such as mutating a value read back, not against malice).
 */
const HASH = Symbol("arbiter.plain-data-hash");

type Hashed = { readonly [HASH]?: number };

/**
 * A 32-bit structural hash of plain data: equal data (object keys in any order) hash equal.
 * Integers hash their value, other primitives their text; arrays fold their items in order; objects
 * fold (key, value) pairs in key order. A checked value carries its hash (computed once, when it
 * was copied), so hashing a state costs only its top level.
 */
export function hashValue(value: PlainData): number {
  if (value === null || typeof value !== "object") return hashPrimitive(value);
  const carried = (value as Hashed)[HASH];
  return carried !== undefined ? carried : structuralHash(value, hashValue);
}

function hashPrimitive(value: null | boolean | number | string): number {
  if (typeof value === "number" && (value | 0) === value) return fmix32(value ^ 0x2f1b7c3d);
  return hashString(typeof value === "string" ? `s${value}` : `${value}`);
}

function structuralHash(value: object, hashOf: (item: PlainData) => number): number {
  let h: number;
  if (Array.isArray(value)) {
    h = 0x3c6ef372 ^ value.length;
    for (const item of value as readonly PlainData[]) h = mix(h, hashOf(item));
  } else {
    const record = value as { readonly [key: string]: PlainData };
    const keys = Object.keys(record).sort();
    h = 0x510e527f ^ keys.length;
    for (const key of keys) h = mix(mix(h, hashString(key)), hashOf(record[key]!));
  }
  return h;
}

/** Freezes a fresh copy with its hash on it. */
function sealed<T extends object>(value: T): T {
  Object.defineProperty(value, HASH, { value: structuralHash(value, hashValue) });
  return Object.freeze(value);
}

/** Folds `next` into `h` (murmur3's finaliser over a multiply-xor step). */
function mix(h: number, next: number): number {
  return fmix32(Math.imul(h ^ next, 0x01000193) + 0x9e3779b9);
}

/** JSON with object keys sorted at every level: equal data, equal text. */
export function canonicalJson(value: PlainData): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as { readonly [key: string]: PlainData };
  return `{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key]!)}`).join(",")}}`;
}

/**
 * A frozen deep copy of `value`; throws a TypeError naming the first part that is not plain data.
 * A part that came out of an earlier copy (a value read back and spread into a new one) is shared,
 * not copied again, so a write costs what changed, not the whole state.
 */
export function freezeCopy(value: unknown, path: string): PlainData {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "object" && (value as Hashed)[HASH] !== undefined) return value as PlainData;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not plain data (numbers must be finite)`);
    return value;
  }
  if (Array.isArray(value)) return sealed(value.map((item, i) => freezeCopy(item, `${path}[${i}]`)));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, PlainData> = {};
    for (const [key, item] of Object.entries(value)) out[key] = freezeCopy(item, `${path}.${key}`);
    return sealed(out);
  }
  throw new TypeError(`${path}: a ${typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value} is not plain data`);
}
