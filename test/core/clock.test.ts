/**
 * The in-game clock (issue 10): game time is exact integer math on the tick, `startMinute +
 * floor(tick × 1440 / (secondsPerGameDay × tickRate))`, and `HH:MM` parsing refuses anything else.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CLOCK, gameMinutesAt, gameTimeAt, parseClockTime, type WorldClock } from "../../src/core/clock.ts";

/** The default clock at 20 Hz: 28,800 ticks a game day, one game minute every 20 ticks, from 08:00. */
const at20Hz = (tick: number) => gameTimeAt(DEFAULT_CLOCK, 20, tick);

describe("gameTimeAt", () => {
  it("the default clock is 1440 s a day from 08:00", () => {
    expect(DEFAULT_CLOCK).toEqual({ secondsPerGameDay: 1440, startMinute: 480 });
  });

  it("tick 0 is the start time of day 0", () => {
    expect(at20Hz(0)).toEqual({ day: 0, hour: 8, minute: 0, totalMinutes: 480 });
  });

  it("a game minute passes on the 20th tick at 20 Hz, not before", () => {
    expect(at20Hz(19)).toEqual({ day: 0, hour: 8, minute: 0, totalMinutes: 480 });
    expect(at20Hz(20)).toEqual({ day: 0, hour: 8, minute: 1, totalMinutes: 481 });
    expect(at20Hz(1199)).toEqual({ day: 0, hour: 8, minute: 59, totalMinutes: 539 });
    expect(at20Hz(1200)).toEqual({ day: 0, hour: 9, minute: 0, totalMinutes: 540 });
  });

  it("midnight rolls over to day 1 at tick 19,200 (960 game minutes after 08:00)", () => {
    expect(at20Hz(19_199)).toEqual({ day: 0, hour: 23, minute: 59, totalMinutes: 1439 });
    expect(at20Hz(19_200)).toEqual({ day: 1, hour: 0, minute: 0, totalMinutes: 1440 });
    expect(at20Hz(19_200 + 28_800)).toEqual({ day: 2, hour: 0, minute: 0, totalMinutes: 2880 });
  });

  it("a fast clock (60 s a day at 1 Hz: 24 game minutes a tick) crosses midnight inside one tick", () => {
    const fast: WorldClock = { secondsPerGameDay: 60, startMinute: 23 * 60 + 50 };
    expect(gameTimeAt(fast, 1, 0)).toEqual({ day: 0, hour: 23, minute: 50, totalMinutes: 1430 });
    expect(gameTimeAt(fast, 1, 1)).toEqual({ day: 1, hour: 0, minute: 14, totalMinutes: 1454 });
    expect(gameTimeAt(fast, 1, 60)).toEqual({ day: 1, hour: 23, minute: 50, totalMinutes: 2870 });
  });

  it("floors a fractional minute count exactly (100 s a day at 7 Hz: 1440/700 minutes a tick)", () => {
    const odd: WorldClock = { secondsPerGameDay: 100, startMinute: 0 };
    expect(gameMinutesAt(odd, 7, 1)).toBe(2);
    expect(gameMinutesAt(odd, 7, 34)).toBe(69);
    expect(gameMinutesAt(odd, 7, 35)).toBe(72);
    expect(gameMinutesAt(odd, 7, 700)).toBe(1440);
  });

  it("stays exact at tick 2^32 − 1", () => {
    expect(at20Hz(2 ** 32 - 1)).toEqual({ day: 149_131, hour: 3, minute: 24, totalMinutes: 214_748_844 });
  });

  it("throws on a negative or fractional tick", () => {
    expect(() => at20Hz(-1)).toThrow("game time: tick must be an integer ≥ 0 below 2^53 / 1440, got -1");
    expect(() => at20Hz(1.5)).toThrow("got 1.5");
  });
});

describe("parseClockTime", () => {
  it("gives minutes after midnight", () => {
    expect(parseClockTime("00:00")).toBe(0);
    expect(parseClockTime("06:30")).toBe(390);
    expect(parseClockTime("08:00")).toBe(480);
    expect(parseClockTime("23:59")).toBe(1439);
  });

  it.each(["24:00", "6:30", "06:60", "0630", " 06:30", "06:30 ", "", "noon"])("refuses %j, naming it", (text) => {
    expect(() => parseClockTime(text)).toThrow(`clock time ${JSON.stringify(text)} must be HH:MM on a 24-hour clock, 00:00–23:59`);
  });
});
