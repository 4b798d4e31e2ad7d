/**
 * Per-tick working state of the pipeline: the tick being computed, its events and the undo log.
 * (The broker's ban list lives on each sender, stamped with the tick: see broker.ts.) Created fresh by `stepWorld` for every tick and dropped after it.
 */
import type { TickEvent, World } from "./types.ts";
import { createUndoLog, type UndoLog } from "./undo-log.ts";

export interface TickContext {
  readonly world: World;
  /** The tick being computed (`world.tick + 1`). */
  readonly tick: number;
  readonly events: TickEvent[];
  readonly undo: UndoLog;
  /** What the pipeline did this tick (for metrics). */
  readonly counts: TickCounts;
}

/**
 * Per-tick pipeline figures: actions executed (own and reactions), conflicts met, pushes delivered,
 * and rollbacks (failed actions that met a conflict or had changes to undo).
 */
export interface TickCounts {
  actions: number;
  conflicts: number;
  pushes: number;
  rollbacks: number;
}

export function createTickContext(world: World): TickContext {
  return { world, tick: world.tick + 1, events: [], undo: createUndoLog(), counts: { actions: 0, conflicts: 0, pushes: 0, rollbacks: 0 } };
}
