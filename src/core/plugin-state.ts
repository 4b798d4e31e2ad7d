/**
 * Plugin-owned state inside the world (issue 9 §1): per world and per actor, keyed by plugin id,
 * plain JSON-safe data only. It is part of the snapshot (snapshot.ts), of the state hash (hash.ts)
 * and of the journal: a write from outside a tick goes through the `set-state` input, and a write
 * inside a tick is replayed with the tick that made it. A write inside a tick passes the tick's
 * undo log, so a failed action or chain rolls it back with everything else.
 *
 * Stored values are deep copies, frozen: a plugin cannot change state by mutating an object it
 * wrote or read, which would bypass the undo log and the hash.
 *
 * **A write costs what changed** (issue 10 "Benchmark"). A new value is compared with the stored
 * one path by path: a part that IS the stored part at the same path (the usual
 * `{ ...stored, gold: 3 }`) is shared as it is; only the other parts are copied and frozen.
 *
 * **The hash is a sum of terms**, one per node of the data: `term(path, value)` for a leaf
 * (`path` hashes the plugin id and the keys or indices down to it) and `term(path, tag)` for each
 * object or array, so empty containers count. Sums commute, so equal data hash equal whatever the
 * key order, and a write adds the terms of its new nodes and subtracts those of the nodes it
 * replaced: no key sort, no rehash of what it shares. Each owner keeps its sum (`Actor.pluginSum`,
 * `World.pluginSum`) up to date at every write and rollback; the hash the world folds in
 * (`Actor.pluginHash`, `World.pluginHash`: 0 while there is no state, so a world without plugin
 * state hashes exactly as before plugins existed) is settled lazily by `hashWorld`.
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
 * the path of a value that is not plain data (a function, NaN, a class instance …); nothing is
 * written then.
 */
export function setWorldState(world: World, pluginId: string, value: PlainData | undefined, undo?: UndoLog): void {
  const previous = world.pluginState.get(pluginId);
  const stored = sealInto(value, previous, pluginId);
  if (stored === previous) return;
  const sum = world.pluginSum;
  if (undo) recordWrite(undo, () => putWorldState(world, pluginId, previous, sum));
  putWorldState(world, pluginId, stored, (sum + delta) | 0);
}

/** Sets (or deletes) a plugin's state on `actor`; like {@link setWorldState}. */
export function setActorState(world: World, actor: Actor, pluginId: string, value: PlainData | undefined, undo?: UndoLog): void {
  const previous = actor.pluginState?.get(pluginId);
  const stored = sealInto(value, previous, pluginId);
  if (stored === previous) return;
  const sum = actor.pluginSum;
  if (undo) recordWrite(undo, () => putActorState(world, actor, pluginId, previous, sum));
  putActorState(world, actor, pluginId, stored, (sum + delta) | 0);
}

function putWorldState(world: World, pluginId: string, value: PlainData | undefined, sum: number): void {
  if (value === undefined) world.pluginState.delete(pluginId);
  else world.pluginState.set(pluginId, value);
  world.pluginSum = sum;
  world.pluginDirty.add(world);
}

function putActorState(world: World, actor: Actor, pluginId: string, value: PlainData | undefined, sum: number): void {
  const state = actor.pluginState ?? new Map<string, PlainData>();
  if (value === undefined) state.delete(pluginId);
  else state.set(pluginId, value);
  actor.pluginState = state.size > 0 ? state : null;
  actor.pluginSum = sum;
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
      world.pluginHash = finalHash(world.pluginState.size, world.pluginSum);
      continue;
    }
    const actor = owner as Actor;
    if (world.byId.get(actor.id) !== actor) continue;
    const hash = finalHash(actor.pluginState?.size ?? 0, actor.pluginSum);
    if (hash === actor.pluginHash) continue;
    accountActor(world, actor, -1);
    actor.pluginHash = hash;
    accountActor(world, actor, 1);
  }
  world.pluginDirty.clear();
}

