// One worker thread of the load-test runner: drives its share of @colyseus/sdk 0.18 clients.
// Plain .mjs on purpose: tsx's loader hooks do not reach worker threads on Node 20.
//
// Each client joins at its scheduled time (joinOrCreate "world", worldId, 15 s timeout), then walks
// like a player: a move every 1/rate s (±25% jitter), keeping its direction 70% of the time, so it
// walks into others and the NPCs and pushes them. Latency is measured from sending a move to the
// first patch showing the client's actor one cell further in that direction. A move with no such
// outcome within 3 ticks (a wall, a refused push) is "blocked"; one where the actor landed
// elsewhere (pushed by another) is "displaced"; neither gives a latency sample. A downed actor
// does not send moves.
//
// Protocol with the runner: → { type: "ready" }; ← { type: "start", t0 }; → one { type: "second",
// k, … } per second k after t0 (counters of that second, its latency samples); → { type: "done", … }
// after every client left at t0 + holdMs. The runner terminates the worker if it overstays.
import { parentPort, workerData } from "node:worker_threads";
import { Client } from "@colyseus/sdk";

const { endpoint, plan, rate, holdMs, joinTimeoutMs } = workerData;
const DIRS = ["N", "E", "S", "W"];
const STEP = { N: [0, -1], E: [1, 0], S: [0, 1], W: [-1, 0] };
const LEAVE_TIMEOUT_MS = 5000;
const SCHEDULER_MS = 20;

const totals = { joinErrors: {}, errorCodes: {}, disconnectCodes: {}, clientLogs: {}, joinMs: [] };
// The SDK logs problems (a connection closed during a join, an unhandled message) with console;
// count them for the report instead of flooding the runner's terminal.
for (const level of ["log", "info", "warn", "error"]) {
  console[level] = (...args) => count(totals.clientLogs, args.map(String).join(" ").slice(0, 120));
}
let second = freshSecond();
let latencies = [];
let connected = 0;
let elu = performance.eventLoopUtilization();
const bots = plan.map(({ index, worldId, joinAt }) => ({ index, name: `lt-${index}`, worldId, joinAt, state: "waiting", room: undefined, actorId: undefined, dir: DIRS[index % 4], pending: undefined, nextMoveAt: 0, leaving: false }));

function freshSecond() {
  return { joins: 0, joinFailures: 0, movesOut: 0, msgsIn: 0, bytesIn: 0, patches: 0, moved: 0, blocked: 0, displaced: 0, errors: 0, disconnects: 0 };
}

function count(map, key) {
  map[key] = (map[key] ?? 0) + 1;
}

async function join(bot, t0) {
  bot.state = "joining";
  const client = new Client(endpoint);
  const started = performance.now();
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
    second.joinFailures++;
    count(totals.joinErrors, outcome === "timeout" ? `join timed out after ${joinTimeoutMs / 1000} s` : String(outcome?.message ?? outcome).slice(0, 160));
    bot.state = "failed";
    joining.then((room) => room.leave(), () => {});
    return;
  }
  second.joins++;
  totals.joinMs.push(performance.now() - started);
  attach(bot, outcome);
  if (Date.now() >= t0 + holdMs) void leave(bot);
}

/** Wires a joined room's handlers: welcome, errors, leave, inbound counting, patches. */
function attach(bot, room) {
  bot.room = room;
  bot.state = "joined";
  bot.nextMoveAt = Date.now() + Math.random() * (1000 / rate);
  connected++;
  room.onMessage("welcome", (m) => (bot.actorId = m.actorId));
  room.onMessage("error", (m) => {
    second.errors++;
    count(totals.errorCodes, m?.code ?? "unknown");
  });
  room.onError((code, message) => {
    second.errors++;
    count(totals.errorCodes, `room-error ${code}${message ? `: ${String(message).slice(0, 80)}` : ""}`);
  });
  room.onLeave((code) => {
    if (bot.state === "joined") connected--;
    bot.state = "left";
    if (bot.leaving) return;
    second.disconnects++;
    count(totals.disconnectCodes, String(code));
  });
  const events = room.connection.events;
  const deliver = events.onmessage;
  events.onmessage = (event) => {
    second.msgsIn++;
    second.bytesIn += event.data?.byteLength ?? 0;
    deliver(event);
  };
  room.onStateChange((state) => observe(bot, state));
}

/**
 * The bot's actor id. `welcome` names it, but under load it can arrive before joinOrCreate
 * resolves, when no handler is registered yet; then the actor is found by its unique name (Arbiter)
 * or by the session id (the bare room keys actors by it).
 */
function findMe(bot, state) {
  if (bot.actorId || !state.actors) return bot.actorId;
  if (state.actors.has(bot.room.sessionId)) return (bot.actorId = bot.room.sessionId);
  state.actors.forEach((actor, id) => {
    if (actor.name === bot.name) bot.actorId = id;
  });
  return bot.actorId;
}

function sendMove(bot, now) {
  const me = findMe(bot, bot.room.state) && bot.room.state.actors.get(bot.actorId);
  if (!me || me.downed || bot.pending) return;
  if (Math.random() < 0.3) bot.dir = DIRS[Math.floor(Math.random() * 4)];
  bot.pending = { sentAt: performance.now(), from: [me.x, me.y], tick: bot.room.state.tick };
  bot.room.send("move", { dir: bot.dir });
  second.movesOut++;
  bot.nextMoveAt = now + (1000 / rate) * (0.75 + Math.random() * 0.5);
}

function observe(bot, state) {
  second.patches++;
  if (bot.leaving) return;
  const pending = bot.pending;
  const me = pending && state.actors.get(bot.actorId);
  if (!me) return;
  if (me.x !== pending.from[0] || me.y !== pending.from[1]) {
    const [dx, dy] = STEP[bot.dir];
    if (me.x === pending.from[0] + dx && me.y === pending.from[1] + dy) {
      second.moved++;
      latencies.push(performance.now() - pending.sentAt);
    } else {
      second.displaced++;
    }
    bot.pending = undefined;
  } else if (state.tick >= pending.tick + 3) {
    second.blocked++;
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

function flush(k) {
  const now = performance.eventLoopUtilization();
  const busy = performance.eventLoopUtilization(now, elu).utilization;
  elu = now;
  const samples = Float64Array.from(latencies);
  parentPort.postMessage({ type: "second", k, connected, elu: busy, ...second, latencies: samples }, [samples.buffer]);
  second = freshSecond();
  latencies = [];
}

/** Runs the schedule: joins, moves, one flush per second, then every client leaves. */
async function run(t0) {
  const end = t0 + holdMs;
  let k = 0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      while (now >= t0 + (k + 1) * 1000 && k < Math.ceil(holdMs / 1000)) flush(k++);
      if (now >= end) {
        clearInterval(timer);
        return resolve();
      }
      for (const bot of bots) {
        if (bot.state === "waiting" && now >= t0 + bot.joinAt) void join(bot, t0);
        else if (bot.state === "joined" && now >= bot.nextMoveAt) sendMove(bot, now);
      }
    }, SCHEDULER_MS);
  });
  await Promise.all(bots.map(leave));
  flush(k);
  parentPort.postMessage({ type: "done", ...totals, joinMs: Float64Array.from(totals.joinMs) });
}

parentPort.on("message", (message) => {
  if (message.type === "start") run(message.t0).catch((e) => parentPort.postMessage({ type: "fault", message: String(e?.stack ?? e) }));
});
parentPort.postMessage({ type: "ready" });
