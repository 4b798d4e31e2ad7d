// One load run against one server: spreads the clients over worker threads, starts them together at
// t0, and merges what they report per second with the server's `/metrics` samples.
//
// `probes` of the clients, spread evenly over the ramp, are probe bots (probe-bot.mjs: full SDK
// clients), the rest thin bots (thin-bot.mjs); each kind is dealt round-robin to the worlds and to
// worker threads of its own, so that each worker's CPU time is the cost of one kind. Clients join at
// evenly spaced times over the ramp. The run lasts `seconds` from t0, ramp included; then every
// client leaves. A hard deadline (t0 + seconds + join timeout + 20 s) terminates any worker still
// running, so the run always ends.
//
// With several server processes (--processes N), client i makes its matchmaking requests (the
// run's sign-in, one per process, and its seat request) to process i mod N; the seat names the
// process that hosts the room (its PUBLIC_ADDRESS), where the client's WebSocket goes. Every
// process's `/metrics` is sampled and summed, and their Redis's command counters read alongside.
//
// Result: { label, endpoint, endpoints, clients, thin, probes, workers, seconds, rampSeconds,
// series[], totals, latency, joinLatency, cpuSource, placement, hosts, redis } where series[k]
// holds second k: client counters summed over workers, CCU (and per kind), the CPU of each kind's
// worker threads, latency percentiles of the probes' moves completed in that second, and the
// servers' CPU, RSS and rates (summed; per process in `processes`), and `redisCommands`: commands
// Redis ran in that second. hosts: per process, the worlds it hosted (most clients seen at once);
// redis: { url, baseline, readings[k] } cumulative counters (redis-stats.mjs), or undefined.
import { Worker } from "node:worker_threads";
import { startSampler } from "./metrics-sampler.mjs";
import { planWorkers } from "./options.mjs";
import { redact } from "./redis-stats.mjs";
import { addSamples, createHistogram, histogramPercentile, mergeCounts, percentile } from "./stats.mjs";
import { signInAnonymously } from "../sign-in.mjs";

const JOIN_TIMEOUT_MS = 15_000;
const READY_TIMEOUT_MS = 30_000;
const GRACE_MS = 20_000;
const COUNTERS = ["joins", "joinFailures", "movesOut", "msgsIn", "bytesIn", "patches", "moved", "blocked", "displaced", "errors", "disconnects"];
const KINDS = ["thin", "probe"];

/**
 * Runs the load; resolves with the run's result (never rejects on a client's failure).
 * endpoints: the ws:// URLs of the server's processes (default [endpoint]); targets: their
 * `/metrics` as [{ httpBase, auth }] (default [{ httpBase, auth }]); redis: openRedisStats()'s
 * reader of their Redis, or undefined; placement: planPlacement()'s result (the generator's CPUs
 * size the default worker count).
 */
export async function runLoad({ label, endpoint, endpoints = [endpoint], httpBase, auth, targets = [{ httpBase, auth }], redis, redisUrl, worldIds, opts, serverExited, placement }) {
  const holdMs = opts.seconds * 1000;
  const counts = planWorkers({ clients: opts.clients, probes: opts.probes, workers: opts.workers, generatorCores: placement.generator.length });
  const plans = dealClients({ clients: opts.clients, probes: opts.probes, workers: counts, worldIds, rampMs: opts.ramp * 1000, processes: endpoints.length });
  // One player token per process for the whole run (sign-in.mjs); none for a server without accounts (bare).
  const vias = await Promise.all(endpoints.map(async (url) => ({ endpoint: url, token: await signInAnonymously(url) })));
  const workers = plans.map(({ kind, plan }) => new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { kind, vias, plan, rate: opts.rate, holdMs, joinTimeoutMs: JOIN_TIMEOUT_MS } }));
  const collected = collect({ workers, holdMs });
  await withTimeout(Promise.all(workers.map((w) => collected.ready(w))), READY_TIMEOUT_MS, "workers did not start");
  const t0 = Date.now() + 250;
  const sampler = startSampler({ t0, targets, redis });
  for (const worker of workers) worker.postMessage({ type: "start", t0 });
  let serverGone;
  serverExited?.then((how) => (serverGone = how));
  const finished = await withTimeout(collected.done, t0 + holdMs + JOIN_TIMEOUT_MS + GRACE_MS - Date.now(), "hard deadline").catch(() => false);
  if (finished === false) collected.faults.push("hard deadline reached: workers terminated");
  await Promise.all(workers.map((w) => w.terminate()));
  const samples = await sampler.stop();
  if (serverGone) collected.faults.push(`the server exited during the run (${serverGone.code ?? serverGone.signal})`);
  const run = summarizeRun({ label, endpoint: endpoints[0], opts, workers: counts, collected, samples, placement });
  return { ...run, endpoints, hosts: hostsOf(samples, endpoints), redis: redis && { url: redact(redisUrl), baseline: samples[0]?.redisBaseline ?? null, readings: samples.map((s) => s.redis ?? null) } };
}

/** Per process: its endpoint and the worlds it hosted, with the most clients seen in each at once. */
function hostsOf(samples, endpoints) {
  if (endpoints.length === 1) return undefined;
  return endpoints.map((url, i) => {
    const worlds = {};
    for (const s of samples) for (const [id, n] of Object.entries(s.processes?.[i]?.worlds ?? {})) worlds[id] = Math.max(worlds[id] ?? 0, n);
    return { endpoint: url, worlds };
  });
}

