/**
 * Prometheus metrics (prom-client), served at `/metrics` behind the admin credentials or the
 * `METRICS_TOKEN` bearer token. Besides Node's default metrics (process CPU and memory, event loop
 * lag, GC, heap), per world:
 * - `arbiter_tick_duration_seconds` (histogram): one tick's core step;
 * - `arbiter_actions_total`, `arbiter_conflicts_total`, `arbiter_pushes_total`,
 *   `arbiter_rollbacks_total` (counters; per tick = rate ÷ the world's tick rate);
 * - `arbiter_connected_clients` (gauge);
 * - `arbiter_bytes_sent_total` (counter): WebSocket bytes sent to clients, patches included;
 * - `arbiter_reconnections_total`, `arbiter_reconnect_windows_expired_total` (counters): dropped
 *   clients that came back to their actor within `RECONNECT_WINDOW_S`, and those whose window ran
 *   out (their actor left; rooms/reconnection.ts);
 * - `arbiter_journal_lag_seconds` (histogram): from a tick's end to its journal entry's commit;
 * - `arbiter_journal_commit_seconds` (histogram): one journal transaction;
 * - `arbiter_plugin_tick_seconds` (histogram, per world and plugin): time in one plugin's code in
 *   one tick (its action methods, brains and event handlers);
 * - `arbiter_accept_queue_connections` (gauge, process-wide, Linux): connections the kernel has
 *   completed that the server has not accepted yet, read at each scrape;
 * - `arbiter_major_gcs_total` (counter), `arbiter_heap_used_after_major_gc_bytes` and
 *   `arbiter_rss_after_major_gc_bytes` (gauges): the main thread's V8 mark-sweep-compact
 *   collections, and its heap used and the process's RSS read right after the last one (0 before
 *   the first). The heap used after a major GC is the live set: a growing one is a leak, whereas
 *   the heap used at a random moment also holds the garbage promoted since the last major GC (a
 *   sawtooth of tens of MB, over seconds to minutes).
 */
import { constants as perfConstants, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  readonly registry: Registry;
  readonly tickDuration: Histogram<"world">;
  readonly actions: Counter<"world">;
  readonly conflicts: Counter<"world">;
  readonly pushes: Counter<"world">;
  readonly rollbacks: Counter<"world">;
  readonly clients: Gauge<"world">;
  readonly bytesSent: Counter<"world">;
  readonly slowClients: Counter<"world">;
  /** Dropped clients that reconnected to their actor within the window (rooms/reconnection.ts). */
  readonly reconnections: Counter<"world">;
  /** Reconnection windows that ran out: the actor left as on a normal leave. */
  readonly reconnectWindowsExpired: Counter<"world">;
  /** One patch to every client of a world (rooms/patch-pacer.ts). */
  readonly patchDuration: Histogram<"world">;
  /** Ticks between two patches now: 1 normally, more under load. */
  readonly patchInterval: Gauge<"world">;
  /** Seat reserved over HTTP → its WebSocket joined the room (issue 11 §2: storms). */
  readonly seatWait: Histogram<"world">;
  /** The room's own join work (`onJoin`: spawn, session, view). */
  readonly joinWork: Histogram<"world">;
  readonly journalLag: Histogram<"world">;
  readonly journalCommit: Histogram<"world">;
  readonly pluginTick: Histogram<"world" | "plugin">;
  /** Disconnects the GC observer (the registry keeps its last values); call it when the server stops. */
  stop(): void;
}

const TICK_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1];
const JOIN_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15];
const JOURNAL_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5];

/**
 * The process's metrics. `readAcceptQueue` gives the connections waiting in the accept queue (null
 * when it cannot be read: the gauge then keeps its last value, 0 at first).
 */
