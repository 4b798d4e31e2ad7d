/**
 * The world file's `clock` (issue 10): optional, defaulting to 1440 s a game day from 08:00, each
 * field validated and a bad one reported as `clock.<field>: <problem>`, naming the file at load.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CLOCK_FILE, describeWorldFileError, parseWorldFile } from "../../src/content/world-file.ts";
import { loadWorlds } from "../../src/server/world-loader.ts";
import { expectArbiterError } from "../support/errors.ts";
import { makeDataDir, removeTempDirs, SMALL_MAP, worldJson } from "../support/temp-data.ts";

afterEach(removeTempDirs);

const world = (fields: Record<string, unknown> = {}) => ({ id: "quay", name: "Quay", map: SMALL_MAP, ...fields });

function clockOf(json: unknown) {
  const parsed = parseWorldFile(json, "quay.json");
  if (!parsed.ok) throw new Error(describeWorldFileError(parsed));
  return parsed.value.clock;
}

function problemsOf(json: unknown): string[] {
  const parsed = parseWorldFile(json, "quay.json");
  expect(parsed.ok, "the file is rejected").toBe(false);
  return parsed.ok ? [] : parsed.problems;
}

describe("world file: clock", () => {
  it("defaults to 1440 s a game day (24 real minutes) from 08:00", () => {
    expect(DEFAULT_CLOCK_FILE).toEqual({ secondsPerGameDay: 1440, startTime: "08:00" });
    expect(clockOf(world())).toEqual({ secondsPerGameDay: 1440, startMinute: 480 });
  });

  it("reads both fields, start time as minutes after midnight", () => {
    expect(clockOf(world({ clock: { secondsPerGameDay: 3600, startTime: "06:30" } }))).toEqual({ secondsPerGameDay: 3600, startMinute: 390 });
  });

  it("defaults each omitted field", () => {
    expect(clockOf(world({ clock: { startTime: "23:59" } }))).toEqual({ secondsPerGameDay: 1440, startMinute: 1439 });
    expect(clockOf(world({ clock: { secondsPerGameDay: 60 } }))).toEqual({ secondsPerGameDay: 60, startMinute: 480 });
  });

  it("a bad startTime is one problem on clock.startTime", () => {
    expect(problemsOf(world({ clock: { startTime: "24:00" } }))).toEqual(['clock.startTime: must be "HH:MM" on a 24-hour clock (00:00–23:59)']);
    expect(problemsOf(world({ clock: { startTime: "8:00" } }))).toEqual(['clock.startTime: must be "HH:MM" on a 24-hour clock (00:00–23:59)']);
  });

  it("secondsPerGameDay out of 60..604800, fractional, or an unknown field are problems on their paths", () => {
    expect(problemsOf(world({ clock: { secondsPerGameDay: 59 } }))).toEqual([expect.stringMatching(/^clock\.secondsPerGameDay: .*60/)]);
    expect(problemsOf(world({ clock: { secondsPerGameDay: 604_801 } }))).toEqual([expect.stringMatching(/^clock\.secondsPerGameDay: .*604800/)]);
    expect(problemsOf(world({ clock: { secondsPerGameDay: 90.5 } }))).toEqual([expect.stringMatching(/^clock\.secondsPerGameDay: /)]);
    expect(problemsOf(world({ clock: { speed: 2 } }))).toEqual([expect.stringMatching(/^clock: .*speed/)]);
  });

  it("a bad startTime stops loading with world/bad-file, naming the file and clock.startTime", () => {
    const error = expectArbiterError(() => loadWorlds(makeDataDir({ "quay.json": worldJson("quay", { clock: { startTime: "noon" } }) })), "world/bad-file");
    expect(error.message).toContain(join("worlds", "quay.json"));
    expect(error.message).toContain('clock.startTime: must be "HH:MM" on a 24-hour clock (00:00–23:59)');
  });
});
