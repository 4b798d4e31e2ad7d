/**
 * State hashing, kept incremental so the per-tick hash costs O(1), not O(actors).
 *
 * Each actor contributes two 32-bit words derived from (id, kind, x, y, stats hash, plugin-state
 * hash; the last is 0 without plugin state, so it changes nothing then) through murmur3's
 * finaliser; the world keeps their sums (mod 2^32) up to date whenever an actor is added, removed
 * or moved (world.ts). The hash mixes tick, generator state, player counter, actor count and the two
 * sums into 64 bits, printed as 16 hex digits. Equal multisets of (id, kind, position) give equal
 * sums in any order, which is exactly the state's identity; moving any actor changes its words.
 */
import { settlePluginHashes } from "./plugin-state.ts";
import type { Actor, World } from "./types.ts";

/** Hashes a string to an unsigned 32-bit integer (FNV-1a over UTF-16 code units). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

type HashedFields = Pick<Actor, "idHash" | "kind" | "x" | "y" | "statsHash" | "pluginHash">;

/** First 32-bit word of an actor's contribution. */
export function contributionA(a: HashedFields): number {
  const kind = a.kind === "player" ? 0x5bd1e995 : 0x1b873593;
  return fmix32(a.idHash ^ Math.imul(a.x + 1, 0x9e3779b1) ^ Math.imul(a.y + 1, 0x7feb352d) ^ kind ^ Math.imul(a.statsHash, 0x2545f491) ^ Math.imul(a.pluginHash, 0x61c88647));
}

/** Second, independent 32-bit word of an actor's contribution. */
export function contributionB(a: HashedFields): number {
  const kind = a.kind === "player" ? 0x68e31da4 : 0x2c1b3c6d;
  return fmix32((Math.imul(a.idHash, 0x27d4eb2f) + Math.imul(a.y + 7, 0x165667b1)) ^ Math.imul(a.x + 13, 0xd3a2646c) ^ kind ^ fmix32(a.statsHash) ^ fmix32(Math.imul(a.pluginHash, 0x3c6ef372)));
}

/** Adds (`sign` 1) or removes (`sign` −1) an actor's contribution to the world's sums. */
export function accountActor(world: World, actor: HashedFields, sign: 1 | -1): void {
  world.actorSumA = (world.actorSumA + sign * contributionA(actor)) | 0;
  world.actorSumB = (world.actorSumB + sign * contributionB(actor)) | 0;
}

/** The sums recomputed from scratch, for checking the incremental ones (tests, restore). */
export function recomputeActorSums(world: World): { a: number; b: number } {
  let a = 0;
  let b = 0;
  for (const actor of world.order) {
    a = (a + contributionA(actor)) | 0;
    b = (b + contributionB(actor)) | 0;
  }
  return { a, b };
}

/**
 * The world's state hash: same world + seed + inputs ⇒ same hash (seed 002, design principle 1).
 * Returns 16 lowercase hex digits.
 */
export function hashWorld(world: World): string {
  settlePluginHashes(world);
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const values = [world.tick, world.rng.state, world.nextPlayerNo, world.order.length, world.actorSumA, world.actorSumB];
  // Plugin world state joins the hash only when there is some, so worlds without it hash as before.
  if (world.pluginHash !== 0) values.push(world.pluginHash);
  for (const value of values) {
    a = fmix32(Math.imul(a ^ value, 0x01000193));
    b = fmix32(Math.imul(b, 0x5bd1e995) ^ value ^ (b >>> 13));
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
