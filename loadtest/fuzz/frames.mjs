// Raw WebSocket frames the SDK would never send, drawn from a seeded generator (rng.mjs): protocol
// frames with hostile MessagePack (extensions, truncation), binary garbage, random protocol codes,
// requests with odd ids, message types of 241 bytes to 9 KB (the SDK frames at most ~250), frames
// over the 4 KB inbound limit, empty and text frames.
//
// A raw item is { category, bytes: Buffer | string } (a string goes out as a text frame). Categories
// and their weights: RAW_CATEGORIES. Expected server answers: bad MessagePack in ROOM_DATA closes
// with 4002; a frame over 4 KB closes with 1009; LEAVE_ROOM (12) closes with 4000; an unknown code
// is ignored; a request is answered with ROOM_RESPONSE; the rest reach the room's handlers.
import { pack } from "msgpackr";
import { DIRS, HOSTILE_TYPES, NUMERIC_TYPES, TYPE_ALPHABET, badMove, hostileString, hostileValue, protoObject } from "./payloads.mjs";
import { PROTOCOL, dataFrame, encodeType } from "./wire.mjs";

/** Categories of raw items: [weight, name]. */
export const RAW_CATEGORIES = [
  [24, "raw-data"],
  [10, "msgpack-ext"],
  [3, "truncated"],
  [4, "garbage"],
  [12, "protocol-code"],
  [10, "raw-request"],
  [5, "data-bytes"],
  [3, "ping"],
  [0.6, "oversize"],
  [1.5, "long-type"],
  [1, "empty-or-text"],
];

const from = (...parts) => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));

function anyType(rng) {
  if (rng.chance(0.3)) return "move";
  if (rng.chance(0.2)) return rng.pick(NUMERIC_TYPES);
  return rng.chance(0.7) ? rng.pick(HOSTILE_TYPES) : hostileString(rng, rng.range(0, 48));
}

/** A payload, packed with msgpackr's plain encoder (maps, not the SDK's records). */
function packedPayload(rng) {
  const kind = rng.int(5);
  if (kind === 0) return pack({ dir: rng.pick(DIRS) });
  if (kind === 1) return pack(badMove(rng));
  if (kind === 2) return pack(protoObject(rng));
  if (kind === 3) return rng.chance(0.1) ? deepBytes(rng) : pack(hostileValue(rng, 3));
  return pack([protoObject(rng), hostileValue(rng)]);
}

/**
 * Nesting written byte by byte (msgpackr's encoder would recurse): up to 4,000 arrays ([0x91]) or
 * 1,300 single-key maps ({"a": …}), all under the 4 KB frame limit.
 */
function deepBytes(rng) {
  const arrays = rng.chance(0.5);
  const depth = arrays ? rng.range(500, 4000) : rng.range(300, 1300);
  const level = arrays ? Buffer.from([0x91]) : Buffer.from([0x81, 0xa1, 0x61]);
  return Buffer.concat([...Array.from({ length: depth }, () => level), pack("N")]);
}

/**
 * MessagePack extensions msgpackr decodes into objects: timestamps with odd lengths, Error (0x65),
 * RegExp (0x78) with invalid patterns, Set (0x73), typed arrays (0x74) with odd byte counts,
 * structured-clone ids and pointers (0x69, 0x70), bundled strings (0x62) with wrong sizes,
 * record definitions (0x72), BigInt (0x42), and unknown extension types.
 */
function extensionBytes(rng) {
  const ext = (type, data) => from([0xc7, data.length, type], data);
  switch (rng.int(11)) {
    case 0: return ext(0xff, rng.bytes(rng.pick([0, 3, 4, 8, 12, 13])));
    case 1: return from([0xd4, 0x65, 0x00], pack(rng.pick([["Error", "x"], ["TypeError", protoObject(rng)], [[], "x"], null, ["Function", "return 1"], ["AggregateError", "x", 5]])));
    case 2: return from([0xd4, 0x78, 0x00], pack(rng.pick([["(", ""], ["a", "zz"], ["(a+)+$", "g"], [protoObject(rng), "g"], null])));
    case 3: return from([0xd4, 0x73, 0x00], pack(rng.pick([5, null, [1, 2], { toString: 0 }])));
    case 4: return ext(0x74, from([rng.int(20)], rng.bytes(rng.range(0, 17))));
    case 5: return from(ext(0x69, rng.bytes(4)), pack(hostileValue(rng)));
    case 6: return ext(0x70, rng.bytes(4));
    case 7: return from(ext(0x62, rng.bytes(4)), pack("ab"), rng.bytes(rng.range(0, 8)));
    case 8: return from([0xd4, 0x72, rng.int(256)], rng.bytes(rng.range(0, 12)));
    case 9: return ext(0x42, rng.bytes(rng.range(0, 64)));
    default: return ext(rng.int(256), rng.bytes(rng.range(0, 16)));
  }
}

