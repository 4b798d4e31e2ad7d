/**
 * A tiny seeded generator for the benchmarks (mulberry32), kept apart from the core's own
 * generator so that building scenarios never touches world state. Never `Math.random()`: every
 * run with the same seed builds the same worlds and the same inputs.
 */

/** A generator: each call returns the next unsigned 32-bit integer. */
export type Prng = () => number;

export function mulberry32(seed: number): Prng {
  let state = seed | 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** An integer in `[0, n)`; `n` is a positive integer below 2^32. */
export function randInt(rand: Prng, n: number): number {
  return rand() % n;
}

/** A float in `[0, 1)`. */
export function randFloat(rand: Prng): number {
  return rand() / 2 ** 32;
}
