// Thin bots: most of a load test's clients. A thin bot joins like any client, through the real
// matchmaker (POST /matchmake/joinOrCreate/world: a seat reservation, as the SDK asks for it) and a
// WebSocket to the room (thin-socket.mjs), and speaks Colyseus 0.18's room protocol as the SDK does:
// it answers JOIN_ROOM with [10], and its moves are byte for byte what `room.send("move", { dir })`
// sends. What it must not do is what makes a full client expensive: it never decodes state. Each
// message is counted (one message, its bytes) by its first byte; only ROOM_DATA messages and room
// errors are read, and of ROOM_DATA only `welcome` (the actor id) and `error` (its code, for the
// report) are unpacked. The server cannot tell a thin bot from an SDK client: it runs unchanged.
//
// With several server processes on Redis (issue 14), the seat names the process that hosts the room
// (`publicAddress`, that process's host:port) and the WebSocket goes there, as the SDK's does; the
// seat request went to the bot's own process, whichever hosts the room.
//
// It walks like a probe (bot-tally.mjs: a move every 1/rate s ± 25%, keeping its direction 70% of
// the time) but cannot see its actor, so it moves without waiting for the last move's outcome.
import { decode, encode } from "@colyseus/schema";
import { Packr, unpack } from "msgpackr";
import { PROTOCOL } from "../fuzz/wire.mjs";
import { DIRS, nextDirection, scheduleNextMove } from "./bot-tally.mjs";
import { openSocket } from "./thin-socket.mjs";

/** The protocol code's bits of a message's first byte; the high bits are modifiers (TIMED, UNRELIABLE). */
const PROTOCOL_CODE_MASK = 31;
/** Messages a thin bot reads whole; every other one is only counted. */
const READ = new Set([PROTOCOL.JOIN_ROOM, PROTOCOL.ERROR, PROTOCOL.LEAVE_ROOM, PROTOCOL.ROOM_DATA]);
const LEAVE_TIMEOUT_MS = 5000;
const JOIN_ACK = Buffer.from([PROTOCOL.JOIN_ROOM]);
const LEAVE = Buffer.from([PROTOCOL.LEAVE_ROOM]);

/**
 * The four move payloads, built once: [ROOM_DATA, type "move" (schema's string encoding, as the
 * SDK writes it), { dir } packed by a fresh msgpackr Packr like the SDK Room's (records on)].
 */
const MOVES = Object.fromEntries(DIRS.map((dir) => {
  const header = Buffer.alloc(16);
  header[0] = PROTOCOL.ROOM_DATA;
  const it = { offset: 1 };
  encode.string(header, "move", it);
  return [dir, Buffer.concat([header.subarray(0, it.offset), new Packr().pack({ dir })])];
}));

/**
 * The thin-bot driver of one worker: { join(bot), move(bot, now), leave(bot) }.
 * endpoint: ws://host:port; the matchmaker is at the same host over http. token: the player token
 * the seat requests carry (`Authorization: Bearer`, as the SDK sends it), or undefined for none.
 */
