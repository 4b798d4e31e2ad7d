/**
 * Seeded pseudo-random generator (mulberry32). Its whole state is one 32-bit integer, so it is part
 * of every snapshot and of the state hash; the core never uses `Math.random()` (STYLE §1).
 */
export interface RngState {
  /** Current 32-bit state, a signed int32. */
  state: number;
}

/** Creates a generator from a seed (any finite number; only its low 32 bits matter). */
export function createRng(seed: number): RngState {
  return { state: seed | 0 };
}

/** Advances the generator and returns an unsigned 32-bit integer. */
export function nextUint32(rng: RngState): number {
  let t = (rng.state = (rng.state + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Returns an integer in `[0, n)`; `n` must be a positive integer below 2^32. */
export function nextInt(rng: RngState, n: number): number {
  return nextUint32(rng) % n;
}

/** Returns true with probability `numerator / denominator`, both positive integers. */
export function chance(rng: RngState, numerator: number, denominator: number): boolean {
  return nextUint32(rng) % denominator < numerator;
}

/** Returns a float in [0, 1): the next unsigned 32-bit draw over 2^32 (exact, so replays compare equal). */
export function nextFloat(rng: RngState): number {
  return nextUint32(rng) / 4294967296;
}
