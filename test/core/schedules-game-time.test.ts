/**
 * Scheduled tasks by game time (issue 10): `daily: "HH:MM"` and `everyGameMinutes: n` beside
 * `everyTicks`, due when game time crosses their minute between tick − 1 and tick, in registration
 * order, and replayed at the same ticks from the journal or a snapshot.
 *
 * Each task here appends `[tick, name]` to the world state of a test plugin "bells", which is part
 * of the state hash, so replay compares what the tasks did too.
 */
import { describe, expect, it } from "vitest";
import {
  checkTaskSchedule,
  createSimulation,
  createWorld,
  createWorldRules,
  gameTimeAt,
  journalEntries,
  replayJournal,
  restoreWorld,
  setWorldState,
  snapshotWorld,
  stepSimulation,
  submitInput,
  worldStateOf,
  type ScheduledTask,
  type Simulation,
  type TaskSchedule,
  type World,
  type WorldClock,
  type WorldDef,
} from "../../src/core/index.ts";
import { checkInvariants, defineAsciiWorld } from "../support/worlds.ts";

const MAP = ["#######", "#S...S#", "#######"];

/** 120 s a game day at 20 Hz: 2,400 ticks a day, 0.6 game minutes a tick (a minute every 5/3 ticks). */
const QUICK = { tickRate: 20, clock: { secondsPerGameDay: 120, startMinute: 8 * 60 } };
/** 60 s a game day at 1 Hz: 24 game minutes a tick, from midnight. */
const FAST = { tickRate: 1, clock: { secondsPerGameDay: 60, startMinute: 0 } };

type Bell = [tick: number, name: string];

function ringer(name: string, schedule: TaskSchedule): ScheduledTask {
  return {
    ...schedule,
    name,
    run(world, tick) {
      const rung = (worldStateOf(world, "bells") ?? []) as Bell[];
      setWorldState(world, "bells", [...rung, [tick, name]]);
    },
  };
}

function defineClockWorld(options: { tickRate: number; clock: WorldClock }): WorldDef {
  return { ...defineAsciiWorld(MAP), ...options };
}

function clockSimulation(options: { tickRate: number; clock: WorldClock }, tasks: ScheduledTask[]): Simulation {
  return createSimulation(createWorld(defineClockWorld(options), createWorldRules({ schedules: tasks })), 100_000);
}

function run(sim: Simulation, ticks: number): void {
  for (let i = 0; i < ticks; i++) stepSimulation(sim);
  checkInvariants(sim.world);
}

function bells(world: World): Bell[] {
  return (worldStateOf(world, "bells") ?? []) as Bell[];
}

function rungAt(world: World, name: string): number[] {
  return bells(world).filter(([, n]) => n === name).map(([tick]) => tick);
}

describe("daily tasks", () => {
  it("a daily 06:00 task runs once a game day, on the tick game time reaches 06:00", () => {
    // From 08:00, day d's 06:00 is 1,320 + 1,440 (d − 1) game minutes later: ticks 2,200, 4,600, 7,000.
    const sim = clockSimulation(QUICK, [ringer("dawn", { daily: "06:00" })]);
    run(sim, 7_200);
    expect(rungAt(sim.world, "dawn")).toEqual([2_200, 4_600, 7_000]);
    const { tickRate, clock } = QUICK;
    for (const [day, tick] of [[1, 2_200], [2, 4_600], [3, 7_000]] as const) {
      expect(gameTimeAt(clock, tickRate, tick - 1)).toMatchObject({ day, hour: 5, minute: 59 });
      expect(gameTimeAt(clock, tickRate, tick)).toMatchObject({ day, hour: 6, minute: 0 });
    }
  });

  it("runs on the first tick whose game time reaches the minute when a minute spans ticks", () => {
    // From 05:59: tick 1 is 05:59.6 (still 05:59), tick 2 is 06:00.2.
    const sim = clockSimulation({ ...QUICK, clock: { secondsPerGameDay: 120, startMinute: 359 } }, [ringer("dawn", { daily: "06:00" })]);
    run(sim, 2_500);
    expect(rungAt(sim.world, "dawn")).toEqual([2, 2_402]);
  });

  it("a task due at the start time itself first runs a day later (tick 0 is never computed)", () => {
    const sim = clockSimulation({ ...QUICK, clock: { secondsPerGameDay: 120, startMinute: 360 } }, [ringer("dawn", { daily: "06:00" })]);
    run(sim, 2_500);
    expect(rungAt(sim.world, "dawn")).toEqual([2_400]);
  });
});

describe("everyGameMinutes tasks", () => {
  it("every 45 game minutes runs where the count crosses 495, 540, 585, 630 (ticks 25, 100, 175, 250)", () => {
    const sim = clockSimulation(QUICK, [ringer("watch", { everyGameMinutes: 45 })]);
    run(sim, 300);
    expect(rungAt(sim.world, "watch")).toEqual([25, 100, 175, 250]);
  });
});

