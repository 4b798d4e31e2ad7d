/**
 * Patch pacing (issue 11 §2, join storms): the world ticks at its tick rate whatever the load, but
 * the patch to every client (one encode per view and one socket write per client) is sent on every
 * k-th tick, k chosen from the load.
 *
 * Why: Node accepts one new connection per event-loop turn (measured here: after a pile-up of 500
 * pending connections, one per turn). A server whose ticks, patches and messages fill the event
 * loop leaves it few turns, so a storm's WebSockets wait in the kernel's accept queue (1,000 deep
 * in a 1,500-client storm) until their seat reservations expire. Patching less often under load
 * gives the loop its turns back; changes accumulate in the schema between patches, so a client
 * misses nothing, it gets them later.
 *
 * Rule, re-evaluated once per second of ticks (`tickRate` ticks) from the process's event-loop
 * utilization over that second (ELU: the share of time the loop was busy, 0–1), the connections
 * waiting in the process's accept queue (src/server/accept-queue.mjs) and the patches'
 * moving-average duration:
 * - k is at least the smallest interval whose ticks the patches take at most half of;
 * - while more than {@link STORM_BACKLOG} connections wait to be accepted, k grows by two, up to
 *   {@link STORM_PATCH_INTERVAL}: a join storm is under way and the loop's turns are what it lacks
 *   (measured here: with 2,600 clients joined, a patch blocked the loop for 150–200 ms, and the
 *   queue drained at 30–60 a second);
 * - otherwise, above {@link BUSY} ELU, k grows by one (up to {@link MAX_PATCH_INTERVAL}), and below
 *   {@link CALM} ELU it shrinks by one (down to that floor); once the queue is empty, a k above
 *   {@link MAX_PATCH_INTERVAL} comes back down to it at once.
 * An unloaded server has k = 1: one patch per tick, as without pacing.
 */

import { performance } from "node:perf_hooks";

/** Most ticks between two patches (6 at 20 Hz: a patch every 300 ms). */
export const MAX_PATCH_INTERVAL = 6;
/** Most ticks between two patches while connections wait to be accepted (12 at 20 Hz: 600 ms). */
export const STORM_PATCH_INTERVAL = 12;
/**
 * Connections waiting to be accepted above which a storm is under way. A few may sit in the queue
 * for a turn or two on any server that takes joins; a calm server must not pace for them.
 */
export const STORM_BACKLOG = 8;
/** Event-loop utilization above which patches are spread out. */
export const BUSY = 0.85;
/** Event-loop utilization below which they are brought back together. */
export const CALM = 0.6;
/** Share of the ticks between two patches that patching may take, 0–1. */
const PATCH_SHARE = 0.5;

/** A reader of the process's event-loop utilization (0–1) since its previous call: the pacer's load. */
export function eventLoopLoad(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return utilization;
  };
}

export class PatchPacer {
  private averageMs = 0;
  private interval = 1;
  private sinceLast = 0;
  private ticks = 0;

  constructor(
    /** The tick interval, ms. */
    private readonly tickMs: number,
    /** Ticks per second: how often the load is read. */
    private readonly tickRate: number,
    /** The event loop's utilization since the last call, 0–1 (the room: `performance.eventLoopUtilization`). */
    private readonly readLoad: () => number,
    /** Connections waiting in the process's accept queue now (0 when unknown). */
    private readonly readBacklog: () => number = () => 0,
  ) {}

  /** Ticks between two patches now (1 = every tick). */
  get ticksPerPatch(): number {
    return this.interval;
  }

  /** Call once per tick: true when this tick's patch is due. */
  due(): boolean {
    if (++this.ticks >= this.tickRate) {
      this.ticks = 0;
      this.adjust(this.readLoad(), this.readBacklog());
    }
    this.sinceLast++;
    if (this.sinceLast < this.interval) return false;
    this.sinceLast = 0;
    return true;
  }

  /** Records how long a patch took, ms. */
  observe(patchMs: number): void {
    this.averageMs = this.averageMs === 0 ? patchMs : this.averageMs * 0.8 + patchMs * 0.2;
    this.interval = Math.max(this.interval, this.floor());
  }

  private floor(): number {
    return Math.min(MAX_PATCH_INTERVAL, Math.max(1, Math.ceil(this.averageMs / (PATCH_SHARE * this.tickMs))));
  }

  private adjust(load: number, backlog: number): void {
    if (backlog > STORM_BACKLOG) {
      this.interval = Math.min(STORM_PATCH_INTERVAL, this.interval + 2);
      return;
    }
    if (this.interval > MAX_PATCH_INTERVAL) this.interval = MAX_PATCH_INTERVAL;
    if (load > BUSY) this.interval = Math.min(MAX_PATCH_INTERVAL, this.interval + 1);
    else if (load < CALM) this.interval = Math.max(this.floor(), this.interval - 1);
  }
}
