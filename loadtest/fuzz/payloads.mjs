// Hostile values and SDK messages, drawn from a seeded generator (rng.mjs). Everything here is what
// `room.send(type, payload)` of @colyseus/sdk can express: a string or number type and any value
// msgpackr packs (objects, arrays, NaN, ±Infinity, -0, BigInt, binary, undefined, deep nesting).
//
// An SDK item is { category, type, payload, frames } (frames > 1 only for "flood": the same move
// sent back to back, past the server's 40 messages per second) or, for "request", the same with
// request: true (sent with room.request(), which expects a reply). Categories and their weights:
// see SDK_CATEGORIES. Frames over the server's 4 KB inbound limit ("big") are
// closed with 1009 by the WebSocket transport before any handler sees them; the rest reach the room.
// Types longer than 240 bytes are the raw channel's (the SDK cannot frame them).

export const DIRS = ["N", "E", "S", "W"];

/** Message types that name inherited members, the catch-all, near-misses of "move" and oddities. */
export const HOSTILE_TYPES = ["*", "__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype", "__defineGetter__", "toJSON", "then", "", " ", "move ", "MOVE", "Move", "mov", "welcome", "error", "_$bmove", "*move", "move\u0000", "\u202emove", "undefined", "null", "NaN", "\ud800"];
export const NUMERIC_TYPES = [0, 1, -1, 13, 255, 65535, 2 ** 31, -(2 ** 31), 2 ** 53, 1.5, -0, 1e308, NaN, Infinity, -Infinity];
const EDGE_NUMBERS = [NaN, Infinity, -Infinity, -0, 0, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 64, -(2 ** 63), 4294967295, 0.1];
const EDGE_BIGINTS = [0n, -1n, 5n, 2n ** 63n - 1n, -(2n ** 63n)];
/** Keys that are inherited members of Object.prototype, plus the payload fields the server knows. */
const PROTO_KEYS = ["toString", "valueOf", "constructor", "hasOwnProperty", "toJSON", "then", "toLocaleString", "isPrototypeOf", "__proto__"];
/** Names of stats (default config): a message carrying one is refused whole with command/forbidden-field. */
const STAT_KEYS = ["stats", "modifiers", "health", "stamina", "strength", "agility", "defense", "attributes", "combat_skills", "relationships", "affinity", "trust"];

/** A string of n characters, sometimes with lone surrogates, NULs and direction overrides. */
export function hostileString(rng, n) {
  const special = ["\u0000", "\ud800", "\udfff", "\u202e", "\ufeff", "%s", "${x}", "\\", '"', "\n"];
  let out = rng.string(n);
  if (n > 0 && rng.chance(0.5)) out = out.slice(0, n - 1) + rng.pick(special);
  return out;
}

/**
 * Sets an own, enumerable property, even `__proto__` (a plain assignment would set the prototype).
 * A truthy `toJSON` becomes 0: msgpackr (the SDK's encoder too) calls a truthy toJSON while packing.
 */
function setKey(target, key, value) {
  Object.defineProperty(target, key, { value: key === "toJSON" && value ? 0 : value, enumerable: true, writable: true, configurable: true });
}

/** An object whose own keys name Object.prototype members, set to non-functions. */
export function protoObject(rng) {
  const values = [0, 1, "", "x", null, true, [], {}];
  const pattern = rng.int(5);
  if (pattern === 0) return { toString: 0 };
  if (pattern === 1) return { toString: rng.pick(values), valueOf: rng.pick(values) };
  if (pattern === 2) return JSON.parse('{"__proto__": {"dir": "N", "toString": 0}, "dir": "N"}');
  const out = {};
  for (let i = rng.range(1, 4); i > 0; i--) setKey(out, rng.pick(PROTO_KEYS), rng.pick(values));
  if (rng.chance(0.5)) out.dir = rng.pick(DIRS);
  return out;
}

/** A small random value, nested up to `depth` levels: scalars, edge numbers, arrays, objects. */
export function hostileValue(rng, depth = 2) {
  const kind = rng.int(depth > 0 ? 12 : 9);
  switch (kind) {
    case 0: return rng.pick(EDGE_NUMBERS);
    case 1: return rng.pick(EDGE_BIGINTS);
    case 2: return hostileString(rng, rng.range(0, 40));
    case 3: return rng.pick([null, undefined, true, false]);
    case 4: return rng.int(2 ** 31) - 2 ** 30;
    case 5: return rng.bytes(rng.range(0, 16));
    case 6: return rng.pick(DIRS);
    case 7: return protoObject(rng);
    case 8: return new Date(rng.chance(0.5) ? NaN : rng.int(2 ** 31) * 1000);
    case 9: return Array.from({ length: rng.range(0, 5) }, () => hostileValue(rng, depth - 1));
    default: {
      const out = {};
      for (let i = rng.range(0, 4); i > 0; i--) setKey(out, rng.chance(0.3) ? rng.pick(PROTO_KEYS) : rng.string(rng.range(0, 8)), hostileValue(rng, depth - 1));
      return out;
    }
  }
}