export function createMetrics(readAcceptQueue: () => number | null = () => null): Metrics {
  const registry = new Registry();
  new Gauge({
    name: "arbiter_accept_queue_connections",
    help: "Connections the kernel has completed that the server has not accepted yet (Node accepts one per event-loop turn)",
    registers: [registry],
    collect() {
      const waiting = readAcceptQueue();
      if (waiting !== null) this.set(waiting);
    },
  });
  collectDefaultMetrics({ register: registry });
  const stopGcObserver = observeMajorGcs(registry);
  const labelNames = ["world"] as const;
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    tickDuration: new Histogram({ name: "arbiter_tick_duration_seconds", help: "Duration of one world tick (core step)", labelNames, buckets: TICK_BUCKETS, registers: [registry] }),
    actions: counter("arbiter_actions_total", "Actions executed by the pipeline (own actions and push reactions)"),
    conflicts: counter("arbiter_conflicts_total", "Moves into occupied cells"),
    pushes: counter("arbiter_pushes_total", "Push messages delivered by the broker"),
    rollbacks: counter("arbiter_rollbacks_total", "Failed actions whose changes were rolled back"),
    clients: new Gauge({ name: "arbiter_connected_clients", help: "Clients connected to the world", labelNames, registers: [registry] }),
    bytesSent: counter("arbiter_bytes_sent_total", "WebSocket bytes sent to clients"),
    patchDuration: new Histogram({ name: "arbiter_patch_duration_seconds", help: "One patch to every client of a world: settling the views, encode per view and socket writes", labelNames, buckets: TICK_BUCKETS, registers: [registry] }),
    patchInterval: new Gauge({ name: "arbiter_patch_interval_ticks", help: "Ticks between two patches (1 = every tick; more when patches would fill the tick)", labelNames, registers: [registry] }),
    seatWait: new Histogram({ name: "arbiter_join_seat_wait_seconds", help: "From a seat reserved over HTTP to its WebSocket joining the room (seats expire after 15 s)", labelNames, buckets: JOIN_BUCKETS, registers: [registry] }),
    joinWork: new Histogram({ name: "arbiter_join_work_seconds", help: "The room's own work for one join (spawn, session, area of interest)", labelNames, buckets: JOIN_BUCKETS, registers: [registry] }),
    slowClients: counter("arbiter_slow_clients_total", "Clients disconnected because their send queue passed SEND_QUEUE_LIMIT"),
    reconnections: counter("arbiter_reconnections_total", "Dropped clients that reconnected to their actor within RECONNECT_WINDOW_S"),
    reconnectWindowsExpired: counter("arbiter_reconnect_windows_expired_total", "Dropped clients whose RECONNECT_WINDOW_S ran out: their actor left and the session was saved"),
    journalLag: new Histogram({ name: "arbiter_journal_lag_seconds", help: "Time from a tick's end to the commit of its journal entry", labelNames, buckets: JOURNAL_BUCKETS, registers: [registry] }),
    pluginTick: new Histogram({ name: "arbiter_plugin_tick_seconds", help: "Time spent in one plugin's code in one tick", labelNames: ["world", "plugin"], buckets: TICK_BUCKETS, registers: [registry] }),
    journalCommit: new Histogram({ name: "arbiter_journal_commit_seconds", help: "Duration of one journal transaction", labelNames, buckets: JOURNAL_BUCKETS, registers: [registry] }),
    stop: stopGcObserver,
  };
}

/** A `gc` performance entry: its kind is in `detail` (Node ≥ 16). */
type GcEntry = PerformanceEntry & { detail?: { kind?: number } };

/**
 * Counts major GCs into `registry` and sets the after-GC gauges; returns the function that
 * disconnects the observer (prom-client's own GC histogram never disconnects its one). GC entries
 * reach the callback in a later task, possibly several at once: memory is read once per batch that
 * holds a major GC, right after the collection as far as the event loop allows. The counter moves
 * only together with the gauges, so a reader that sees it move knows the gauges are fresh. Never
 * throws: a failed read keeps the last values; a runtime without GC entries leaves everything at 0.
 */
function observeMajorGcs(registry: Registry): () => void {
  const majorGcs = new Counter({ name: "arbiter_major_gcs_total", help: "V8 major (mark-sweep-compact) garbage collections of this process", registers: [registry] });
  const heapUsed = new Gauge({ name: "arbiter_heap_used_after_major_gc_bytes", help: "V8 heap used right after the last major GC: the live set (0 before the first)", registers: [registry] });
  const rss = new Gauge({ name: "arbiter_rss_after_major_gc_bytes", help: "Resident set size right after the last major GC (0 before the first)", registers: [registry] });
  let observer: PerformanceObserver | undefined;
  try {
    observer = new PerformanceObserver((list) => {
      try {
        const majors = list.getEntries().filter((e) => (e as GcEntry).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR).length;
        if (majors === 0) return;
        const memory = process.memoryUsage();
        majorGcs.inc(majors);
        heapUsed.set(memory.heapUsed);
        rss.set(memory.rss);
      } catch {
        // A metric must never take the server down: the gauges keep their last values.
      }
    });
    observer.observe({ type: "gc" });
  } catch {
    observer = undefined;
  }
  return () => observer?.disconnect();
}
