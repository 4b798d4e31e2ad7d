/**
 * State hashing. Two 32-bit FNV-1a style lanes give a 64-bit digest printed as 16 hex digits:
 * cheap enough to run after every tick (about 6 multiplications per actor) and wide enough that a
 * determinism break does not hide behind a collision.
 */
import type { World } from "./types.ts";

/** Hashes a string to an unsigned 32-bit integer (FNV-1a over UTF-16 code units). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface Lanes {
  a: number;
  b: number;
}

function mix(lanes: Lanes, value: number): void {
  lanes.a = Math.imul(lanes.a ^ value, 0x01000193);
  lanes.b = Math.imul(lanes.b ^ value, 0x5bd1e995) ^ (lanes.b >>> 13);
}

/**
 * The world's state hash: tick, generator state, player counter and every actor (in pipeline order)
 * with id, kind and position. Same world + seed + inputs ⇒ same hash (seed 002, design principle 1).
 * Returns 16 lowercase hex digits.
 */
export function hashWorld(world: World): string {
  const lanes: Lanes = { a: 0x811c9dc5, b: 0x9747b28c };
  mix(lanes, world.tick);
  mix(lanes, world.rng.state);
  mix(lanes, world.nextPlayerNo);
  mix(lanes, world.order.length);
  for (const actor of world.order) {
    mix(lanes, actor.idHash);
    mix(lanes, actor.kind === "player" ? 1 : 2);
    mix(lanes, actor.x);
    mix(lanes, actor.y);
  }
  return (lanes.a >>> 0).toString(16).padStart(8, "0") + (lanes.b >>> 0).toString(16).padStart(8, "0");
}