/** A `move` payload of the wrong shape: a bad dir, a non-object, extra or stat fields. */
export function badMove(rng) {
  const dirs = [5, null, undefined, [], ["N"], {}, true, "n", "NORTH", "", "N ", NaN, Infinity, -Infinity, -0, 1e308, "N\u0000", "\uff2e", 0n, { toString: 0 }, { valueOf: 0 }];
  const shape = rng.int(5);
  if (shape === 0) return { dir: rng.pick(dirs) };
  if (shape === 1) return rng.pick([null, undefined, 5, "N", [], ["N"], true, NaN, { toString: 0 }]);
  if (shape === 2) return { dir: rng.pick(DIRS), x: rng.int(100), y: rng.int(100), tick: rng.pick(EDGE_NUMBERS), actorId: "player-1" };
  if (shape === 3) return { Dir: rng.pick(DIRS), direction: rng.pick(DIRS) };
  return { dir: hostileValue(rng, 1) };
}

/** Nested arrays or objects, `depth` levels deep (1,000 by default), packed well under 4 KB. */
export function deepValue(rng, depth = 1000) {
  const objects = rng.chance(0.5);
  let value = rng.chance(0.5) ? "N" : { dir: "N" };
  for (let i = 0; i < depth; i++) value = objects ? { a: value } : [value];
  return value;
}

/** Values whose packed size is far over the 4 KB frame limit: 1 MB strings, 100k-element arrays. */
export function bigValue(rng) {
  const kind = rng.int(4);
  if (kind === 0) return { dir: "N".repeat(1 << 20) };
  if (kind === 1) return Array.from({ length: 100_000 }, (_, i) => i & 0x7f);
  if (kind === 2) return { dir: "N", pad: rng.string(4200) };
  return new Array(100_000).fill(null);
}

/** Categories of SDK items: [weight, name]. */
export const SDK_CATEGORIES = [
  [12, "valid-move"],
  [16, "bad-move"],
  [8, "stat-fields"],
  [16, "hostile-type"],
  [14, "proto-object"],
  [8, "edge-number"],
  [3, "deep"],
  [10, "request"],
  [1, "long-type"],
  [0.5, "big"],
  [0.12, "flood"],
];

/** Characters of long message types: one byte each, so a type's length is its size in bytes. */
export const TYPE_ALPHABET = "abcdefghijklmnopqrstuvwxyzMOVE*_$.";
/**
 * The SDK reserves at most 255 bytes for a frame's header (msgpackr's RESERVE_START_SPACE), so
 * longer types only go out as raw frames (frames.mjs, "long-type").
 */
const SDK_MAX_TYPE_BYTES = 240;

/** Messages per second that trip the flood limit (the server allows 40). */
const FLOOD_FRAMES = 45;

/** The next SDK item of the stream (see the header for its shape). */
export function nextSdkItem(rng) {
  const category = rng.weighted(SDK_CATEGORIES);
  const anyType = () => (rng.chance(0.25) ? rng.pick(NUMERIC_TYPES) : rng.chance(0.7) ? rng.pick(HOSTILE_TYPES) : hostileString(rng, rng.range(1, 64)));
  const item = { category, type: "move", payload: undefined, frames: 1 };
  switch (category) {
    case "valid-move": item.payload = { dir: rng.pick(DIRS) }; break;
    case "bad-move": item.payload = badMove(rng); break;
    case "stat-fields": item.type = rng.chance(0.8) ? "move" : anyType(); item.payload = statPayload(rng); break;
    case "hostile-type": item.type = anyType(); item.payload = rng.chance(0.2) ? undefined : hostileValue(rng); break;
    case "proto-object": item.type = rng.pick(["*", "*", "move", anyType()]); item.payload = protoObject(rng); break;
    case "edge-number": item.type = rng.chance(0.5) ? "move" : anyType(); item.payload = rng.chance(0.5) ? rng.pick(EDGE_NUMBERS) : { dir: rng.pick(EDGE_NUMBERS), n: rng.pick(EDGE_BIGINTS) }; break;
    case "deep": item.type = rng.pick(["move", "*", anyType()]); item.payload = deepValue(rng, rng.chance(0.5) ? 1000 : rng.range(200, 1000)); break;
    case "request": item.request = true; item.type = rng.pick(["move", "move", "*", anyType()]); item.payload = rng.chance(0.3) ? protoObject(rng) : rng.chance(0.5) ? badMove(rng) : hostileValue(rng); break;
    case "long-type": item.type = rng.string(rng.range(64, SDK_MAX_TYPE_BYTES), TYPE_ALPHABET); item.payload = { dir: "N" }; break;
    case "big": item.payload = bigValue(rng); break;
    case "flood": item.payload = { dir: rng.pick(DIRS) }; item.frames = FLOOD_FRAMES; break;
  }
  return item;
}

function statPayload(rng) {
  const out = rng.chance(0.6) ? { dir: rng.pick(DIRS) } : {};
  for (let i = rng.range(1, 3); i > 0; i--) out[rng.pick(STAT_KEYS)] = rng.chance(0.5) ? rng.pick([100, 1e9, -1, NaN]) : { health: 100, strength: 100 };
  return out;
}
