// Reads the server's `/metrics` (Prometheus text) once per second of the run and turns counters into
// per-second rates. Server CPU is "% of one core": the delta of `process_cpu_seconds_total` over the
// wall-clock delta between two reads, × 100 (so 2 busy cores read 200%). RSS comes from
// `process_resident_memory_bytes`. Arbiter's own series (`arbiter_*`) are summed over worlds.
// The runner's own CPU (all its worker threads: the load generator) is sampled alongside, since
// on a small machine the bots compete with the server for the same cores.
//
// A read that fails or takes more than 900 ms leaves a gap (null) for that second; it never stops
// the run.
//
// With several server processes (--processes N) each one's `/metrics` and accept queue are read
// the same way, at the same moment, and summed; with their Redis (redis-stats.mjs) its command
// counters are read alongside.
//
// On Linux, the server's accept queue is read each second as well (src/server/accept-queue.mjs):
// the connections the kernel has completed that the server's process has not accepted yet, where a
// storm's WebSockets wait when the server's event loop turns slowly (issue 11 §2).
import { acceptQueue } from "../../src/server/accept-queue.mjs";

/** Counters turned into per-second rates, and gauges read as they are. */
const COUNTERS = { actions: "arbiter_actions_total", pushes: "arbiter_pushes_total", conflicts: "arbiter_conflicts_total", bytesSent: "arbiter_bytes_sent_total" };

/** Parses Prometheus text into name → sum over all label sets (comments skipped). */
export function parsePrometheus(text) {
  const sums = new Map();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) sums.set(match[1], (sums.get(match[1]) ?? 0) + value);
  }
  return sums;
}

/**
 * Starts sampling; returns { stop(): Promise<samples> } where samples[k] describes second k
 * (k = 0 is the first second after t0): { t, cpuPct, rssMB, serverClients, runnerCpuPct, rates,
 * acceptQueue }, plus with several `targets` (the processes of --processes N) `processes`: the same
 * figures of each, and with `redis` (redis-stats.mjs) `redis`: its cumulative reading at the end of
 * the second, and `redisBaseline` on samples[0], the reading just before t0. Several processes'
 * figures are summed (CPU, RSS, clients, rates, accept queues); a second in which any process's read
 * failed has no sum (null). Without an auth header the servers' figures are null and only the
 * runner's CPU is sampled.
 */
export function startSampler({ httpBase, auth, t0, targets = [{ httpBase, auth }], redis }) {
  const readers = targets.map(processReader);
  const samples = [];
  let redisBaseline;
  let previousRunner = { at: performance.now(), usage: process.cpuUsage() };
  async function readOnce(k) {
    const at = performance.now();
    const runner = { at, usage: process.cpuUsage() };
    const runnerCpuPct = cpuPercent(previousRunner, runner);
    previousRunner = runner;
    const [each, reading] = await Promise.all([Promise.all(readers.map((read) => read())), redis?.read()]);
    const sample = { t: k, ...sumProcesses(each), runnerCpuPct };
    if (targets.length > 1) sample.processes = each;
    if (redis) sample.redis = reading ?? null;
    if (k < 0) redisBaseline = reading ?? undefined;
    else samples[k] = sample;
  }

  const clock = everySecond(t0, readOnce);

  return {
    async stop() {
      clock.stop();
      const all = Array.from({ length: samples.length }, (_, k) => samples[k] ?? { t: k, cpuPct: null, rssMB: null, serverClients: null, runnerCpuPct: null, rates: {}, acceptQueue: null });
      if (redis && all.length > 0) all[0].redisBaseline = redisBaseline ?? null;
      return all;
    },
  };
}

/** A reader of one server's `/metrics` and accept queue; each call gives that second's { cpuPct, rssMB, serverClients, rates, acceptQueue, worlds }. */
function processReader({ httpBase, auth }) {
  const port = Number(new URL(httpBase).port);
  let previous;
  return async () => {
    const sample = { cpuPct: null, rssMB: null, serverClients: null, rates: {}, acceptQueue: acceptQueue(port) };
    if (!auth) return sample;
    const current = await readMetrics(httpBase, auth);
    if (current && previous) {
      const dt = (current.at - previous.at) / 1000;
      const delta = (name) => current.values.get(name) - (previous.values.get(name) ?? 0);
      sample.cpuPct = (100 * delta("process_cpu_seconds_total")) / dt;
      for (const [key, name] of Object.entries(COUNTERS)) {
        if (current.values.has(name)) sample.rates[key] = delta(name) / dt;
      }
    }
    if (current) {
      sample.rssMB = current.values.get("process_resident_memory_bytes") / 2 ** 20;
      sample.serverClients = current.values.get("arbiter_connected_clients") ?? current.values.get("bare_connected_clients") ?? null;
      sample.worlds = current.worlds;
    }
    previous = current ?? previous;
    return sample;
  };
}

