// Watches the server's memory through `/metrics` (prom-client's defaults) for the whole run.
//
// Why not just "the minimum of a few readings"? V8 frees old-generation garbage only in a major
// (mark-compact) GC, and on a lightly loaded server those come a minute or more apart: between two,
// heap in use drifts upward by tens of MB of garbage (measured here: 28 MB live, readings up to
// 77 MB). A reading taken right after a major GC is close to the live heap. The server exposes no
// way to force a GC, so the monitor polls every second and marks the readings that follow a new
// major GC (`nodejs_gc_duration_seconds_count{kind="major"}` went up).
//
// Measured on this server (2 cores, 20,000 messages, 10 clients): one major GC at boot, none during
// the traffic, one within seconds after it. The boot one is no baseline: it comes before the first
// joins or during them, before V8 compiled the handlers the fuzz exercises and before the server's
// bounded tables (log limiter, caches) filled, 4–8 MB below a warmed-up server. So the baseline is
// taken after the warm-up: right after a major GC if one comes, else the lowest reading after the
// warm-up, which can only be above the live heap (it makes the check more lenient, never flaky).
import { parsePrometheus } from "../runner/metrics-sampler.mjs";

const MB = 1024 * 1024;
/** Between readings, ms. Each scrape allocates in the server; polling faster keeps its allocation
 * rate up, which holds back V8's memory reducer (the major GC an idle heap gets). */
const POLL_MS = 1000;

/** Reads /metrics once: { heapMB, rssMB, majors } or undefined. */
async function readMemory({ httpBase, auth }) {
  try {
    const response = await fetch(`${httpBase}/metrics`, { headers: { authorization: auth }, signal: AbortSignal.timeout(2000) });
    if (!response.ok) return undefined;
    const text = await response.text();
    const sums = parsePrometheus(text);
    const majors = Number(/^nodejs_gc_duration_seconds_count\{kind="major"\} (\S+)/m.exec(text)?.[1] ?? 0);
    const heap = sums.get("nodejs_heap_size_used_bytes");
    const rss = sums.get("process_resident_memory_bytes");
    return heap === undefined || rss === undefined ? undefined : { heapMB: heap / MB, rssMB: rss / MB, majors };
  } catch {
    return undefined;
  }
}

/**
 * Starts polling. Returns { setPhase(name), postMajor(phase) → readings after a major GC in that
 * phase, all(phase) → every reading of that phase, waitPostMajor(phase, maxMs) → the first
 * post-major reading of the phase (waiting at most maxMs) or undefined, last() → the latest
 * reading, stop() }. A reading is { atS, phase, heapMB, rssMB, majors, afterMajor }.
 */
export function startHeapMonitor({ httpBase, auth, startedAt }) {
  const readings = [];
  let phase = "start";
  let previous;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const reading = await readMemory({ httpBase, auth });
      if (reading) {
        const afterMajor = previous !== undefined && reading.majors > previous.majors;
        readings.push({ ...reading, atS: (performance.now() - startedAt) / 1000, phase, afterMajor });
        previous = reading;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  const postMajor = (name) => readings.filter((r) => r.phase === name && r.afterMajor);
  return {
    setPhase: (name) => (phase = name),
    postMajor,
    all: (name) => readings.filter((r) => r.phase === name),
    last: () => readings[readings.length - 1],
    async waitPostMajor(name, maxMs) {
      const until = performance.now() + maxMs;
      while (postMajor(name).length === 0 && performance.now() < until && !stopped) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      return postMajor(name)[0];
    },
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

const lowest = (readings) => readings.reduce((a, b) => (b.heapMB < a.heapMB ? b : a));

/**
 * The heap baseline, once the traffic is over, from the "traffic" phase (after the warm-up share of
 * the messages): the first reading right after a major GC, else the phase's lowest reading.
 * Returns { heapMB, rssMB, how } or undefined when /metrics never answered then.
 */
export function pickBaseline(monitor) {
  const reading = monitor.postMajor("traffic")[0];
  if (reading) return { ...reading, how: `after a major GC at ${reading.atS.toFixed(1)} s` };
  const all = monitor.all("traffic");
  return all.length === 0 ? undefined : { ...lowest(all), how: `lowest of ${all.length} readings after the warm-up (no major GC then)` };
}

/**
 * The heap at the end: the first reading after a major GC in the "after" phase (the hostile clients
 * leaving, the full world, the settling), waiting at most waitMs. An idle server may go a minute or
 * more without one; then the last reading after a major GC during the traffic stands in (a leak per
 * client or per message shows there too, the clients having churned hundreds of times), else the
 * lowest reading after the traffic. rssMB is always the latest. { heapMB, rssMB, how } | undefined.
 */
export async function pickEnd(monitor, { waitMs, heapWaitS }) {
  const reading = await monitor.waitPostMajor("after", Math.max(0, waitMs));
  const rssMB = monitor.last()?.rssMB;
  if (reading) return { ...reading, rssMB, how: `after a major GC at ${reading.atS.toFixed(1)} s` };
  const late = monitor.postMajor("traffic").at(-1);
  if (late) return { ...late, rssMB, how: `no major GC within ${heapWaitS} s after the traffic; the last one during it, at ${late.atS.toFixed(1)} s` };
  const all = monitor.all("after");
  return all.length === 0 ? undefined : { ...lowest(all), rssMB, how: `lowest of ${all.length} readings (no major GC seen)` };
}