describe("a fast clock (24 game minutes a tick)", () => {
  it("never skips a day: daily 06:10 (game minute 370, never a tick's exact time) runs at ticks 16, 76, 136", () => {
    // Tick t is game minute 24t: 370 lies in (360, 384], 1,810 in (1,800, 1,824], 3,250 in (3,240, 3,264].
    const sim = clockSimulation(FAST, [ringer("dawn", { daily: "06:10" })]);
    run(sim, 180);
    expect(rungAt(sim.world, "dawn")).toEqual([16, 76, 136]);
  });

  it("every 50 game minutes runs on each tick that crosses a multiple of 50", () => {
    const sim = clockSimulation(FAST, [ringer("watch", { everyGameMinutes: 50 })]);
    run(sim, 29);
    expect(rungAt(sim.world, "watch")).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 28]);
  });

  it("every 10 game minutes runs once per tick, though each tick crosses two or three multiples", () => {
    const sim = clockSimulation(FAST, [ringer("watch", { everyGameMinutes: 10 })]);
    run(sim, 10);
    expect(rungAt(sim.world, "watch")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe("order and replay", () => {
  it("tasks due on one tick run in registration order, whatever their schedule", () => {
    // Default speed (1440 s a day) at 20 Hz from 08:00: tick 20 is 08:01.
    const slow = { tickRate: 20, clock: { secondsPerGameDay: 1440, startMinute: 480 } };
    const first = clockSimulation(slow, [ringer("a", { daily: "08:01" }), ringer("b", { everyTicks: 20 }), ringer("c", { everyGameMinutes: 1 })]);
    run(first, 20);
    expect(bells(first.world)).toEqual([[20, "a"], [20, "b"], [20, "c"]]);
    const second = clockSimulation(slow, [ringer("c", { everyGameMinutes: 1 }), ringer("b", { everyTicks: 20 }), ringer("a", { daily: "08:01" })]);
    run(second, 20);
    expect(bells(second.world)).toEqual([[20, "c"], [20, "b"], [20, "a"]]);
  });

  it("replaying the journal, or a snapshot plus the journal, runs the tasks at the same ticks", () => {
    const tasks = () => [ringer("dawn", { daily: "06:00" }), ringer("watch", { everyGameMinutes: 300 })];
    const rules = createWorldRules({ schedules: tasks() });
    const sim = createSimulation(createWorld(defineClockWorld(QUICK), rules), 100_000);
    let snapshot: ReturnType<typeof snapshotWorld> | undefined;
    for (let t = 1; t <= 2_500; t++) {
      if (t === 1) submitInput(sim, { type: "join", actorId: "", name: "ann" });
      if (t % 7 === 0) submitInput(sim, { type: "act", actorId: "player-1", kind: "move", payload: { dir: t % 14 === 0 ? "E" : "W" } });
      if (t === 2_000) snapshot = JSON.parse(JSON.stringify(snapshotWorld(sim.world))) as ReturnType<typeof snapshotWorld>;
      stepSimulation(sim);
    }
    // Multiples of 300 game minutes since midnight of day 0: 10:00 (600) at tick 200, 15:00 at 700,
    // 20:00 at 1,200, 01:00 at 1,700, and 06:00 of day 1 (1,800) at 2,200, with dawn registered first.
    expect(bells(sim.world)).toEqual([[200, "watch"], [700, "watch"], [1_200, "watch"], [1_700, "watch"], [2_200, "dawn"], [2_200, "watch"]]);
    const entries = JSON.parse(JSON.stringify(journalEntries(sim.journal))) as ReturnType<typeof journalEntries>;

    const fresh = createSimulation(createWorld(defineClockWorld(QUICK), createWorldRules({ schedules: tasks() })), 100_000);
    expect(replayJournal(fresh, entries)).toEqual({ replayed: 2_500, divergences: [] });
    expect(bells(fresh.world)).toEqual(bells(sim.world));

    const restored = restoreWorld(defineClockWorld(QUICK), snapshot!, createWorldRules({ schedules: tasks() }));
    if (!restored.ok) throw new Error(restored.message);
    const resumed = createSimulation(restored.value, 100_000);
    expect(replayJournal(resumed, entries)).toEqual({ replayed: 501, divergences: [] });
    expect(bells(resumed.world)).toEqual(bells(sim.world));
  });
});

describe("checkTaskSchedule", () => {
  it("accepts exactly one valid schedule field", () => {
    expect(checkTaskSchedule({ everyTicks: 5 })).toBeUndefined();
    expect(checkTaskSchedule({ daily: "00:00" })).toBeUndefined();
    expect(checkTaskSchedule({ everyGameMinutes: 1 })).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [{}, "give exactly one of everyTicks, daily, everyGameMinutes (got none)"],
    [{ everyTicks: 5, daily: "06:00" }, "give exactly one of everyTicks, daily, everyGameMinutes (got everyTicks, daily)"],
    [{ everyTicks: 0 }, "everyTicks must be an integer ≥ 1, got 0"],
    [{ everyGameMinutes: 2.5 }, "everyGameMinutes must be an integer ≥ 1, got 2.5"],
    [{ everyGameMinutes: "5" }, 'everyGameMinutes must be an integer ≥ 1, got "5"'],
    [{ daily: "6:00" }, 'daily must be "HH:MM" on a 24-hour clock (00:00–23:59), got "6:00"'],
    [{ daily: 600 }, 'daily must be "HH:MM" on a 24-hour clock (00:00–23:59), got 600'],
  ])("refuses %j: %s", (schedule, problem) => {
    expect(checkTaskSchedule(schedule as TaskSchedule)).toBe(problem);
  });

  it("createWorldRules refuses a task with a bad schedule, naming it", () => {
    expect(() => createWorldRules({ schedules: [ringer("dusk", { daily: "25:00" })] })).toThrow('scheduled task "dusk": daily must be "HH:MM" on a 24-hour clock (00:00–23:59), got "25:00"');
  });
});
