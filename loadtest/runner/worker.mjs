// One worker thread of the load-test runner: drives its share of one kind of bot, "thin"
// (thin-bot.mjs: raw room protocol, no decoding) or "probe" (probe-bot.mjs: full @colyseus/sdk
// clients). Kinds never share a worker, so each worker's own CPU time is the cost of its kind.
// Plain .mjs on purpose: tsx's loader hooks do not reach worker threads on Node 20.
//
// Each bot joins at its scheduled time (15 s timeout) and moves every 1/rate s until t0 + holdMs,
// when every bot leaves.
//
// Thin workers coalesce wakeups. Arbiter writes each client's patch as its view is encoded, so
// patches reach a thin worker one by one, and an idle worker woke once per patch: that wakeup, not
// the bytes, was most of a thin bot's cost (measured with 450 thin bots against Arbiter: 0.4 to
// 0.55 ms of CPU per bot-second, about 0.27 with coalescing). So a thin worker sleeps NAP_MS
// (Atomics.wait: no CPU) whenever its last turn of the loop left it time to spare; the patches wait
// in the socket buffers meanwhile and are read together. A busy worker never naps. Probes never
// nap: they measure latency.
//
// CPU time of this thread alone, not of the process: `process.threadCpuUsage()` where Node has it
// (23.9+), else `/proc/thread-self/schedstat` (Linux: ns the thread ran, read synchronously by this
// thread), else the event loop's active time less naps (wall time outside the poll: an upper bound).
// What no worker owns (V8's GC helper threads, the runner's main thread) is not in any figure here.
//
// Protocol with the runner: → { type: "ready", cpuSource }; ← { type: "start", t0 }; → one
// { type: "second", k, kind, cpuMs, elu, connected, … } per second k after t0 (counters of that
// second, its latency samples; elu leaves naps out); → { type: "done", … } after every bot left.
// The runner terminates the worker if it overstays.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { count, createTally, DIRS, freshSecond } from "./bot-tally.mjs";
import { createProbeDriver } from "./probe-bot.mjs";
import { createThinDriver } from "./thin-bot.mjs";

const { kind, vias, plan, rate, holdMs, joinTimeoutMs } = workerData;
const SCHEDULER_MS = 20;
const NAP_MS = 4;

const tally = createTally();
// The SDK logs problems (a connection closed during a join, an unhandled message) with console;
// count them for the report instead of flooding the runner's terminal.
for (const level of ["log", "info", "warn", "error"]) {
  console[level] = (...args) => count(tally.totals.clientLogs, args.map(String).join(" ").slice(0, 120));
}
// One driver per server process: a bot's matchmaking goes to its process `via` (load-run.mjs).
const drivers = vias.map(({ endpoint, token }) => (kind === "probe" ? createProbeDriver : createThinDriver)({ endpoint, token, rate, joinTimeoutMs, tally }));
const bots = plan.map(({ index, worldId, joinAt, via }) => ({ index, name: `lt-${index}`, worldId, joinAt, driver: drivers[via], state: "waiting", dir: DIRS[index % 4], nextMoveAt: 0, leaving: false }));
const naps = kind === "thin" ? startNapping() : { total: 0, take: () => 0 };
const cpu = threadCpuClock();
let elu = performance.eventLoopUtilization();
let cpuAt = cpu.read();

/** This thread's CPU clock in ms: { source, read() }. */
function threadCpuClock() {
  if (typeof process.threadCpuUsage === "function") {
    return { source: "process.threadCpuUsage()", read: () => ((u) => (u.user + u.system) / 1000)(process.threadCpuUsage()) };
  }
  const readSchedstat = () => Number(readFileSync("/proc/thread-self/schedstat", "latin1").split(" ")[0]) / 1e6;
  try {
    if (Number.isFinite(readSchedstat())) return { source: "/proc/thread-self/schedstat", read: readSchedstat };
  } catch {
    // Not Linux, or no schedstat: fall back to the event loop's active time.
  }
  return { source: "event-loop active time", read: () => performance.eventLoopUtilization().active - naps.total };
}

/**
 * Naps between turns of the loop that finish early. Returns { total, take() }: total is every ms
 * napped so far, take() the ms napped since its last call.
 */
function startNapping() {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let sinceTake = 0;
  const naps = {
    total: 0,
    take() {
      const ms = sinceTake;
      sinceTake = 0;
      return ms;
    },
  };
  let lastEnd = performance.now();
  // Every 1 ms: a turn that took longer than a nap since the last one means work is waiting: no nap.
  setInterval(() => {
    const start = performance.now();
    if (start - lastEnd <= NAP_MS) {
      Atomics.wait(flag, 0, 0, NAP_MS);
      const ms = performance.now() - start;
      naps.total += ms;
      sinceTake += ms;
    }
    lastEnd = performance.now();
  }, 1).unref();
  return naps;
}

function flush(k) {
  const now = performance.eventLoopUtilization();
  const { idle, active } = performance.eventLoopUtilization(now, elu);
  // A nap keeps the loop out of its poll, so the loop counts it as active; it is idle time.
  const busy = idle + active > 0 ? Math.max(0, active - naps.take()) / (idle + active) : 0;
  elu = now;
  const cpuNow = cpu.read();
  const cpuMs = cpuNow - cpuAt;
  cpuAt = cpuNow;
  const samples = Float64Array.from(tally.latencies);
  parentPort.postMessage({ type: "second", k, kind, cpuMs, elu: busy, connected: tally.connected, ...tally.second, latencies: samples }, [samples.buffer]);
  tally.second = freshSecond();
  tally.latencies = [];
}

/** Runs the schedule: joins, moves, one flush per second, then every bot leaves. */
async function run(t0) {
  const end = t0 + holdMs;
  const join = async (bot) => {
    await bot.driver.join(bot);
    if (Date.now() >= end) await bot.driver.leave(bot);
  };
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
        if (bot.state === "waiting" && now >= t0 + bot.joinAt) void join(bot);
        else if (bot.state === "joined" && now >= bot.nextMoveAt) bot.driver.move(bot, now);
      }
    }, SCHEDULER_MS);
  });
  await Promise.all(bots.map((bot) => bot.driver.leave(bot)));
  flush(k);
  parentPort.postMessage({ type: "done", ...tally.totals, joinMs: Float64Array.from(tally.totals.joinMs) });
}

parentPort.on("message", (message) => {
  if (message.type === "start") run(message.t0).catch((e) => parentPort.postMessage({ type: "fault", message: String(e?.stack ?? e) }));
});
parentPort.postMessage({ type: "ready", cpuSource: cpu.source });
