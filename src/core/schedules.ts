/**
 * Scheduled tasks (issue 9 §3 `scheduler:register`, seed 000's scheduled interactions; game-time
 * schedules: issue 10, seed 000 §3): a task runs inside the tick, after the brains and before the
 * pipeline drains, in registration order. Its schedule is exactly one of:
 * - `everyTicks: n`: on ticks divisible by n;
 * - `daily: "HH:MM"`: on the first tick whose game time reaches that minute of a day, once per day;
 * - `everyGameMinutes: n`: on each tick where the game-minute count crosses a multiple of n.
 * Game time comes from the tick (clock.ts), never from a wall clock. A game-time task is due at
 * tick t when a minute it waits for lies in (minutes at t − 1, minutes at t], so a fast clock that
 * advances several game minutes per tick skips none; it still runs at most once per tick. Tick 0 is
 * never computed, so a task due exactly at the start time first runs a day (or n minutes) later.
 *
 * Tasks run on the tick number and the world, so a replay runs them at the same ticks with the same
 * world: what they do is deterministic and needs no journal entry of their own. A task may queue
 * actions (`queueAction`) or write plugin state.
 */
import { CLOCK_TIME, gameMinutesAt, MINUTES_PER_DAY, parseClockTime } from "./clock.ts";
import type { World } from "./types.ts";

/**
 * When a task is due: exactly one of the three fields (checked by {@link checkTaskSchedule}).
 * - `everyTicks`: period, ticks (an integer ≥ 1);
 * - `daily`: a game time of day, `"HH:MM"` 00:00–23:59;
 * - `everyGameMinutes`: period, game minutes (an integer ≥ 1), counted from midnight of day 0.
 */
export type TaskSchedule =
  | { readonly everyTicks: number; readonly daily?: undefined; readonly everyGameMinutes?: undefined }
  | { readonly daily: string; readonly everyTicks?: undefined; readonly everyGameMinutes?: undefined }
  | { readonly everyGameMinutes: number; readonly everyTicks?: undefined; readonly daily?: undefined };

export type ScheduledTask = TaskSchedule & {
  /** Unique among a world's tasks, for logs: 1–64 of `a-z 0-9 - :`. */
  readonly name: string;
  /** Runs in tick `tick` (the tick being computed) of `world`. */
  run(world: World, tick: number): void;
};

const SCHEDULE_FIELDS = ["everyTicks", "daily", "everyGameMinutes"] as const;

/** Describes a value in a problem without calling its `toString` (a plugin's value is untrusted). */
function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : typeof value === "number" ? String(value) : typeof value;
}

/** The problem with a task's schedule, or undefined when it has exactly one valid schedule field. */
export function checkTaskSchedule(task: TaskSchedule): string | undefined {
  const given = SCHEDULE_FIELDS.filter((field) => task[field] !== undefined);
  if (given.length !== 1) return `give exactly one of ${SCHEDULE_FIELDS.join(", ")} (got ${given.join(", ") || "none"})`;
  const period = (field: "everyTicks" | "everyGameMinutes", value: unknown) =>
    Number.isSafeInteger(value) && (value as number) >= 1 ? undefined : `${field} must be an integer ≥ 1, got ${show(value)}`;
  if (task.everyTicks !== undefined) return period("everyTicks", task.everyTicks);
  if (task.everyGameMinutes !== undefined) return period("everyGameMinutes", task.everyGameMinutes);
  return typeof task.daily === "string" && CLOCK_TIME.test(task.daily) ? undefined : `daily must be "HH:MM" on a 24-hour clock (00:00–23:59), got ${show(task.daily)}`;
}

/** Just the schedule fields of a task (a wrapper copies them). */
export function scheduleOf(task: TaskSchedule): TaskSchedule {
  if (task.everyTicks !== undefined) return { everyTicks: task.everyTicks };
  if (task.daily !== undefined) return { daily: task.daily };
  return { everyGameMinutes: task.everyGameMinutes };
}

/**
 * Whether a task is due at `tick`, given the game-minute counts at `tick − 1` (`before`) and at
 * `tick` (`now`), in game minutes since midnight of day 0 (clock.ts `gameMinutesAt`).
 */
export function isTaskDue(task: TaskSchedule, tick: number, before: number, now: number): boolean {
  if (task.everyTicks !== undefined) return tick % task.everyTicks === 0;
  if (before === now) return false;
  if (task.everyGameMinutes !== undefined) return Math.floor(now / task.everyGameMinutes) > Math.floor(before / task.everyGameMinutes);
  // The latest minute ≤ now that is `daily` of some day; due when it came after `before`.
  const at = parseClockTime(task.daily);
  const last = now - ((((now - at) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY);
  return last > before;
}

/** Runs the world's tasks due at `tick` (the tick being computed), in registration order. */
export function runSchedules(world: World, tick: number): void {
  const tasks = world.rules.schedules;
  if (tasks.length === 0) return;
  const now = gameMinutesAt(world.clock, world.tickRate, tick);
  const before = tick > 0 ? gameMinutesAt(world.clock, world.tickRate, tick - 1) : now;
  for (const task of tasks) if (isTaskDue(task, tick, before, now)) task.run(world, tick);
}
