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
 * (k = 0 is the first second after t0): { t, cpuPct, rssMB, serverClients, runnerCpuPct, rates }.
 * Without an auth header the server's figures are null and only the runner's CPU is sampled.
 */
export function startSampler({ httpBase, auth, t0 }) {
  const port = Number(new URL(httpBase).port);
  const samples = [];
  let previous = auth ? undefined : null;
  let previousRunner = { at: performance.now(), usage: process.cpuUsage() };
  async function readOnce(k) {
    const at = performance.now();
    const runner = { at, usage: process.cpuUsage() };
    const runnerCpuPct = cpuPercent(previousRunner, runner);
    previousRunner = runner;
    const sample = { t: k, cpuPct: null, rssMB: null, serverClients: null, runnerCpuPct, rates: {}, acceptQueue: acceptQueue(port) };
    if (auth) {
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
      }
      previous = current ?? previous;
    }
    if (k >= 0) samples[k] = sample;
  }

  const clock = everySecond(t0, readOnce);

  return {
    async stop() {
      clock.stop();
      return Array.from({ length: samples.length }, (_, k) => samples[k] ?? { t: k, cpuPct: null, rssMB: null, serverClients: null, runnerCpuPct: null, rates: {}, acceptQueue: null });
    },
  };
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

async function readMetrics(httpBase, auth) {
  const at = performance.now();
  try {
    const response = await fetch(`${httpBase}/metrics`, { headers: { authorization: auth }, signal: AbortSignal.timeout(900) });
    if (!response.ok) return null;
    return { at, values: parsePrometheus(await readBody(response)) };
  } catch {
    return null;
  }
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
