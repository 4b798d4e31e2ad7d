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
}

export function createTickContext(world: World): TickContext {
  return { world, tick: world.tick + 1, events: [], undo: createUndoLog() };
}
