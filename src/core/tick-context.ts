/**
 * Per-tick working state of the pipeline: the tick being computed, its events, the broker's ban
 * list and the undo log. Created fresh by `stepWorld` for every tick and dropped after it.
 */
import type { TickEvent, World } from "./types.ts";
import { createUndoLog, type UndoLog } from "./undo-log.ts";

export interface TickContext {
  readonly world: World;
  /** The tick being computed (`world.tick + 1`). */
  readonly tick: number;
  readonly events: TickEvent[];
  /** Sender→receiver pairs that already exchanged a message this tick (seed 002 §8). */
  readonly bans: Set<number>;
  readonly undo: UndoLog;
}

export function createTickContext(world: World): TickContext {
  return { world, tick: world.tick + 1, events: [], bans: new Set(), undo: createUndoLog() };
}
