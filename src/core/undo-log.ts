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
  /** Grows, never shrinks: `length` says how much of it is live. */
  readonly entries: number[];
  length: number;
}

export function createUndoLog(): UndoLog {
  return { entries: [], length: 0 };
}

/** A savepoint: the log's current length. */
export function markUndo(log: UndoLog): number {
  return log.length;
}

/** Records `actor`'s position and movedTick before it moves. */
export function recordMove(log: UndoLog, actor: Actor): void {
  const { entries } = log;
  const at = log.length;
  entries[at] = actor.slot;
  entries[at + 1] = actor.x;
  entries[at + 2] = actor.y;
  entries[at + 3] = actor.movedTick;
  log.length = at + STRIDE;
}

/** Restores every change recorded after `mark`, newest first, and drops those entries. */
export function rollbackTo(log: UndoLog, world: World, mark: number): void {
  const { entries } = log;
  for (let i = log.length - STRIDE; i >= mark; i -= STRIDE) {
    const actor = world.slots[entries[i]!]!;
    placeActor(world, actor, entries[i + 1]!, entries[i + 2]!);
    actor.movedTick = entries[i + 3]!;
  }
  log.length = mark;
}

/** Calls `visit` for each recorded change in the order it happened, then empties the log. */
export function commitUndo(log: UndoLog, world: World, visit: (actor: Actor, fromX: number, fromY: number) => void): void {
  const { entries } = log;
  for (let i = 0; i < log.length; i += STRIDE) {
    visit(world.slots[entries[i]!]!, entries[i + 1]!, entries[i + 2]!);
  }
  log.length = 0;
}
