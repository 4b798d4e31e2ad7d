/**
 * Scheduled tasks (issue 9 §3 `scheduler:register`, seed 000's scheduled interactions): a task runs
 * inside the tick, every `everyTicks` ticks (on ticks divisible by it), after the brains and before
 * the pipeline drains, in registration order. It runs on the tick number, never on a clock, so a
 * replay runs it at the same ticks with the same world: what it does is deterministic and needs no
 * journal entry of its own. It may queue actions (`queueAction`) or write plugin state.
 */
import type { World } from "./types.ts";

export interface ScheduledTask {
  /** Unique among a world's tasks, for logs: 1–64 of `a-z 0-9 - :`. */
  readonly name: string;
  /** Period, ticks (an integer ≥ 1). */
  readonly everyTicks: number;
  /** Runs in tick `tick` (the tick being computed) of `world`. */
  run(world: World, tick: number): void;
}

/** Runs the world's tasks due at `tick`, in registration order. */
export function runSchedules(world: World, tick: number): void {
  for (const task of world.rules.schedules) if (tick % task.everyTicks === 0) task.run(world, tick);
}
