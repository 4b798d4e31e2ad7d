/**
 * The undo log behind rollback (seed 002 §4, "State Atomicity"). Every position change inside a
 * tick's root action is recorded; a failed action rolls back to the savepoint it took when it began,
 * newest change first, so cells free up in the reverse of the order they were taken.
 * Entries are four numbers: actor slot, previous x, previous y, previous movedTick.
 */
import type { Actor, World } from "./types.ts";
import { placeActor } from "./world.ts";

const STRIDE = 4;

export interface UndoLog {
  entries: number[];
}

export function createUndoLog(): UndoLog {
  return { entries: [] };
}

/** A savepoint: the log's current length. */
export function markUndo(log: UndoLog): number {
  return log.entries.length;
}

/** Records `actor`'s position and movedTick before it moves. */
export function recordMove(log: UndoLog, actor: Actor): void {
  log.entries.push(actor.slot, actor.x, actor.y, actor.movedTick);
}

/** Restores every change recorded after `mark`, newest first, and drops those entries. */
export function rollbackTo(log: UndoLog, world: World, mark: number): void {
  const { entries } = log;
  for (let i = entries.length - STRIDE; i >= mark; i -= STRIDE) {
    const actor = world.slots[entries[i]!]!;
    placeActor(world, actor, entries[i + 1]!, entries[i + 2]!);
    actor.movedTick = entries[i + 3]!;
  }
  entries.length = mark;
}

/** Calls `visit` for each recorded change in the order it happened, then empties the log. */
export function commitUndo(log: UndoLog, world: World, visit: (actor: Actor, fromX: number, fromY: number) => void): void {
  const { entries } = log;
  for (let i = 0; i < entries.length; i += STRIDE) {
    visit(world.slots[entries[i]!]!, entries[i + 1]!, entries[i + 2]!);
  }
  entries.length = 0;
}
