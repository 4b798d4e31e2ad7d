/**
 * The undo log behind rollback (seed 002 §4, "State Atomicity"; issue 9 §1). Every write inside a
 * tick's root action is recorded; a failed action rolls back to the savepoint it took when it
 * began, newest write first, so cells free up in the reverse of the order they were taken.
 *
 * Two kinds of entry share one flat array of four numbers each:
 * - a move: actor slot, previous x, previous y, previous movedTick (the hot path: no allocation);
 * - any other write (plugin state, …): `-1 - k`, then three unused numbers, where `restores[k]` is
 *   the function that puts the previous value back.
 * Committing visits the moves in the order they happened (for `moved` events) and drops the rest.
 *
 * Not recorded, by rule: a retaliation's damage (actor-stats.ts) is the refusal's consequence and
 * stays when the pusher's chain rolls back (README, "Retaliation").
 */
import type { Actor, World } from "./types.ts";
import { placeActor } from "./world.ts";

const STRIDE = 4;

export interface UndoLog {
  /** Grows, never shrinks: `length` says how much of it is live. */
  readonly entries: number[];
  length: number;
  /** Restore functions of the live non-move entries, by index. */
  readonly restores: (() => void)[];
}

export function createUndoLog(): UndoLog {
  return { entries: [], length: 0, restores: [] };
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

/** Records any other write: `restore` puts the previous value back if the action rolls back. */
export function recordWrite(log: UndoLog, restore: () => void): void {
  const at = log.length;
  log.entries[at] = -1 - log.restores.length;
  log.restores.push(restore);
  log.length = at + STRIDE;
}

/** Restores every change recorded after `mark`, newest first, and drops those entries. */
export function rollbackTo(log: UndoLog, world: World, mark: number): void {
  const { entries } = log;
  for (let i = log.length - STRIDE; i >= mark; i -= STRIDE) {
    const tag = entries[i]!;
    if (tag < 0) {
      log.restores[-1 - tag]!();
      log.restores.length = -1 - tag;
      continue;
    }
    const actor = world.slots[tag]!;
    placeActor(world, actor, entries[i + 1]!, entries[i + 2]!);
    actor.movedTick = entries[i + 3]!;
  }
  log.length = mark;
}

/** Calls `visit` for each recorded move in the order it happened, then empties the log. */
export function commitUndo(log: UndoLog, world: World, visit: (actor: Actor, fromX: number, fromY: number) => void): void {
  const { entries } = log;
  for (let i = 0; i < log.length; i += STRIDE) {
    const tag = entries[i]!;
    if (tag >= 0) visit(world.slots[tag]!, entries[i + 1]!, entries[i + 2]!);
  }
  log.length = 0;
  log.restores.length = 0;
}
