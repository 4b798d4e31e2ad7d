/**
 * The world room's instrumentation: Prometheus metrics per tick and per connection, and the room
 * metadata the monitor shows (average tick time in ms, actor count), refreshed once a second.
 */
import type { Client } from "@colyseus/core";
import type { TickResult } from "../src/core/index.ts";
import type { Metrics } from "../src/server/metrics.ts";

export interface RoomMetadata {
  worldId: string;
  name: string;
  /** Exponential moving average of the core step, in ms. */
  tickMs: number;
  actors: number;
  /** The plugin with the most time per tick (moving average), `id (ms)`, or "". */
  topPlugin: string;
  clients: number;
  /** The world's last completed tick, at the last refresh (once a second). */
  tick: number;
}

export class RoomInstruments {
  private readonly labels: { world: string };
  private tickMs = 0;
  /** Moving average of each plugin's time per tick, ms. */
  private readonly pluginMs = new Map<string, number>();
  /** Ticks in a row each plugin has been over its budget. */
  private readonly overBudget = new Map<string, number>();

  constructor(
    private readonly metrics: Metrics,
    worldId: string,
  ) {
    this.labels = { world: worldId };
  }

  /** Records one patch to every client: its duration, ms, and the ticks between patches now. */
  observePatch(ms: number, ticksPerPatch: number): void {
    this.metrics.patchDuration.observe(this.labels, ms / 1000);
    this.metrics.patchInterval.set(this.labels, ticksPerPatch);
  }

  /** Records one tick; returns the average tick time in ms. */
  observeTick(result: TickResult, seconds: number): number {
    const { metrics, labels } = this;
    metrics.tickDuration.observe(labels, seconds);
    metrics.actions.inc(labels, result.counts.actions);
    metrics.conflicts.inc(labels, result.counts.conflicts);
    metrics.pushes.inc(labels, result.counts.pushes);
    metrics.rollbacks.inc(labels, result.counts.rollbacks);
    this.tickMs = this.tickMs === 0 ? seconds * 1000 : this.tickMs * 0.95 + seconds * 50;
    return this.tickMs;
  }

  /**
   * Records one tick's time per plugin (ms, from src/server/plugin-costs.ts) and returns the
   * plugins that stayed over their budget (`budgetMs`, by plugin id) for a whole second of ticks
   * (`tickRate` ticks in a row), once per such second. `topPlugin` (room metadata) is the plugin
   * with the highest moving average.
   */
  observePlugins(costs: ReadonlyMap<string, number>, budgets: ReadonlyMap<string, number>, tickRate: number): string[] {
    const over: string[] = [];
    for (const [plugin, ms] of costs) {
      this.metrics.pluginTick.observe({ ...this.labels, plugin }, ms / 1000);
      const average = (this.pluginMs.get(plugin) ?? ms) * 0.95 + ms * 0.05;
      this.pluginMs.set(plugin, average);
      const streak = ms > (budgets.get(plugin) ?? Infinity) ? (this.overBudget.get(plugin) ?? 0) + 1 : 0;
      this.overBudget.set(plugin, streak >= tickRate ? 0 : streak);
      if (streak >= tickRate) over.push(plugin);
    }
    for (const plugin of this.overBudget.keys()) if (!costs.has(plugin)) this.overBudget.set(plugin, 0);
    return over;
  }

  /** The plugin with the highest average time per tick, as `id (0.12 ms)`, or "" when none ran. */
  topPlugin(): string {
    let top = "";
    let most = -1;
    for (const [plugin, ms] of this.pluginMs) if (ms > most) [top, most] = [plugin, ms];
    return top === "" ? "" : `${top} (${most.toFixed(3)} ms)`;
  }

  /** The moving average of the core step, ms. */
  averageTickMs(): number {
    return this.tickMs;
  }

  /** Records one journal commit: seconds since the oldest entry's tick ended, and the commit's seconds. */
  observeJournal(lagSeconds: number, commitSeconds: number): void {
    this.metrics.journalLag.observe(this.labels, lagSeconds);
    this.metrics.journalCommit.observe(this.labels, commitSeconds);
  }

  setClients(count: number): void {
    this.metrics.clients.set(this.labels, count);
  }

  /** Counts every byte this client's socket sends (patches, messages). */
  countBytesSent(client: Client): void {
    const socket = client.ref as { send?: (data: unknown, ...rest: unknown[]) => unknown } | undefined;
    if (!socket || typeof socket.send !== "function") return;
    const send = socket.send.bind(socket);
    const { metrics, labels } = this;
    socket.send = (data: unknown, ...rest: unknown[]) => {
      metrics.bytesSent.inc(labels, byteLength(data));
      return send(data, ...rest);
    };
  }
}

function byteLength(data: unknown): number {
  if (typeof data === "string") return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}
