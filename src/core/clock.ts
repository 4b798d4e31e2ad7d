/**
 * The in-game clock (issue 10, seed 000 §3). Game time is a pure function of the tick number, never
 * of the wall clock, so a replay of the journal reproduces it tick for tick; it is derived, not
 * state, and is neither snapshotted nor hashed.
 *
 * A game day lasts `secondsPerGameDay` real seconds at the world's tick rate, so one tick advances
 * the clock by `1440 / (secondsPerGameDay × tickRate)` game minutes. The count is kept in whole game
 * minutes with integer math (floor), so every machine gets the same minute at the same tick.
 */

/** Game minutes in a game day. */
export const MINUTES_PER_DAY = 1440;

/** A world's clock, as its world file declares it (src/content/world-file.ts `clock`). */
export interface WorldClock {
  /** Real seconds per game day at the world's tick rate (an integer ≥ 1). */
  readonly secondsPerGameDay: number;
  /** Game time at tick 0, in game minutes after midnight of day 0 (0–1439). */
  readonly startMinute: number;
}

/** The clock of a world that declares none: a game day is 24 real minutes, starting at 08:00 (issue 10). */
export const DEFAULT_CLOCK: WorldClock = { secondsPerGameDay: 1440, startMinute: 8 * 60 };

/** Game time at a tick. */
export interface GameTime {
  /** Game days since the world's tick 0; the first day is day 0. */
  day: number;
  /** 0–23. */
  hour: number;
  /** 0–59. */
  minute: number;
  /** Game minutes since midnight of day 0 (the start minute included). */
  totalMinutes: number;
}

/** `HH:MM` on a 24-hour clock, 00:00–23:59, two digits each. */
export const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Minutes after midnight of a 24-hour `HH:MM` time (`"06:30"` → 390).
 * Throws an `Error` naming the text when it is not `HH:MM` between 00:00 and 23:59.
 */
export function parseClockTime(text: string): number {
  const match = typeof text === "string" ? CLOCK_TIME.exec(text) : null;
  if (!match) throw new Error(`clock time ${JSON.stringify(text)} must be HH:MM on a 24-hour clock, 00:00–23:59`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Game minutes since midnight of day 0 at `tick` (ticks completed since tick 0) of a world ticking
 * at `tickRate` Hz: `startMinute + floor(tick × 1440 / (secondsPerGameDay × tickRate))`, exactly.
 * Throws when `tick` is not an integer ≥ 0 or the product leaves the safe-integer range (an invariant).
 */
export function gameMinutesAt(clock: WorldClock, tickRate: number, tick: number): number {
  const elapsed = tick * MINUTES_PER_DAY;
  if (!Number.isSafeInteger(tick) || tick < 0 || !Number.isSafeInteger(elapsed)) throw new Error(`game time: tick must be an integer ≥ 0 below 2^53 / 1440, got ${tick}`);
  const ticksPerDay = clock.secondsPerGameDay * tickRate;
  // Integer floor without rounding: (a − a mod b) / b is exact for safe integers.
  return clock.startMinute + (elapsed - (elapsed % ticksPerDay)) / ticksPerDay;
}

/** Game time at `tick` of a world ticking at `tickRate` Hz under `clock` (see {@link gameMinutesAt}). */
export function gameTimeAt(clock: WorldClock, tickRate: number, tick: number): GameTime {
  const totalMinutes = gameMinutesAt(clock, tickRate, tick);
  const ofDay = totalMinutes % MINUTES_PER_DAY;
  return { day: (totalMinutes - ofDay) / MINUTES_PER_DAY, hour: (ofDay - (ofDay % 60)) / 60, minute: ofDay % 60, totalMinutes };
}
