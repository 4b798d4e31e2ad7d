// A seeded generator for the fuzzer (sfc32, seeded through splitmix32). Never Math.random(): the
// same --seed gives the same messages, in the same order, on every run and every machine.
// Each stream (one per channel: SDK messages, raw frames, join options) has its own generator
// derived from (seed, stream), so how fast one channel is served never changes what another sends.

/** splitmix32: spreads a 32-bit integer into a well-mixed one (seeding only). */
function splitmix32(state) {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A generator for (seed, stream). Returns an object of helpers over one sfc32 state:
 * u32() → integer in [0, 2^32); float() → [0, 1); int(n) → [0, n); range(lo, hi) → [lo, hi];
 * chance(p) → boolean; pick(array); weighted(entries of [weight, value]); bytes(n) → Buffer;
 * string(n, alphabet?) → n characters.
 */
export function createRng(seed, stream = 0) {
  let a = splitmix32(seed >>> 0);
  let b = splitmix32(a ^ stream);
  let c = splitmix32(b + 0x632be5ab);
  let d = splitmix32(c ^ 0x1b873593);
  const u32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const float = () => u32() / 2 ** 32;
  const int = (n) => Math.floor(float() * n);
  return {
    u32,
    float,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => float() < p,
    pick: (array) => array[int(array.length)],
    weighted: (entries) => pickWeighted(entries, float()),
    bytes: (n) => {
      const out = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) out[i] = u32() & 0xff;
      return out;
    },
    string: (n, alphabet) => {
      let out = "";
      for (let i = 0; i < n; i++) out += alphabet ? alphabet[int(alphabet.length)] : String.fromCharCode(0x20 + int(0x2fd0));
      return out;
    },
  };
}

/** entries: [[weight, value], …] with weights ≥ 0; r in [0, 1). Returns the chosen value. */
function pickWeighted(entries, r) {
  const total = entries.reduce((sum, [w]) => sum + w, 0);
  let at = r * total;
  for (const [w, value] of entries) {
    if (at < w) return value;
    at -= w;
  }
  return entries[entries.length - 1][1];
}
