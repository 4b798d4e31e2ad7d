// Hostile clients. Each slot holds one connection at a time: an @colyseus/sdk Room ("sdk" slots,
// items sent with room.send / room.request) or a raw WebSocket spoken with wire.mjs ("raw" slots).
// A slot sends one item every 1000 / rate ms, taking it from its channel's stream (streams.mjs);
// with rate ≤ 35 a slot stays under the server's 40 messages per second, so only "flood" items trip
// the limit. The server drops hostile clients often (4002 on bad MessagePack or a flood, 1009 on a
// frame over 4 KB, 4000 on LEAVE_ROOM): the slot then joins again (a new session) after 20 ms.
// Every join, close code, `error` reply and request outcome goes into the shared tally.
import { Client } from "@colyseus/sdk";
import WebSocket from "ws";
import { bump, noteSent } from "./tally.mjs";
import { joinRaw, readServerFrame } from "./wire.mjs";

const JOIN_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 3_000;
const REJOIN_DELAY_MS = 20;
const RETRY_DELAY_MS = 250;
const SCHEDULER_MS = 5;

/** Joins with the SDK; resolves the Room or throws. A join that outlives the timeout is still counted. */
async function joinSdk({ endpoint, options, tally }) {
  const joining = new Client(endpoint).joinOrCreate("world", options);
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("join timed out")), JOIN_TIMEOUT_MS)));
  try {
    return await Promise.race([joining, timeout]);
  } catch (e) {
    joining.then((late) => {
      tally.joins.ok++;
      late.leave().catch(() => {});
    }, () => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** Wires an SDK room to the tally; returns the slot's connection { send(item), close(), isOpen() }. */
function sdkConnection(room, { tally, onClosed }) {
  room.reconnection.enabled = false;
  room.onMessage("error", (m) => bump(tally.errors, String(m?.code ?? "unknown")));
  room.onMessage("*", () => {});
  room.onLeave((code) => onClosed(code));
  const outcome = (e) => (/timed out/.test(e?.message) ? "timeout" : /closed|not open/.test(e?.message) ? "closed" : `${e?.name ?? "error"}${e?.name === "Error" ? `: ${String(e?.message).slice(0, 40)}` : ""}`);
  return {
    isOpen: () => room.connection?.isOpen === true,
    send(item) {
      if (item.request) {
        room.request(item.type, item.payload, { timeout: REQUEST_TIMEOUT_MS }).then(() => bump(tally.responses, "ok"), (e) => bump(tally.responses, outcome(e)));
        return;
      }
      for (let i = 0; i < item.frames; i++) room.send(item.type, item.payload);
    },
    close: () => room.leave().catch(() => {}),
  };
}

/** Wires a raw socket to the tally; returns the slot's connection. */
function rawConnection(ws) {
  return {
    isOpen: () => ws.readyState === WebSocket.OPEN,
    send: (item) => ws.send(item.bytes, { binary: typeof item.bytes !== "string" }),
    close: () => ws.close(1000),
  };
}

function countFrame(tally, frame) {
  try {
    const read = readServerFrame(frame);
    if (read?.kind === "message" && read.type === "error") bump(tally.errors, String(read.payload?.code ?? "unknown"));
    else if (read?.kind === "response") bump(tally.responses, read.status);
  } catch {
    bump(tally.errors, "(unreadable server frame)");
  }
}

/**
 * Joins once for a slot: SDK or raw by its channel. Resolves the connection, or undefined after
 * counting the failure in tally.joins.failed.
 */
async function openConnection({ channel, ctx, options, onClosed }) {
  if (channel === "sdk") {
    try {
      return sdkConnection(await joinSdk({ endpoint: ctx.endpoint, options, tally: ctx.tally }), { tally: ctx.tally, onClosed });
    } catch (e) {
      bump(ctx.tally.joins.failed, String(e?.message ?? e).slice(0, 60));
      return undefined;
    }
  }
  const joined = await joinRaw({ httpBase: ctx.httpBase, endpoint: ctx.endpoint, options, onFrame: (f) => countFrame(ctx.tally, f), onClose: onClosed });
  if (joined.ok) return rawConnection(joined.ws);
  bump(ctx.tally.joins.failed, joined.code);
  return undefined;
}

/**
 * One hostile slot. ctx: { endpoint, httpBase, worldId, tally, startedAt, running() }. Returns
 * { index, channel, conn, nextAt, connect(), shutdown() }; connect() joins (retrying while
 * ctx.running()) and resolves when connected or stopped; after a close the slot joins again.
 */
export function createSlot({ index, channel, ctx }) {
  let joins = 0;
  const slot = { index, channel, conn: undefined, nextAt: 0, leaving: false, downSince: performance.now() };
  const onClosed = (code) => {
    slot.conn = undefined;
    slot.downSince = performance.now();
    if (slot.leaving) return;
    bump(ctx.tally.closes, String(code));
    if (ctx.running()) setTimeout(() => slot.connect(), REJOIN_DELAY_MS);
  };
  slot.connect = async () => {
    while (ctx.running() && !slot.conn && !slot.leaving) {
      const options = { worldId: ctx.worldId, name: `${channel}${index}-${++joins}` };
      const conn = await openConnection({ channel, ctx, options, onClosed });
      if (conn) ctx.tally.joins.ok++;
      if (conn && !slot.leaving) {
        ctx.tally.downMs[channel] += performance.now() - slot.downSince;
        slot.conn = conn;
        slot.nextAt = performance.now();
        return;
      }
      if (conn) conn.close();
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  };
  slot.shutdown = async () => {
    slot.leaving = true;
    const conn = slot.conn;
    slot.conn = undefined;
    if (conn) await Promise.race([conn.close(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  };
  return slot;
}

/** Sends the slot's next item if it is due; returns false once its stream is exhausted. */
function serve(slot, { streams, ctx, intervalMs, now }) {
  if (!slot.conn || now < slot.nextAt || !slot.conn.isOpen()) return true;
  const item = streams[slot.channel].take();
  if (!item) return false;
  try {
    slot.conn.send(item);
  } catch (e) {
    bump(ctx.tally.sendThrew, `${item.category}: ${String(e?.message ?? e).slice(0, 60)}`);
  }
  noteSent(ctx.tally, { slot: slot.index, channel: slot.channel, item, startedAt: ctx.startedAt });
  // From now, not from the last due time: a late scheduler turn must never make a burst.
  slot.nextAt = now + intervalMs;
  return true;
}

/**
 * Runs the slots until both streams are exhausted or `until()` says stop. Resolves
 * { finished: boolean } (true when every item was sent). rate: items per second per slot.
 */
export function runSlots({ slots, streams, ctx, rate, until }) {
  const intervalMs = 1000 / rate;
  for (const slot of slots) void slot.connect();
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const exhausted = streams.sdk.produced >= streams.sdk.quota && streams.raw.produced >= streams.raw.quota;
      if (exhausted || until()) {
        clearInterval(timer);
        return resolve({ finished: exhausted });
      }
      const now = performance.now();
      for (const slot of slots) serve(slot, { streams, ctx, intervalMs, now });
    }, SCHEDULER_MS);
  });
}