export function createThinDriver({ endpoint, token, rate, joinTimeoutMs, tally }) {
  const httpBase = endpoint.replace(/^ws/, "http");
  const timedOut = `join timed out after ${joinTimeoutMs / 1000} s`;

  async function join(bot) {
    bot.state = "joining";
    const started = performance.now();
    let reserved;
    try {
      reserved = await reserveSeat({ ...(bot.worldId ? { worldId: bot.worldId } : {}), name: bot.name });
    } catch (e) {
      return tally.joinFailed(bot, e?.name === "TimeoutError" ? `${timedOut} (no seat: the matchmaker did not answer)` : `seat request failed: ${e?.message ?? e}`);
    }
    if (reserved.error !== undefined) return tally.joinFailed(bot, reserved.error);
    const seated = performance.now() - started;
    const outcome = await connectSeat(bot, reserved.seat, joinTimeoutMs - seated);
    if (outcome === "joined") tally.joined(bot, performance.now() - started);
    else tally.joinFailed(bot, outcome === "timeout" ? `${timedOut} (seat reserved ${seatDelay(seated)}; ${SOCKET_STAGE[bot.socketStage]})` : outcome);
  }

  /** Where a join's socket stood when the join timed out. */
  const SOCKET_STAGE = {
    connecting: "its TCP connection never completed",
    upgrading: "connected, no answer to the WebSocket upgrade",
    open: "socket open, no JOIN_ROOM",
  };

  /** How long the seat took, in coarse buckets (a failure reason groups the bots by it). */
  function seatDelay(ms) {
    return ms < 1000 ? "within 1 s" : ms < 5000 ? "after 1–5 s" : "after more than 5 s";
  }

  /**
   * Asks the matchmaker for a seat. Resolves { seat } or { error } with the server's message, the
   * text the SDK's MatchMakeError carries, so both kinds of bot report a refusal alike.
   */
  async function reserveSeat(options) {
    const response = await fetch(`${httpBase}/matchmake/joinOrCreate/world`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(options),
      signal: AbortSignal.timeout(joinTimeoutMs),
    });
    const data = await response.json().catch(() => ({}));
    if (response.ok && data.sessionId && data.roomId && data.processId) return { seat: data };
    return { error: String(data.message ?? data.error ?? `http ${response.status}`) };
  }

  /** Where the room's WebSocket goes: the hosting process's `publicAddress` when the seat names one (as the SDK's Client.buildEndpoint), else this driver's endpoint. */
  function roomEndpoint(seat) {
    return seat.publicAddress ? `${new URL(endpoint).protocol}//${seat.publicAddress}` : endpoint;
  }

  /** Opens the room's socket; resolves "joined" at JOIN_ROOM (acknowledged), else why it failed. */
  function connectSeat(bot, seat, timeoutMs) {
    return new Promise((resolve) => {
      let refusal;
      const settle = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        bot.socket.destroy();
        settle("timeout");
      }, Math.max(1, timeoutMs));
      bot.socketStage = "connecting";
      bot.socket = openSocket(`${roomEndpoint(seat)}/${seat.processId}/${seat.roomId}?sessionId=${encodeURIComponent(seat.sessionId)}`, {
        onConnect: () => (bot.socketStage = "upgrading"),
        onOpen: () => (bot.socketStage = "open"),
        wants: (first) => READ.has(first & PROTOCOL_CODE_MASK),
        onFail: (reason) => settle(reason),
        onClose: (code) => {
          if (bot.state === "joining") return settle(refusal ?? `close ${code}`);
          if (bot.state === "failed") return; // closed by the join's timeout: counted as a failed join
          tally.closed(bot, code);
          bot.onLeft?.();
        },
        onMessage: (first, length, payload) => {
          if (bot.state === "failed") return;
          if (bot.state !== "joining") return readMessage(bot, first, length, payload);
          if (first === PROTOCOL.JOIN_ROOM) {
            bot.socket.send(JOIN_ACK);
            bot.state = "acknowledged";
            settle("joined");
          } else if (first === PROTOCOL.ERROR) {
            refusal = readRoomError(payload).message; // what the SDK's MatchMakeError says
          }
        },
      });
    });
  }

  /** Counts a message; reads only ROOM_DATA messages, room errors and LEAVE_ROOM, never state. */
  function readMessage(bot, first, length, payload) {
    tally.received(length);
    const code = first & PROTOCOL_CODE_MASK;
    if (code === PROTOCOL.ROOM_STATE || code === PROTOCOL.ROOM_STATE_PATCH) tally.second.patches++;
    else if (code === PROTOCOL.ROOM_DATA) readData(bot, payload);
    else if (code === PROTOCOL.ERROR) {
      const error = readRoomError(payload);
      tally.error(`room-error ${error.code}: ${error.message.slice(0, 80)}`); // as probe-bot.mjs counts it
    }
    // The server asks the client to leave; the SDK answers with its own LEAVE_ROOM. Not our leave.
    else if (code === PROTOCOL.LEAVE_ROOM) bot.socket.send(LEAVE);
  }

  function readData(bot, payload) {
    try {
      const it = { offset: 1 };
      const type = decode.stringCheck(payload, it) ? decode.string(payload, it) : decode.number(payload, it);
      if (type !== "welcome" && type !== "error") return;
      const message = payload.length > it.offset ? unpack(payload.subarray(it.offset)) : undefined;
      if (type === "welcome") bot.actorId = message?.actorId;
      else tally.error(message?.code ?? "unknown");
    } catch {
      tally.error("(unreadable message)");
    }
  }

  function move(bot, now) {
    if (!bot.socket.isOpen()) return;
    bot.socket.send(MOVES[nextDirection(bot)]);
    tally.second.movesOut++;
    scheduleNextMove(bot, now, rate);
  }

  /** A consented leave, as the SDK's `room.leave(true)`: LEAVE_ROOM, then the server closes (4000). */
  function leave(bot) {
    if (bot.state !== "joined" || bot.leaving) return undefined;
    bot.leaving = true;
    if (!bot.socket.isOpen()) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        bot.socket.destroy();
        resolve();
      }, LEAVE_TIMEOUT_MS);
      bot.onLeft = () => {
        clearTimeout(timer);
        resolve();
      };
      bot.socket.send(LEAVE);
    });
  }

  return { join, move, leave };
}

/** An ERROR message's { code, message } ([11, code, message]). */
function readRoomError(payload) {
  try {
    const it = { offset: 1 };
    const code = decode.number(payload, it);
    return { code, message: decode.string(payload, it) };
  } catch {
    return { code: "?", message: "(unreadable)" };
  }
}