/**
 * One process's figures as they are; several processes' summed, null where any is missing. A process
 * that hosts no world has no `arbiter_connected_clients` series: 0 clients once its read succeeded.
 */
function sumProcesses(each) {
  if (each.length === 1) {
    const { worlds, ...one } = each[0];
    return one;
  }
  for (const p of each) if (p.rssMB !== null) p.serverClients ??= 0;
  const sum = (key) => (each.some((p) => p[key] === null || p[key] === undefined) ? null : each.reduce((a, p) => a + p[key], 0));
  const rates = {};
  for (const key of Object.keys(COUNTERS)) {
    if (each.every((p) => p.rates[key] !== undefined)) rates[key] = each.reduce((a, p) => a + p.rates[key], 0);
  }
  return { cpuPct: sum("cpuPct"), rssMB: sum("rssMB"), serverClients: sum("serverClients"), rates, acceptQueue: sum("acceptQueue") };
}

/**
 * Calls `read(k)` for second k = 0, 1, … after `t0` (Date.now() ms), each once the one before has
 * finished, and `read(-1)` at once (the baseline of the first second's deltas); `stop()` ends it.
 */
export function everySecond(t0, read) {
  let timer;
  let stopped = false;
  function schedule(k) {
    if (stopped) return;
    timer = setTimeout(async () => {
      await read(k);
      schedule(k + 1);
    }, Math.max(0, t0 + (k + 1) * 1000 - Date.now()));
  }
  read(-1).then(() => schedule(0));
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * One scrape of `httpBase/metrics` (900 ms at most, within the second it belongs to): `{ at, text }`
 * with `at` the `performance.now()` it started at, or null when it failed. The soak's sampler uses it too.
 */
export async function scrapeMetrics(httpBase, auth) {
  const at = performance.now();
  try {
    const response = await fetch(`${httpBase}/metrics`, { headers: { authorization: auth }, signal: AbortSignal.timeout(900) });
    return response.ok ? { at, text: await readBody(response) } : null;
  } catch {
    return null;
  }
}

async function readMetrics(httpBase, auth) {
  const scraped = await scrapeMetrics(httpBase, auth);
  return scraped && { at: scraped.at, values: parsePrometheus(scraped.text), worlds: worldClients(scraped.text) };
}

/** Clients per world of one process (`arbiter_connected_clients{world="…"}`): { worldId: clients }, worlds with none left out. */
export function worldClients(text) {
  const worlds = {};
  for (const match of text.matchAll(/^arbiter_connected_clients\{[^}]*world="([^"]+)"[^}]*\}\s+(\S+)/gm)) {
    if (Number(match[2]) > 0) worlds[match[1]] = Number(match[2]);
  }
  return worlds;
}

/**
 * The body's text, complete or as far as it arrived. Colyseus 0.18's router (better-call 1.3's node
 * adapter) never ends a response whose body is over 16 KB: the body arrives whole but the chunked
 * stream is not closed. So reading stops after 150 ms without data, and a cut last line is dropped.
 */
export async function readBody(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    let timer;
    const idle = new Promise((resolve) => (timer = setTimeout(resolve, 150, { idle: true })));
    const chunk = await Promise.race([reader.read(), idle]);
    clearTimeout(timer);
    if (chunk.idle || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  reader.cancel().catch(() => {});
  return text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1);
}

/** CPU used between two `{ at, usage }` readings (performance.now() ms, process.cpuUsage() µs), % of one core. */
export function cpuPercent(before, after) {
  const used = after.usage.user - before.usage.user + (after.usage.system - before.usage.system);
  return (100 * used) / 1000 / (after.at - before.at);
}
