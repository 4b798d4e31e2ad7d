// One load run against one server: spreads the clients over worker threads, starts them together at
// t0, and merges what they report per second with the server's `/metrics` samples.
//
// Clients are dealt round-robin to workers and to worlds (client i joins worldIds[i % N]), and join
// at evenly spaced times over the ramp. The run lasts `seconds` from t0, ramp included; then every
// client leaves. A hard deadline (t0 + seconds + join timeout + 20 s) terminates any worker still
// running, so the run always ends.
//
// Result: { label, endpoint, clients, workers, seconds, rampSeconds, series[], totals, latency }
// where series[k] holds second k: client counters summed over workers, CCU, latency percentiles of
// the moves completed in that second, and the server's CPU, RSS and rates.
import { Worker } from "node:worker_threads";
import { startSampler } from "./metrics-sampler.mjs";
import { addSamples, createHistogram, histogramPercentile, mergeCounts, percentile } from "./stats.mjs";

const JOIN_TIMEOUT_MS = 15_000;
const READY_TIMEOUT_MS = 30_000;
const GRACE_MS = 20_000;
const COUNTERS = ["joins", "joinFailures", "movesOut", "msgsIn", "bytesIn", "patches", "moved", "blocked", "displaced", "errors", "disconnects"];

/** Runs the load; resolves with the run's result (never rejects on a client's failure). */
export async function runLoad({ label, endpoint, httpBase, auth, worldIds, opts, serverExited }) {
  const holdMs = opts.seconds * 1000;
  const plans = dealClients({ clients: opts.clients, workers: Math.min(opts.workers, opts.clients), worldIds, rampMs: opts.ramp * 1000 });
  const workers = plans.map((plan) => new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { endpoint, plan, rate: opts.rate, holdMs, joinTimeoutMs: JOIN_TIMEOUT_MS } }));
  const collected = collect({ workers, holdMs });
  await withTimeout(Promise.all(workers.map((w) => collected.ready(w))), READY_TIMEOUT_MS, "workers did not start");
  const t0 = Date.now() + 250;
  const sampler = startSampler({ httpBase, auth, t0 });
  for (const worker of workers) worker.postMessage({ type: "start", t0 });
  let serverGone;
  serverExited?.then((how) => (serverGone = how));
  const finished = await withTimeout(collected.done, t0 + holdMs + JOIN_TIMEOUT_MS + GRACE_MS - Date.now(), "hard deadline").catch(() => false);
  if (finished === false) collected.faults.push("hard deadline reached: workers terminated");
  await Promise.all(workers.map((w) => w.terminate()));
  const samples = await sampler.stop();
  if (serverGone) collected.faults.push(`the server exited during the run (${serverGone.code ?? serverGone.signal})`);
  return summarizeRun({ label, endpoint, opts, workers: workers.length, collected, samples });
}

/** Deals clients round-robin to workers; client i joins worldIds[i % N] at i × ramp / clients. */
export function dealClients({ clients, workers, worldIds, rampMs }) {
  const plans = Array.from({ length: workers }, () => []);
  for (let i = 0; i < clients; i++) {
    plans[i % workers].push({ index: i + 1, worldId: worldIds[i % worldIds.length], joinAt: Math.round((i * rampMs) / clients) });
  }
  return plans;
}

/** Listens to every worker; seconds are merged as they arrive. */
function collect({ workers, holdMs }) {
  const seconds = [];
  const totals = { joinErrors: {}, errorCodes: {}, disconnectCodes: {}, clientLogs: {} };
  const histogram = createHistogram();
  const joinHistogram = createHistogram();
  const faults = [];
  const readiness = new Map();
  let pending = workers.length;
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const settle = () => --pending === 0 && finish(true);
  for (const worker of workers) {
    let resolveReady;
    readiness.set(worker, new Promise((resolve) => (resolveReady = resolve)));
    worker.on("message", (m) => {
      if (m.type === "ready") resolveReady();
      else if (m.type === "second") mergeSecond(seconds, m, histogram, holdMs);
      else if (m.type === "fault") {
        faults.push(`worker: ${m.message}`);
        settle();
      } else if (m.type === "done") {
        for (const key of Object.keys(totals)) mergeCounts(totals[key], m[key]);
        addSamples(joinHistogram, m.joinMs);
        settle();
      }
    });
    worker.on("error", (e) => {
      faults.push(`worker crashed: ${e?.stack ?? e}`);
      resolveReady();
      settle();
    });
  }
  return { ready: (w) => readiness.get(w), done, seconds, totals, histogram, joinHistogram, faults };
}

function mergeSecond(seconds, m, histogram, holdMs) {
  const k = Math.min(m.k, Math.ceil(holdMs / 1000));
  const s = (seconds[k] ??= { t: k, connected: 0, elu: [], latencies: [], ...Object.fromEntries(COUNTERS.map((c) => [c, 0])) });
  for (const c of COUNTERS) s[c] += m[c];
  s.connected += m.connected;
  s.elu.push(m.elu);
  for (const ms of m.latencies) s.latencies.push(ms);
  addSamples(histogram, m.latencies);
}

function summarizeRun({ label, endpoint, opts, workers, collected, samples }) {
  const { seconds, totals, histogram, joinHistogram, faults } = collected;
  const series = [];
  for (let k = 0; k < seconds.length; k++) {
    const s = seconds[k] ?? { t: k, connected: 0, elu: [], latencies: [], ...Object.fromEntries(COUNTERS.map((c) => [c, 0])) };
    const sorted = Float64Array.from(s.latencies).sort();
    const server = samples[k] ?? {};
    const { latencies, elu, ...counters } = s;
    series.push({
      ...counters,
      p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99),
      workerBusy: elu.length ? Math.max(...elu) : null,
      serverCpuPct: server.cpuPct ?? null, serverRssMB: server.rssMB ?? null, serverClients: server.serverClients ?? null,
      runnerCpuPct: server.runnerCpuPct ?? null, serverRates: server.rates ?? {},
    });
  }
  const sum = (key) => series.reduce((a, s) => a + s[key], 0);
  const pct = (h, p) => histogramPercentile(h, p);
  return {
    label, endpoint, clients: opts.clients, workers, seconds: opts.seconds, rampSeconds: opts.ramp, rate: opts.rate,
    totals: {
      joins: sum("joins"), joinFailures: sum("joinFailures"), movesOut: sum("movesOut"), msgsIn: sum("msgsIn"), bytesIn: sum("bytesIn"),
      patches: sum("patches"), moved: sum("moved"), blocked: sum("blocked"), displaced: sum("displaced"), errors: sum("errors"),
      disconnects: sum("disconnects"), ...totals, faults,
    },
    latency: { samples: histogram.total, p50: pct(histogram, 50), p95: pct(histogram, 95), p99: pct(histogram, 99), max: histogram.total ? histogram.max : null },
    joinLatency: { p50: pct(joinHistogram, 50), p99: pct(joinHistogram, 99) },
    series,
  };
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), Math.max(0, ms)))),
  ]);
}
