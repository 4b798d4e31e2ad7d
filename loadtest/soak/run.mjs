// One soak against one server: deals the bots to worker threads (worker.mjs) and worlds, starts
// them together at t0, samples `/metrics` every second (sampler.mjs), and watches the run.
//
// Bot i (0-based) joins worldIds[i % N] at i / 20 s after t0 and runs in worker i % W (one worker
// per 250 bots: full SDK clients decode every patch). The run ends when its minutes are over, or
// early with an outcome that makes the soak exit 1:
// - "server-died": the server the soak started exited;
// - "join-failed": a bot failed its first join 3 times;
// - "unreachable": no bot was connected for 30 s once the joins were done;
// - "worker-crashed": a worker thread of bots died;
// or "interrupted" on SIGINT/SIGTERM. Then every bot leaves (20 s at most; overstaying workers are
// terminated).
//
// Result: { outcome, outcomeDetail, workers, bounds, series } where series[k] is second k: the bots'
// counts and tables merged over workers, `connected` (bots with a live room), and the sampler's
// figures for that second.
import { Worker } from "node:worker_threads";
import { PROBES_PER_WORKER } from "../runner/options.mjs";
import { JOIN_TIMEOUT_MS, JOINS_PER_SECOND } from "./options.mjs";
import { startSoakSampler } from "./sampler.mjs";

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;
const UNREACHABLE_S = 30;

/** Runs the soak; resolves with its result (never rejects on a bot's or the server's failure). */
export async function runSoak({ endpoint, httpBase, auth, token, worldIds, world, opts, serverExited, interrupted }) {
  const count = Math.ceil(opts.clients / PROBES_PER_WORKER);
  const plans = Array.from({ length: count }, () => []);
  for (let i = 0; i < opts.clients; i++) plans[i % count].push({ index: i + 1, worldId: worldIds[i % worldIds.length], joinAt: Math.round((i * 1000) / JOINS_PER_SECOND) });
  const workerData = { endpoint, token, rate: opts.rate, reconnectEveryMs: opts.reconnectEverySeconds * 1000, world };
  const workers = plans.map((plan) => new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { ...workerData, plan } }));
  const collected = collect(workers);
  await withTimeout(Promise.all(collected.ready), READY_TIMEOUT_MS, "the bots' worker threads did not start");
  const t0 = Date.now() + 250;
  const sampler = startSoakSampler({ httpBase, auth, t0 });
  for (const worker of workers) worker.postMessage({ type: "start", t0 });
  const { outcome, detail } = await watch({ t0, opts, collected, serverExited, interrupted });
  const seconds = Math.floor((Date.now() - t0) / 1000);
  for (const worker of workers) worker.postMessage({ type: "stop" });
  await withTimeout(Promise.all(collected.done), STOP_TIMEOUT_MS, "stop").catch(() => {});
  await Promise.all(workers.map((w) => w.terminate()));
  const samples = await sampler.stop();
  const series = mergeSeries({ seconds, bots: collected.seconds, samples });
  return { outcome, outcomeDetail: detail, workers: count, bounds: sampler.bounds, series };
}

/** Resolves with the run's outcome, checked once a second. */
function watch({ t0, opts, collected, serverExited, interrupted }) {
  let serverGone;
  serverExited?.then((how) => (serverGone = how));
  const endAt = t0 + opts.minutes * 60_000;
  const joinsDoneAt = t0 + opts.rampSeconds * 1000 + JOIN_TIMEOUT_MS;
  let unreachableSince;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      const end = (outcome, detail) => {
        clearInterval(timer);
        resolve({ outcome, detail });
      };
      if (serverGone) return end("server-died", `exit ${serverGone.code ?? serverGone.signal}`);
      if (collected.abandoned > 0) return end("join-failed", `${collected.abandoned} of ${opts.clients} bots failed their first join 3 times (first error: ${collected.firstJoinError ?? "n/a"})`);
      if (collected.crashed) return end("worker-crashed", collected.crashed);
      if (interrupted.signal) return end("interrupted", interrupted.signal);
      if (now >= endAt) return end("completed");
      const connected = collected.seconds.at(-1)?.connected ?? 0;
      unreachableSince = now >= joinsDoneAt && connected === 0 ? unreachableSince ?? now : undefined;
      if (unreachableSince !== undefined && now - unreachableSince >= UNREACHABLE_S * 1000) end("unreachable");
    }, 1000);
  });
}

/** Listens to every worker: seconds merged as they arrive. */
function collect(workers) {
  const collected = { seconds: [], abandoned: 0, firstJoinError: undefined, crashed: undefined, ready: [], done: [] };
  for (const worker of workers) {
    let ready;
    let done;
    collected.ready.push(new Promise((resolve) => (ready = resolve)));
    collected.done.push(new Promise((resolve) => (done = resolve)));
    worker.on("message", (m) => {
      if (m.type === "ready") ready();
      else if (m.type === "done") done();
      else if (m.type === "second") mergeSecond(collected, m);
    });
    worker.on("error", (e) => {
      // A crashed worker's bots are gone: the run cannot go on as planned.
      collected.crashed ??= String(e?.stack ?? e).split("\n").slice(0, 2).join(" ").slice(0, 200);
      ready();
      done();
    });
  }
  return collected;
}

function mergeSecond(collected, m) {
  const s = (collected.seconds[m.k] ??= { t: m.k, connected: 0, counts: {}, tables: {} });
  s.connected += m.connected;
  addInto(s, m);
  collected.abandoned += m.counts.joinsAbandoned ?? 0;
  if (m.counts.joinsAbandoned) collected.firstJoinError ??= Object.keys(m.tables.joinErrors ?? {})[0];
}

/** Adds `from`'s counts and tables into `into`'s. */
function addInto(into, from) {
  for (const [key, n] of Object.entries(from.counts)) into.counts[key] = (into.counts[key] ?? 0) + n;
  for (const [table, entries] of Object.entries(from.tables)) {
    const t = (into.tables[table] ??= {});
    for (const [key, n] of Object.entries(entries)) t[key] = (t[key] ?? 0) + n;
  }
}

/**
 * Seconds 0..seconds-1 with the bots' figures and the sampler's; what the bots reported after the
 * last whole second (their leaves) is folded into it, so totals miss nothing.
 */
function mergeSeries({ seconds, bots, samples }) {
  const series = [];
  for (let k = 0; k < Math.max(1, seconds); k++) {
    const b = bots[k] ?? { connected: 0, counts: {}, tables: {} };
    const { t: _t, ...sample } = samples[k] ?? {};
    series.push({ t: k, ...sample, connected: b.connected, counts: { ...b.counts }, tables: structuredClone(b.tables) });
  }
  for (const extra of bots.slice(series.length)) if (extra) addInto(series[series.length - 1], extra);
  return series;
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]);
}
