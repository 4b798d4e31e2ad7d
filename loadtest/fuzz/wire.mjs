// Colyseus 0.18's wire protocol, spoken by hand (what @colyseus/sdk's Client and Room do), so the
// fuzzer can send frames the SDK never would.
//
// Join: POST /matchmake/joinOrCreate/<room> with the JSON options → a seat reservation
// { name, sessionId, roomId, processId }; then a WebSocket to ws://host/<processId>/<roomId>
// ?sessionId=<sessionId>. The server runs the room's onJoin and sends a JOIN_ROOM frame
// ([10, token length, token, serializer length, serializer, …]); the client acknowledges with the
// single byte [10], after which the server sends the full state (14) and one patch (15) per tick.
// A refused join is an ERROR frame ([11, code, message]) followed by a close.
//
// Client frames: ROOM_DATA [13, type, msgpack payload?], ROOM_REQUEST [21, requestId varint, type,
// payload?], ROOM_DATA_BYTES [17, type, raw bytes], PING [18], LEAVE_ROOM [12]. A type is a
// MessagePack string or number (@colyseus/schema's encoding, which matches msgpack's headers).
// Server frames read here: ROOM_DATA (messages such as `error`), ROOM_RESPONSE [22, requestId,
// status, payload?] and ERROR.
import { decode } from "@colyseus/schema";
import { pack, unpack } from "msgpackr";
import WebSocket from "ws";

export const PROTOCOL = { JOIN_ROOM: 10, ERROR: 11, LEAVE_ROOM: 12, ROOM_DATA: 13, ROOM_STATE: 14, ROOM_STATE_PATCH: 15, ROOM_DATA_SCHEMA: 16, ROOM_DATA_BYTES: 17, PING: 18, ROOM_INPUT_RELIABLE: 19, ROOM_INPUT_UNRELIABLE: 20, ROOM_REQUEST: 21, ROOM_RESPONSE: 22 };
export const RESPONSE_STATUS = ["ok", "rejected", "error"];

/** A message type's bytes: a MessagePack string or number. */
export function encodeType(type) {
  return pack(type);
}

/** [13, type, payload bytes?]; payloadBytes is already-packed MessagePack (or anything hostile). */
export function dataFrame(type, payloadBytes) {
  return Buffer.concat([Buffer.from([PROTOCOL.ROOM_DATA]), encodeType(type), payloadBytes ?? Buffer.alloc(0)]);
}

/** The player token seat requests carry (issue 12: joins need one), set once by the fuzzer. */
let seatToken;

/** Sets the player token every later seat reservation sends (`Authorization: Bearer`). */
export function setSeatToken(token) {
  seatToken = token;
}

/**
 * POSTs a seat reservation. Resolves { ok: true, seat } or { ok: false, status, code } where code
 * is the server's error text (e.g. "command/invalid: …") cut to its namespaced code when it has one.
 * body: a value to send as JSON, or a string sent as is (malformed JSON on purpose).
 */
export async function reserveSeat({ httpBase, room = "world", body, timeoutMs = 10_000 }) {
  const response = await fetch(`${httpBase}/matchmake/joinOrCreate/${room}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...(seatToken ? { authorization: `Bearer ${seatToken}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body ?? {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    data = { error: text };
  }
  if (response.ok && data.sessionId && data.roomId && data.processId) return { ok: true, seat: data };
  return { ok: false, status: response.status, code: errorCode(data.error?.code ?? data.error ?? data.code ?? text) };
}

/** "world/no-free-spawn: every spawn…" → "world/no-free-spawn"; other text → its first 60 characters. */
export function errorCode(raw) {
  const text = String(raw ?? "");
  const match = /^([a-z-]+\/[a-z-]+)/.exec(text);
  return match ? match[1] : text.slice(0, 60);
}

/**
 * Connects to a reserved seat and waits for JOIN_ROOM (then acknowledges it). Resolves
 * { ok: true, ws } or { ok: false, code } (the ERROR frame's message code, or "close <code>" /
 * "timeout"). onFrame(buffer) sees every frame after the join; onClose(code) the close.
 */
export function connectSeat({ endpoint, seat, onFrame, onClose, timeoutMs = 10_000 }) {
  const url = `${endpoint}/${seat.processId}/${seat.roomId}?sessionId=${encodeURIComponent(seat.sessionId)}`;
  const ws = new WebSocket(url, { maxPayload: 16 << 20 });
  return new Promise((resolve) => {
    let joined = false;
    let refusal;
    const timer = setTimeout(() => settle({ ok: false, code: "timeout" }), timeoutMs);
    const settle = (outcome) => {
      clearTimeout(timer);
      if (!outcome.ok && ws.readyState <= WebSocket.OPEN) ws.terminate();
      resolve(outcome);
    };
    ws.on("message", (data) => {
      const frame = Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (joined) return onFrame?.(frame);
      if (frame[0] === PROTOCOL.JOIN_ROOM) {
        joined = true;
        ws.send(Buffer.from([PROTOCOL.JOIN_ROOM]));
        settle({ ok: true, ws });
      } else if (frame[0] === PROTOCOL.ERROR) {
        refusal = readError(frame);
      }
    });
    ws.on("error", () => {});
    ws.on("close", (code) => {
      if (joined) onClose?.(code);
      else settle({ ok: false, code: refusal ?? `close ${code}` });
    });
  });
}

/** An ERROR frame's namespaced code (or its message's start). */
function readError(frame) {
  const it = { offset: 1 };
  decode.number(frame, it);
  return errorCode(decode.string(frame, it));
}

/**
 * Reads a server frame the fuzzer counts: { kind: "message", type, payload } for ROOM_DATA,
 * { kind: "response", status } for ROOM_RESPONSE, or undefined for state, patches and pings.
 */
export function readServerFrame(frame) {
  const it = { offset: 1 };
  if (frame[0] === PROTOCOL.ROOM_DATA) {
    const type = decode.stringCheck(frame, it) ? decode.string(frame, it) : decode.number(frame, it);
    return { kind: "message", type, payload: frame.length > it.offset ? unpack(frame.subarray(it.offset)) : undefined };
  }
  if (frame[0] === PROTOCOL.ROOM_RESPONSE) {
    decode.number(frame, it);
    return { kind: "response", status: RESPONSE_STATUS[frame[it.offset]] ?? `status ${frame[it.offset]}` };
  }
  return undefined;
}

/** Reserves a seat and connects: the whole raw join. Resolves like connectSeat, or with the HTTP refusal. */
export async function joinRaw({ httpBase, endpoint, options, onFrame, onClose }) {
  let reserved;
  try {
    reserved = await reserveSeat({ httpBase, body: options });
  } catch (e) {
    return { ok: false, code: `http ${e?.name ?? "error"}` };
  }
  if (!reserved.ok) return { ok: false, code: reserved.code, stage: "matchmake" };
  return connectSeat({ endpoint, seat: reserved.seat, onFrame, onClose });
}