/** A random protocol code (sometimes a known one, sometimes with the modifier bit) and a short body. */
function protocolCodeFrame(rng) {
  const known = [PROTOCOL.JOIN_ROOM, PROTOCOL.ERROR, PROTOCOL.ROOM_STATE, PROTOCOL.ROOM_STATE_PATCH, PROTOCOL.ROOM_DATA_SCHEMA, PROTOCOL.ROOM_INPUT_RELIABLE, PROTOCOL.ROOM_INPUT_UNRELIABLE, PROTOCOL.ROOM_RESPONSE];
  let code = rng.chance(0.5) ? rng.pick(known) : rng.int(256);
  if (code === PROTOCOL.LEAVE_ROOM && rng.chance(0.7)) code = PROTOCOL.PING;
  if (rng.chance(0.15)) code |= 0x80;
  const body = rng.chance(0.5) ? rng.bytes(rng.range(0, 64)) : from(encodeType(anyType(rng)), packedPayload(rng));
  return from([code & 0xff], body);
}

/** ROOM_REQUEST with a hostile request id (string, nil, NaN, huge, negative) and payload. */
function requestFrame(rng) {
  const ids = [pack(rng.int(1000)), pack(-1), pack(2 ** 53), pack(NaN), pack("id"), Buffer.from([0xc0]), pack(1e308), Buffer.alloc(0)];
  const id = rng.chance(0.6) ? pack(rng.int(1 << 20)) : rng.pick(ids);
  return from([PROTOCOL.ROOM_REQUEST], id, encodeType(anyType(rng)), rng.chance(0.85) ? packedPayload(rng) : Buffer.alloc(0));
}

/** A plausible frame cut short, or a type whose length header promises more than follows. */
function truncatedFrame(rng) {
  const whole = dataFrame(rng.chance(0.6) ? "move" : anyType(rng), packedPayload(rng));
  if (rng.chance(0.3)) return from([PROTOCOL.ROOM_DATA, 0xdb, 0xff, 0xff, 0xff, 0x7f], rng.bytes(rng.range(0, 8)));
  return whole.subarray(0, rng.range(1, Math.max(1, whole.length - 1)));
}

/** The next raw item of the stream (see the header for its shape). */
export function nextRawItem(rng) {
  const category = rng.weighted(RAW_CATEGORIES);
  let bytes;
  switch (category) {
    case "raw-data": bytes = dataFrame(rng.chance(0.25) ? "*" : anyType(rng), rng.chance(0.15) ? undefined : packedPayload(rng)); break;
    case "msgpack-ext": bytes = dataFrame(rng.pick(["move", "*", anyType(rng)]), rng.chance(0.5) ? extensionBytes(rng) : from([0x81, 0xa3], Buffer.from("dir"), extensionBytes(rng))); break;
    case "truncated": bytes = truncatedFrame(rng); break;
    case "garbage": bytes = from([rng.chance(0.5) ? PROTOCOL.ROOM_DATA : rng.int(256)], rng.bytes(rng.range(0, 200))); break;
    case "protocol-code": bytes = protocolCodeFrame(rng); break;
    case "raw-request": bytes = requestFrame(rng); break;
    case "data-bytes": bytes = from([PROTOCOL.ROOM_DATA_BYTES], encodeType(anyType(rng)), rng.bytes(rng.range(0, 64))); break;
    case "ping": bytes = Buffer.from([PROTOCOL.PING]); break;
    case "long-type": bytes = dataFrame(rng.string(rng.chance(0.8) ? rng.range(241, 4000) : rng.range(4100, 9000), TYPE_ALPHABET), pack({ dir: "N" })); break;
    case "oversize": bytes = from(dataFrame("move"), pack({ dir: "N", pad: "x".repeat(rng.range(4100, 70_000)) })); break;
    default: bytes = rng.chance(0.5) ? Buffer.alloc(0) : hostileString(rng, rng.range(0, 64)); break;
  }
  return { category, bytes };
}