/**
 * Deals the clients: client i (0-based) joins at i × ramp / clients and makes its matchmaking
 * requests to process `via` = i mod processes; it is a probe when the running count of probes,
 * `probes × (i + 1) / clients`, steps up at i. The n-th bot of a kind joins worldIds[n % N] and
 * goes to that kind's worker n % workers[kind].
 * Returns [{ kind: "thin" | "probe", plan: [{ index, worldId, joinAt, via }] }], workers with bots only.
 */
export function dealClients({ clients, probes, workers, worldIds, rampMs, processes = 1 }) {
  const plans = Object.fromEntries(KINDS.map((kind) => [kind, Array.from({ length: workers[kind] }, () => [])]));
  const dealt = { thin: 0, probe: 0 };
  for (let i = 0; i < clients; i++) {
    const kind = Math.floor(((i + 1) * probes) / clients) > Math.floor((i * probes) / clients) ? "probe" : "thin";
    const n = dealt[kind]++;
    plans[kind][n % plans[kind].length].push({ index: i + 1, worldId: worldIds[n % worldIds.length], joinAt: Math.round((i * rampMs) / clients), via: i % processes });
  }
  return KINDS.flatMap((kind) => plans[kind].filter((plan) => plan.length > 0).map((plan) => ({ kind, plan })));
}

/** Listens to every worker; seconds are merged as they arrive. */
function collect({ workers, holdMs }) {
  const seconds = [];
  const totals = { joinErrors: {}, errorCodes: {}, disconnectCodes: {}, clientLogs: {} };
  const histogram = createHistogram();
  const joinHistogram = createHistogram();
  const faults = [];
  const readiness = new Map();
  const cpuSources = new Set();
  let pending = workers.length;
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const settle = () => --pending === 0 && finish(true);
  for (const worker of workers) {
    let resolveReady;
    readiness.set(worker, new Promise((resolve) => (resolveReady = resolve)));
    worker.on("message", (m) => {
      if (m.type === "ready") {
        cpuSources.add(m.cpuSource);
        resolveReady();
      } else if (m.type === "second") mergeSecond(seconds, m, histogram, holdMs);
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
  return { ready: (w) => readiness.get(w), done, seconds, totals, histogram, joinHistogram, faults, cpuSources };
}

function emptySecond(k) {
  return { t: k, connected: 0, elu: [], latencies: [], ...Object.fromEntries(COUNTERS.map((c) => [c, 0])), thinConnected: 0, probeConnected: 0, thinCpuMs: 0, probeCpuMs: 0 };
}

function mergeSecond(seconds, m, histogram, holdMs) {
  const k = Math.min(m.k, Math.ceil(holdMs / 1000));
  const s = (seconds[k] ??= emptySecond(k));
  for (const c of COUNTERS) s[c] += m[c];
  s.connected += m.connected;
  s[`${m.kind}Connected`] += m.connected;
  s[`${m.kind}CpuMs`] += m.cpuMs;
  s.elu.push(m.elu);
  for (const ms of m.latencies) s.latencies.push(ms);
  addSamples(histogram, m.latencies);
}

function summarizeRun({ label, endpoint, opts, workers, collected, samples, placement }) {
  const { seconds, totals, histogram, joinHistogram, faults } = collected;
  const series = [];
  for (let k = 0; k < seconds.length; k++) {
    const s = seconds[k] ?? emptySecond(k);
    const sorted = Float64Array.from(s.latencies).sort();
    const server = samples[k] ?? {};
    const { latencies, elu, thinCpuMs, probeCpuMs, ...counters } = s;
    series.push({
      ...counters,
      // ms of thread CPU in one second ÷ 10 = % of one core.
      thinCpuPct: workers.thin ? thinCpuMs / 10 : null, probeCpuPct: workers.probe ? probeCpuMs / 10 : null,
      p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99),
      workerBusy: elu.length ? Math.max(...elu) : null,
      serverCpuPct: server.cpuPct ?? null, serverRssMB: server.rssMB ?? null, serverClients: server.serverClients ?? null, acceptQueue: server.acceptQueue ?? null,
      runnerCpuPct: server.runnerCpuPct ?? null, serverRates: server.rates ?? {},
      ...(server.processes ? { processes: server.processes.map(({ cpuPct, serverClients }) => ({ cpuPct, serverClients })) } : {}),
      ...("redis" in server ? { redisCommands: redisCommandsIn(samples, k) } : {}),
    });
  }
  const sum = (key) => series.reduce((a, s) => a + s[key], 0);
  const pct = (h, p) => histogramPercentile(h, p);
  return {
    label, endpoint, clients: opts.clients, thin: opts.clients - opts.probes, probes: opts.probes, workers,
    seconds: opts.seconds, rampSeconds: opts.ramp, rate: opts.rate,
    cpuSource: [...collected.cpuSources].join(", "), placement,
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

/** Commands Redis ran in second k: the difference of two cumulative readings, null when either is missing. */
function redisCommandsIn(samples, k) {
  const before = k === 0 ? samples[0].redisBaseline : samples[k - 1]?.redis;
  const after = samples[k]?.redis;
  return before && after ? after.total - before.total : null;
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), Math.max(0, ms)))),
  ]);
}
