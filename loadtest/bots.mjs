#!/usr/bin/env node
// Bots: real @colyseus/sdk 0.18 clients that join a world, random-walk, and push each other and the
// NPCs. Loopback only, bounded in clients and seconds; it stops by itself and prints a report.
//
//   npm run bots -- --clients 50 --seconds 30 [--endpoint ws://127.0.0.1:2567] [--world docks] [--rate 4]
//
// Latency is measured from sending a move to the first state patch in which the bot's actor stands
// on the new cell. A move the server rejects for the tick (a wall, a refused push) has no visible
// outcome on the bot's own actor; those are counted as "blocked" and give no latency sample.
//
// Exit code: 0 when every bot joined, no error arrived, no bot lost its connection and every leave
// was answered; 1 otherwise.
// A server that dies mid-run shows as unexpected disconnects (SDK auto-reconnection is off: a drop
// ends the bot at once instead of retrying for a minute) and joins that fail, so the run ends early
// with 1; a server that hangs leaves the bots' leaves unanswered, which fails the run too. Whatever
// happens, a hard deadline (--seconds + 20 s) prints the report and exits with 1.
import { Client } from "@colyseus/sdk";
import { parseArgs } from "node:util";
import { signInAnonymously } from "./sign-in.mjs";

const LIMITS = { clients: 2000, seconds: 600 };
/** A join that takes longer fails (ms); a late one is left at once. */
const JOIN_TIMEOUT_MS = 10_000;
/** A leave that takes longer is abandoned (ms). */
const LEAVE_TIMEOUT_MS = 5_000;
/** Past --seconds, the hard deadline: joins and leaves have had their time (ms). */
const DEADLINE_GRACE_MS = JOIN_TIMEOUT_MS + LEAVE_TIMEOUT_MS + 5_000;
const DIRS = ["N", "E", "S", "W"];
const STEP = { N: [0, -1], E: [1, 0], S: [0, 1], W: [-1, 0] };

