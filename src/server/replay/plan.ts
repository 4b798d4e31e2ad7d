/**
 * What a replay runs (issue 12 "Replay and explanation"): the stored state it starts from and the
 * journal entries after it, read from the store the server writes (store.ts, world-host.ts).
 *
 * The start (the base) is the nearest state before the first tick asked for: the newest kept
 * snapshot taken at a tick ≤ `from − 1` (a snapshot at tick t holds the state after tick t ran, so
 * tick `from` itself is re-run and checked), or the world file's fresh world at tick 0 when the
 * journal still starts at tick 1 (a world's first opening starts there, world-host.ts `loadWorld`).
 * A base needs the journal from the tick after it; the newest 3 snapshots are kept and the journal
 * is pruned `JOURNAL_RETENTION_TICKS` before the newest, so old ranges may have none.
 *
 * Problems are values naming the parameter (`from`, `to`, `at`), for the CLI's flags and the
 * route's query alike.
 */
import { z } from "zod";
import type { JournalEntry, WorldDef } from "../../core/index.ts";
import type { Store, StoredSnapshot } from "../store.ts";

const NOT_A_TICK = "must be a tick number (a whole number ≥ 1)";

/** A tick as a flag or query parameter gives it: digits only, 1 or more (the CLI and the route). */
export const tickParam = z.string().regex(/^\d+$/, NOT_A_TICK).transform(Number).pipe(z.int().min(1, NOT_A_TICK).max(Number.MAX_SAFE_INTEGER));

export interface ReplayPlan {
  readonly def: WorldDef;
  /** The stored snapshot the replay starts from, or undefined for the world file's fresh world. */
  readonly base: StoredSnapshot | undefined;
  /** The tick of the base state (0 for a fresh world). */
  readonly baseTick: number;
  /** First and last tick asked for, inclusive. */
  readonly from: number;
  readonly to: number;
  /** Journal entries from `baseTick + 1` to `to`, oldest first. */
  readonly entries: readonly JournalEntry[];
  /** Kept snapshots after the base, oldest first (a replay crossing one continues from it, run.ts). */
  readonly snapshots: readonly StoredSnapshot[];
}

/** A parameter out of range, and why. */
export interface RangeProblem {
  ok: false;
  param: "from" | "to" | "at";
  message: string;
}

export type Planned = { ok: true; plan: ReplayPlan } | RangeProblem;

export interface RangeOptions {
  /** First tick to check (default: the first tick any kept state can replay, but not more than `maxTicks` before `to`). */
  from?: number;
  /** Last tick to check (default: the last journaled or snapshotted tick). */
  to?: number;
  /** Most ticks one replay may run, base to `to` (default: no bound). */
  maxTicks?: number;
}

/** The replay of ticks `from`–`to` (see the module header). */
export function planRange(store: Store, def: WorldDef, options: RangeOptions): Planned {
  const stored = storedState(store, def.id);
  const to = options.to ?? stored.lastTick;
  if (to > stored.lastTick) return problem("to", `tick ${to} is after the last recorded tick of world ${def.id} (${stored.lastTick})`);
  const earliest = stored.bases[0];
  const maxTicks = options.maxTicks ?? Infinity;
  const from = options.from ?? Math.max(Math.min((earliest ?? to) + 1, to + 1), to - maxTicks + 1);
  if (options.from !== undefined && from > to) return problem("from", `tick ${from} is after to (${to})`);
  return planFrom(store, def, stored, { from, to, baseAtOrBefore: from - 1, maxTicks, param: "from" });
}

/** The replay up to tick `at` (for a fork): from the nearest snapshot at or before it. */
export function planAt(store: Store, def: WorldDef, at: number): Planned {
  const stored = storedState(store, def.id);
  if (at > stored.lastTick) return problem("at", `tick ${at} is after the last recorded tick of world ${def.id} (${stored.lastTick})`);
  return planFrom(store, def, stored, { from: at, to: at, baseAtOrBefore: at, maxTicks: Infinity, param: "at" });
}

interface StoredState {
  snapshots: StoredSnapshot[];
  /** Ticks a replay can start from, ascending: 0 (fresh) and kept snapshots the journal follows. */
  bases: number[];
  lastTick: number;
}

function storedState(store: Store, worldId: string): StoredState {
  const snapshots = store.snapshotsOf(worldId);
  const span = store.journalSpan(worldId);
  // Fresh at tick 0: the journal starts at tick 1, or the world never ran (no journal, no snapshot).
  const fresh = span ? span.first <= 1 : snapshots.length === 0;
  // A snapshot is a base when the journal goes on from the tick after it, or nothing follows it.
  const covered = (tick: number): boolean => span === undefined || tick >= span.first - 1 || tick >= span.last;
  const bases = [...(fresh ? [0] : []), ...snapshots.map((s) => s.snapshot.tick).filter(covered)];
  const lastTick = Math.max(span?.last ?? 0, ...snapshots.map((s) => s.snapshot.tick));
  return { snapshots, bases: [...new Set(bases)].sort((a, b) => a - b), lastTick };
}

interface PlanRequest {
  from: number;
  to: number;
  baseAtOrBefore: number;
  maxTicks: number;
  param: RangeProblem["param"];
}

function planFrom(store: Store, def: WorldDef, stored: StoredState, request: PlanRequest): Planned {
  const { from, to, baseAtOrBefore, maxTicks, param } = request;
  const baseTick = stored.bases.filter((tick) => tick <= baseAtOrBefore).at(-1);
  if (baseTick === undefined) {
    const earliest = stored.bases[0];
    const hint = earliest === undefined ? `world ${def.id} has no kept state to replay from` : `the earliest is tick ${earliest + (param === "at" ? 0 : 1)}`;
    const before = param === "at" ? `at or before tick ${baseAtOrBefore}` : `before tick ${from}`;
    return problem(param, `no kept snapshot ${before}, and the journal does not start at tick 1 (the newest 3 snapshots are kept): ${hint}`);
  }
  if (to - baseTick > maxTicks) {
    const tooLong = to - from + 1 > maxTicks;
    return problem(tooLong ? "to" : "from", tooLong
      ? `ticks ${from}–${to} are ${to - from + 1} ticks; at most ${maxTicks} per request`
      : `the nearest kept state before tick ${from} is at tick ${baseTick}, so ticks ${baseTick + 1}–${to} would be replayed (${to - baseTick}); at most ${maxTicks} per request`);
  }
  const base = stored.snapshots.filter((s) => s.snapshot.tick === baseTick).at(-1);
  return {
    ok: true,
    plan: {
      def,
      base,
      baseTick,
      from,
      to,
      entries: store.journalBetween(def.id, baseTick, to),
      snapshots: stored.snapshots.filter((s) => s.snapshot.tick > baseTick),
    },
  };
}

function problem(param: RangeProblem["param"], message: string): RangeProblem {
  return { ok: false, param, message };
}
