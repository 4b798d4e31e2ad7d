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
  clients: number;
}

export class RoomInstruments {
  private readonly labels: { world: string };
  private tickMs = 0;

  constructor(
    private readonly metrics: Metrics,
    worldId: string,
  ) {
    this.labels = { world: worldId };
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