function readOptions() {
  const { values } = parseArgs({
    options: {
      clients: { type: "string", default: "50" },
      seconds: { type: "string", default: "30" },
      endpoint: { type: "string", default: "ws://127.0.0.1:2567" },
      world: { type: "string" },
      rate: { type: "string", default: "4" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npm run bots -- --clients N --seconds S [--endpoint ws://127.0.0.1:2567] [--world id] [--rate moves-per-second]");
    process.exit(0);
  }
  const clients = positiveInt("clients", values.clients, LIMITS.clients);
  const seconds = positiveInt("seconds", values.seconds, LIMITS.seconds);
  const rate = positiveInt("rate", values.rate, 20);
  const host = new URL(values.endpoint).hostname;
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/.test(host)) fail(`--endpoint: ${host} is not a loopback address; bots only target this machine`);
  return { clients, seconds, rate, endpoint: values.endpoint, world: values.world };
}

function positiveInt(name, raw, max) {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) fail(`--${name}: expected an integer from 1 to ${max}, got "${raw}"`);
  return n;
}

function fail(message) {
  console.error(`bots: ${message}`);
  process.exit(2);
}

const stats = { joins: 0, joinFailures: 0, joinErrors: new Map(), movesSent: 0, moved: 0, blocked: 0, pushes: 0, patches: 0, errors: 0, errorCodes: new Map(), disconnects: 0, disconnectCodes: new Map(), leaveTimeouts: 0, latencies: [] };

function count(map, key) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Joins within JOIN_TIMEOUT_MS; resolves the room, or undefined after counting the failure. */
async function join(index, opts) {
  const client = new Client(opts.endpoint);
  client.auth.token = opts.token;
  const joining = client.joinOrCreate("world", { ...(opts.world ? { worldId: opts.world } : {}), name: `bot-${index}` });
  let timer;
  try {
    return await Promise.race([joining, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`join timed out after ${JOIN_TIMEOUT_MS / 1000} s`)), JOIN_TIMEOUT_MS)))]);
  } catch (e) {
    stats.joinFailures++;
    count(stats.joinErrors, String(e?.message ?? e).slice(0, 120) || "join failed (no message: server unreachable?)");
    joining.then((late) => late.leave().catch(() => {}), () => {});
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** One bot: joins, walks with some momentum, measures its own moves. */
async function runBot(index, opts, deadline) {
  const room = await join(index, opts);
  if (!room) return;
  stats.joins++;
  room.reconnection.enabled = false;
  const bot = { actorId: undefined, dir: DIRS[index % 4], pending: undefined, occupied: new Map(), left: false };
  room.onMessage("welcome", (m) => (bot.actorId = m.actorId));
  room.onMessage("error", (m) => {
    stats.errors++;
    count(stats.errorCodes, m?.code ?? "unknown");
  });
  room.onLeave((code) => {
    bot.left = true;
    if (code === 1000 || code === 4000) return;
    stats.disconnects++;
    count(stats.disconnectCodes, String(code));
  });
  room.onStateChange((state) => observe(bot, state));
  const interval = 1000 / opts.rate;
  while (Date.now() < deadline && !bot.left) {
    await sleep(interval * (0.75 + Math.random() * 0.5));
    if (bot.actorId && !bot.pending) sendMove(bot, room);
  }
  if (bot.left) return;
  const answered = await Promise.race([room.leave().then(() => true, () => true), sleep(LEAVE_TIMEOUT_MS).then(() => false)]);
  if (!answered) stats.leaveTimeouts++;
}

function sendMove(bot, room) {
  const me = room.state.actors.get(bot.actorId);
  if (!me) return;
  if (Math.random() < 0.3) bot.dir = DIRS[Math.floor(Math.random() * 4)];
  bot.pending = { sentAt: performance.now(), from: [me.x, me.y], tick: room.state.tick };
  room.send("move", { dir: bot.dir });
  stats.movesSent++;
}

function observe(bot, state) {
  stats.patches++;
  const me = bot.actorId && state.actors.get(bot.actorId);
  const pending = bot.pending;
  if (me && pending) {
    if (me.x !== pending.from[0] || me.y !== pending.from[1]) {
      stats.moved++;
      stats.latencies.push(performance.now() - pending.sentAt);
      const [dx, dy] = STEP[bot.dir];
      if (me.x === pending.from[0] + dx && me.y === pending.from[1] + dy && bot.occupied.has(`${me.x},${me.y}`)) stats.pushes++;
      bot.pending = undefined;
    } else if (state.tick >= pending.tick + 3) {
      stats.blocked++;
      bot.pending = undefined;
      bot.dir = DIRS[Math.floor(Math.random() * 4)];
    }
  }
  bot.occupied.clear();
  state.actors.forEach((a, id) => {
    if (id !== bot.actorId) bot.occupied.set(`${a.x},${a.y}`, id);
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function report(opts, elapsed) {
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  const ms = (v) => (Number.isNaN(v) ? "n/a" : `${v.toFixed(1)} ms`);
  const rows = [
    ["clients", `${opts.clients} requested, ${stats.joins} joined, ${stats.joinFailures} failed`],
    ["duration", `${elapsed.toFixed(1)} s`],
    ["moves sent", `${stats.movesSent} (${(stats.movesSent / elapsed).toFixed(0)}/s)`],
    ["moves seen", `${stats.moved} moved (${stats.pushes} of them pushing someone), ${stats.blocked} blocked`],
    ["patches received", `${stats.patches} (${(stats.patches / elapsed).toFixed(0)}/s over all bots)`],
    ["errors", `${stats.errors}${stats.errorCodes.size ? " " + JSON.stringify(Object.fromEntries(stats.errorCodes)) : ""}`],
    ["unexpected disconnects", `${stats.disconnects}${stats.disconnectCodes.size ? ` (close codes ${JSON.stringify(Object.fromEntries(stats.disconnectCodes))})` : ""}`],
    ["move → patch latency", `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))} (${sorted.length} samples)`],
  ];
  console.log(`\nArbiter bots against ${opts.endpoint}${opts.world ? ` (world ${opts.world})` : ""}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(24)} ${v}`);
  for (const [message, n] of stats.joinErrors) console.log(`  join error ×${n}: ${message}`);
}

/** Why the run failed (empty when it passed). */
function failures(opts) {
  const out = [];
  if (stats.joins === 0) out.push(`no bot could join ${opts.endpoint} (is the server up?)`);
  else if (stats.joinFailures > 0) out.push(`${stats.joinFailures} of ${opts.clients} bots could not join`);
  if (stats.errors > 0) out.push(`${stats.errors} error messages`);
  if (stats.joins > 0 && stats.disconnects === stats.joins) out.push(`every joined bot lost its connection (${stats.disconnects}): the server went away?`);
  else if (stats.disconnects > 0) out.push(`${stats.disconnects} unexpected disconnects`);
  if (stats.leaveTimeouts > 0) out.push(`${stats.leaveTimeouts} leaves got no answer within ${LEAVE_TIMEOUT_MS / 1000} s (the server hung?)`);
  return out;
}

function finish(opts, started, extra = []) {
  report(opts, (performance.now() - started) / 1000);
  const why = [...extra, ...failures(opts)];
  console.log(why.length === 0 ? "\nbots: PASS" : `\nbots: FAIL: ${why.join("; ")}`);
  process.exit(why.length === 0 ? 0 : 1);
}

const opts = readOptions();
// One anonymous player owns every bot's session (sign-in.mjs): joins need a token (issue 12).
try {
  opts.token = await signInAnonymously(opts.endpoint);
} catch (e) {
  console.log(`bots: FAIL: no bot could join ${opts.endpoint}: signing in failed: ${e?.cause?.code ?? e?.message ?? e} (is the server up?)`);
  process.exit(1);
}
const started = performance.now();
const deadline = Date.now() + opts.seconds * 1000;
setTimeout(() => finish(opts, started, [`hard deadline: still running ${(opts.seconds * 1000 + DEADLINE_GRACE_MS) / 1000} s after the start`]), opts.seconds * 1000 + DEADLINE_GRACE_MS);
const bots = [];
for (let i = 0; i < opts.clients && Date.now() < deadline; i++) {
  bots.push(runBot(i + 1, opts, deadline));
  await sleep(10);
}
await Promise.all(bots);
finish(opts, started);