/** 0 for no state, else the mixed sum (never 0). */
function finalHash(size: number, sum: number): number {
  return size === 0 ? 0 : fmix32(sum ^ 0x6a09e667) >>> 0 || 1;
}

/** The hash a map of stored (plain-data) values has, as {@link settlePluginHashes} computes it (tests, tools): the sum of their terms, no copy. */
export function hashStateMap(state: ReadonlyMap<string, PlainData>): number {
  let sum = 0;
  for (const [id, value] of state) sum = (sum + subtreeSum(value, rootPath(id))) | 0;
  return finalHash(state.size, sum);
}

// --- Sealing: copy, freeze and hash what a write changes --------------------------------------

/** The hash delta of the last {@link sealInto}: terms added minus terms removed. */
let delta = 0;

/** Thrown inside a copy at the first part that is not plain data; the caller names its path. */
const NOT_PLAIN: unique symbol = Symbol("not plain data");

/**
 * The value to store for `next` under `pluginId`, given the `previous` stored value: parts that
 * are the previous parts at the same path are shared, the rest copied and frozen. Sets `delta`.
 * Throws a TypeError naming the first part that is not plain data.
 */
function sealInto(next: unknown, previous: PlainData | undefined, pluginId: string): PlainData | undefined {
  delta = 0;
  const root = rootPath(pluginId);
  if (next === undefined) {
    if (previous !== undefined) delta = -subtreeSum(previous, root);
    return undefined;
  }
  try {
    return copyInto(next, previous, root);
  } catch (error) {
    if (error === NOT_PLAIN) throw new TypeError(describeNotPlain(next, pluginId));
    throw error;
  }
}

function copyInto(next: unknown, prev: PlainData | undefined, path: number): PlainData {
  if (next === prev && prev !== undefined) return prev;
  if (next === null || typeof next !== "object") {
    const hash = primitiveHash(next);
    if (prev !== undefined) delta = (delta - subtreeSum(prev, path)) | 0;
    delta = (delta + term(path, hash)) | 0;
    return next as PlainData;
  }
  const sameKind = prev !== undefined && prev !== null && typeof prev === "object" && Array.isArray(prev) === Array.isArray(next);
  if (prev !== undefined && !sameKind) delta = (delta - subtreeSum(prev, path)) | 0;
  const before = sameKind ? (prev as object) : undefined;
  if (Array.isArray(next)) return copyArray(next, before as readonly PlainData[] | undefined, path);
  if (Object.getPrototypeOf(next) !== Object.prototype) throw NOT_PLAIN;
  return copyRecord(next as Record<string, unknown>, before as Readonly<Record<string, PlainData>> | undefined, path);
}

function copyArray(next: readonly unknown[], prev: readonly PlainData[] | undefined, path: number): PlainData {
  if (prev === undefined) delta = (delta + term(path, ARRAY_TAG)) | 0;
  const out = new Array<PlainData>(next.length);
  for (let i = 0; i < next.length; i++) {
    const before = prev !== undefined && i < prev.length ? prev[i] : undefined;
    out[i] = next[i] === before && before !== undefined ? before : copyInto(next[i], before, childPath(path, indexHash(i)));
  }
  if (prev !== undefined) for (let i = next.length; i < prev.length; i++) delta = (delta - subtreeSum(prev[i]!, childPath(path, indexHash(i)))) | 0;
  return Object.freeze(out);
}

function copyRecord(next: Record<string, unknown>, prev: Readonly<Record<string, PlainData>> | undefined, path: number): PlainData {
  if (prev === undefined) delta = (delta + term(path, RECORD_TAG)) | 0;
  const out: Record<string, PlainData> = {};
  // `next` has Object.prototype (checked), which has no enumerable keys: for-in yields its own.
  for (const key in next) {
    const value = next[key];
    const before = prev !== undefined && Object.hasOwn(prev, key) ? prev[key] : undefined;
    // A part that is the stored one stays, and costs no hashing.
    out[key] = value === before && before !== undefined ? before : copyInto(value, before, childPath(path, keyHash(key)));
  }
  if (prev !== undefined) {
    for (const key in prev) if (!Object.hasOwn(out, key)) delta = (delta - subtreeSum(prev[key]!, childPath(path, keyHash(key)))) | 0;
  }
  return Object.freeze(out);
}

