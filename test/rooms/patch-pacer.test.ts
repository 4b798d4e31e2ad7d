/**
 * The patch pacer's rule (rooms/patch-pacer.ts), with a scripted event-loop load: one patch per
 * tick on a calm loop; on a busy loop (ELU > 0.85) one more tick between patches each second, up to
 * 6; back down one per calm second (ELU < 0.6), never below what the patches' own cost needs (at
 * most half of the ticks between two patches); while more than 8 connections wait in the accept
 * queue, two more ticks a second, up to 12, back to 6 at once when it has drained.
 */
import { describe, expect, it } from "vitest";
import { MAX_PATCH_INTERVAL, PatchPacer, STORM_BACKLOG, STORM_PATCH_INTERVAL } from "../../rooms/patch-pacer.ts";

/**
 * A pacer at 20 Hz (50 ms ticks) reading `loads` and `backlogs` (connections waiting to be
 * accepted) one per second (the last ones repeat).
 */
function pacerWith(loads: number[], backlogs: number[] = [0]): PatchPacer {
  let i = 0;
  let j = 0;
  return new PatchPacer(
    50,
    20,
    () => loads[Math.min(i++, loads.length - 1)]!,
    () => backlogs[Math.min(j++, backlogs.length - 1)]!,
  );
}

/** Runs `seconds` seconds of ticks; returns the due ticks of the last second (1–20). */
function run(pacer: PatchPacer, seconds: number, patchMs = 5): number[] {
  let due: number[] = [];
  for (let s = 0; s < seconds; s++) {
    due = [];
    for (let t = 1; t <= 20; t++) {
      if (!pacer.due()) continue;
      due.push(t);
      pacer.observe(patchMs);
    }
  }
  return due;
}

describe("patch pacer", () => {
  it("patches every tick on a calm loop", () => {
    const pacer = pacerWith([0.3]);
    expect(run(pacer, 3)).toEqual([...Array(20).keys()].map((t) => t + 1));
    expect(pacer.ticksPerPatch).toBe(1);
  });

  it("adds a tick between patches for each busy second, up to the cap, and comes back one per calm second", () => {
    const pacer = pacerWith([0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.7, 0.3]);
    run(pacer, 1);
    expect(pacer.ticksPerPatch).toBe(2);
    run(pacer, 1);
    expect(pacer.ticksPerPatch).toBe(3);
    run(pacer, 5);
    expect(pacer.ticksPerPatch).toBe(MAX_PATCH_INTERVAL);
    run(pacer, 1); // 0.7: between calm and busy, unchanged
    expect(pacer.ticksPerPatch).toBe(MAX_PATCH_INTERVAL);
    run(pacer, 1);
    expect(pacer.ticksPerPatch).toBe(MAX_PATCH_INTERVAL - 1);
    run(pacer, 10);
    expect(pacer.ticksPerPatch).toBe(1);
  });

  it("never patches more often than the patches' own cost allows: 60 ms patches on 50 ms ticks → every 3rd tick", () => {
    const pacer = pacerWith([0.3]);
    const due = run(pacer, 3, 60);
    expect(pacer.ticksPerPatch).toBe(3);
    expect(due.slice(1).map((t, i) => t - due[i]!)).toEqual(Array(due.length - 1).fill(3));
  });

  it("while connections wait to be accepted, adds two ticks between patches each second up to 12, and drops back to 6 once they are in", () => {
    const pacer = pacerWith([0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.3], [STORM_BACKLOG, 40, 900, 900, 900, 900, 12, 0]);
    run(pacer, 1); // busy, a few waiting (not a storm): +1
    expect(pacer.ticksPerPatch).toBe(2);
    run(pacer, 1); // 40 waiting: +2
    expect(pacer.ticksPerPatch).toBe(4);
    run(pacer, 3);
    expect(pacer.ticksPerPatch).toBe(10);
    run(pacer, 2); // capped
    expect(pacer.ticksPerPatch).toBe(STORM_PATCH_INTERVAL);
    run(pacer, 1); // the queue is empty, the loop still busy: back to the usual cap at once
    expect(pacer.ticksPerPatch).toBe(MAX_PATCH_INTERVAL);
    run(pacer, 1); // calm: one less
    expect(pacer.ticksPerPatch).toBe(MAX_PATCH_INTERVAL - 1);
  });

  it("does not pace a calm server for the few connections that wait a turn or two", () => {
    const pacer = pacerWith([0.3], [STORM_BACKLOG]);
    run(pacer, 3);
    expect(pacer.ticksPerPatch).toBe(1);
  });
});
