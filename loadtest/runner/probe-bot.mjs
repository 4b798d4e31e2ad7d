// Probe bots: full @colyseus/sdk 0.18 clients that decode every patch, as a game client does, and
// measure move → patch latency. They are few (--probes, default 50): decoding is what makes a
// client expensive to simulate, and the thin bots (thin-bot.mjs) carry the load.
//
// A probe joins with joinOrCreate("world", { worldId, name }), then walks like a thin bot
// (bot-tally.mjs), with one move pending at a time. Latency runs from sending a move to the first
// patch showing the probe's actor one cell further in that direction. A move with no such outcome
// within 3 ticks (a wall, a refused push) is "blocked"; one where the actor landed elsewhere (pushed
// by another) is "displaced"; neither gives a latency sample. The probe reads only `tick` and the
// `actors` map's `x` and `y` (the synced fields both servers keep), and `downed` when present.
import { Client } from "@colyseus/sdk";
import { DIRS, nextDirection, scheduleNextMove } from "./bot-tally.mjs";

const STEP = { N: [0, -1], E: [1, 0], S: [0, 1], W: [-1, 0] };
const LEAVE_TIMEOUT_MS = 5000;

/** The probe driver of one worker: { join(bot), move(bot, now), leave(bot) }. */
export function createProbeDriver({ endpoint, token, rate, joinTimeoutMs, tally }) {
  async function join(bot) {
    bot.state = "joining";
    const started = performance.now();
    const client = new Client(endpoint);
    // The run's player token (sign-in.mjs), or none for a server without accounts.
    client.auth.token = token;
    const joining = client.joinOrCreate("world", { ...(bot.worldId ? { worldId: bot.worldId } : {}), name: bot.name });
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, joinTimeoutMs, "timeout")));
    let outcome;
    try {
      outcome = await Promise.race([joining, timeout]);
    } catch (e) {
      outcome = e;
    }
    clearTimeout(timer);
    if (outcome === "timeout" || !outcome?.connection) {
      tally.joinFailed(bot, outcome === "timeout" ? `join timed out after ${joinTimeoutMs / 1000} s` : outcome?.message ?? outcome);
      joining.then((room) => room.leave(), () => {});
      return;
    }
    attach(bot, outcome);
    tally.joined(bot, performance.now() - started);
    bot.nextMoveAt = Date.now() + Math.random() * (1000 / rate);
  }

  /** Wires a joined room's handlers: welcome, errors, leave, inbound counting, patches. */
  function attach(bot, room) {
    bot.room = room;
    // A dropped probe must show as a disconnect, as a thin bot's does, not retry in the background.
    room.reconnection.enabled = false;
    room.onMessage("welcome", (m) => (bot.actorId = m.actorId));
    room.onMessage("error", (m) => tally.error(m?.code ?? "unknown"));
    room.onError((code, message) => tally.error(`room-error ${code}${message ? `: ${String(message).slice(0, 80)}` : ""}`));
    room.onLeave((code) => tally.closed(bot, code));
    const events = room.connection.events;
    const deliver = events.onmessage;
    events.onmessage = (event) => {
      tally.received(event.data?.byteLength ?? 0);
      deliver(event);
    };
    room.onStateChange((state) => observe(bot, state));
  }

  /**
   * The probe's actor id. `welcome` names it (Arbiter sends it after the next tick); until then
   * the bare room's actor is found by the session id, which keys its actors.
   */
  function findMe(bot, state) {
    if (bot.actorId || !state.actors) return bot.actorId;
    if (state.actors.has(bot.room.sessionId)) bot.actorId = bot.room.sessionId;
    return bot.actorId;
  }

  function move(bot, now) {
    const state = bot.room.state;
    const me = findMe(bot, state) && state.actors.get(bot.actorId);
    if (!me || me.downed || bot.pending) return;
    const dir = nextDirection(bot);
    bot.pending = { sentAt: performance.now(), from: [me.x, me.y], tick: state.tick, dir };
    bot.room.send("move", { dir });
    tally.second.movesOut++;
    scheduleNextMove(bot, now, rate);
  }

  function observe(bot, state) {
    tally.second.patches++;
    const pending = bot.pending;
    if (bot.leaving || !pending) return;
    const me = state.actors.get(bot.actorId);
    if (!me) return;
    if (me.x !== pending.from[0] || me.y !== pending.from[1]) {
      const [dx, dy] = STEP[pending.dir];
      if (me.x === pending.from[0] + dx && me.y === pending.from[1] + dy) {
        tally.second.moved++;
        tally.latencies.push(performance.now() - pending.sentAt);
      } else {
        tally.second.displaced++;
      }
      bot.pending = undefined;
    } else if (state.tick >= pending.tick + 3) {
      tally.second.blocked++;
      bot.pending = undefined;
      bot.dir = DIRS[Math.floor(Math.random() * 4)];
    }
  }

  async function leave(bot) {
    if (bot.state !== "joined" || bot.leaving) return;
    bot.leaving = true;
    bot.pending = undefined;
    let timer;
    await Promise.race([bot.room.leave(true).catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, LEAVE_TIMEOUT_MS)))]);
    clearTimeout(timer);
  }

  return { join, move, leave };
}