/** The sum of the terms of a stored value at `path` (what removing it subtracts). */
function subtreeSum(value: PlainData, path: number): number {
  if (value === null || typeof value !== "object") return term(path, primitiveHash(value));
  let sum: number;
  if (Array.isArray(value)) {
    sum = term(path, ARRAY_TAG);
    for (let i = 0; i < value.length; i++) sum = (sum + subtreeSum(value[i] as PlainData, childPath(path, indexHash(i)))) | 0;
  } else {
    sum = term(path, RECORD_TAG);
    const record = value as Readonly<Record<string, PlainData>>;
    for (const key in record) sum = (sum + subtreeSum(record[key]!, childPath(path, keyHash(key)))) | 0;
  }
  return sum;
}

/** The hash of a primitive; throws {@link NOT_PLAIN} for anything JSON cannot hold. */
function primitiveHash(value: unknown): number {
  switch (typeof value) {
    case "number":
      if ((value | 0) === value) return fmix32(value ^ 0x2f1b7c3d);
      if (!Number.isFinite(value)) throw NOT_PLAIN;
      return hashString(`${value}`) ^ 0x3b9aca07;
    case "string":
      return hashString(value) ^ 0x1f83d9ab;
    case "boolean":
      return value ? 0x5be0cd19 : 0x9b05688c;
    default:
      if (value === null) return 0x7137449;
      throw NOT_PLAIN;
  }
}

const RECORD_TAG = 0x510e527f;
const ARRAY_TAG = 0x3c6ef372;

function term(path: number, valueHash: number): number {
  return fmix32(Math.imul(path ^ 0x85ebca6b, 0x01000193) ^ fmix32(valueHash));
}

function childPath(path: number, part: number): number {
  return fmix32(Math.imul(path ^ part, 0x01000193) + 0x9e3779b9);
}

function rootPath(pluginId: string): number {
  return childPath(0x243f6a88, keyHash(pluginId));
}

/** Hashes of keys (plugin ids, item ids, `npc:<id>` …), kept: they recur write after write. */
const KEY_HASHES = new Map<string, number>();
const KEY_HASHES_MAX = 1 << 16;

function keyHash(key: string): number {
  let h = KEY_HASHES.get(key);
  if (h === undefined) {
    if (KEY_HASHES.size >= KEY_HASHES_MAX) KEY_HASHES.clear(); // a cache of a pure function: clearing changes no hash
    KEY_HASHES.set(key, (h = hashString(key)));
  }
  return h;
}

function indexHash(i: number): number {
  return fmix32(i + 0x68e31da4);
}

/** The message for the first part of `value` that is not plain data, named by its path under `name`. */
function describeNotPlain(value: unknown, name: string): string {
  if (typeof value === "number") return `${name}: ${value} is not plain data (numbers must be finite)`;
  if (value === null || typeof value === "string" || typeof value === "boolean") return `${name}: not plain data`;
  if (typeof value === "object" && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, i) => [`${name}[${i}]`, item]) : Object.entries(value).map(([key, item]) => [`${name}.${key}`, item]);
    for (const [path, item] of entries) if (!isPlain(item)) return describeNotPlain(item, path);
  }
  return `${name}: a ${typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value} is not plain data`;
}

function isPlain(value: unknown): boolean {
  try {
    const saved = delta;
    copyInto(value, undefined, 0);
    delta = saved;
    return true;
  } catch {
    return false;
  }
}

/** JSON with object keys sorted at every level: equal data, equal text. */
export function canonicalJson(value: PlainData): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as { readonly [key: string]: PlainData };
  return `{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key]!)}`).join(",")}}`;
}
