/** Plain-text report of the core benchmark: what was timed, a timing table and a workload table. */
import type { CoreBenchReport, CoreSizeResult } from "./core.ts";
import { TARGET_DENSITY } from "./dense-world.ts";
import { countLabel, fixed, formatTable, rate, type Column } from "./table.ts";

export function formatCoreHeader(report: Pick<CoreBenchReport, "config" | "target">): string {
  const { config, target } = report;
  const pct = (v: number): string => `${Math.round(v * 100)}%`;
  return [
    "== core: src/core alone (no Colyseus, no network, no disk) ==",
    "timed:    stepSimulation(sim) per tick = wander-AI scan + pipeline drain (moves, pushes, reactions,",
    "          rollbacks, events) + state hash + journal append (default window: the journal keeps every",
    "          input of the last 1200 ticks, so the retained heap grows during the run, as on a server).",
    "          Mover choice and input objects are built before the timer; submitInput (queueing the",
    "          actions) is timed apart as 'submit'. GC pauses count wherever they land.",
    `world:    square map, wall border + 4 interior wall segments, NPCs on ~${pct(TARGET_DENSITY)} of floor cells,`,
    "          85% Moveable / 10% Frightened / 5% Aggressive, no AI, seeded placement (seed " + config.seed + ").",
    `inputs:   each tick ${pct(config.shares.movers)} of actors (fresh random subset) get one move; movers aim at an`,
    `          occupied neighbour cell where they have one, so ~${pct(config.shares.intoOccupied)} of all actors target an occupied cell.`,
    "baseline: bare loop over Int32Array x/y + Int32Array occupancy grid, reset each tick to the core's state",
    "          and fed the same moves; a mover steps if its target is free floor (no pushes, events or hash).",
    "          Timed alone, interleaved with the core ticks. ratio = core median / bare median.",
    `rates:    totals over the measured ticks / summed step time. warm-up: ${config.warmupTicks} ticks per size.`,
    `target:   ${countLabel(target.actors)} actors ≤ ${target.medianMs} ms/tick median`,
  ].join("\n");
}

const TIMING_COLUMNS: readonly Column[] = [
  { header: "actors", align: "right" },
  { header: "ticks", align: "right" },
  { header: "median ms", align: "right" },
  { header: "p99 ms", align: "right" },
  { header: "mean ms", align: "right" },
  { header: "submit ms", align: "right" },
  { header: "actions/s", align: "right" },
  { header: "moved/s", align: "right" },
  { header: "pushes/s", align: "right" },
  { header: "bare ms", align: "right" },
  { header: "ratio", align: "right" },
];

export function formatTimingTable(results: readonly CoreSizeResult[]): string {
  const rows = results.map((r) => [
    countLabel(r.actors),
    String(r.measuredTicks),
    fixed(r.stepMs.median, 3),
    fixed(r.stepMs.p99, 3),
    fixed(r.stepMs.mean, 3),
    fixed(r.submitMs.median, 3),
    rate(r.perSecond.actions),
    rate(r.perSecond.moved),
    rate(r.perSecond.pushed),
    fixed(r.bare.tickMs.median, 4),
    `${fixed(r.ratio, 0)}x`,
  ]);
  return formatTable(TIMING_COLUMNS, rows);
}

const WORKLOAD_COLUMNS: readonly Column[] = [
  { header: "actors", align: "right" },
  { header: "map", align: "left" },
  { header: "density", align: "right" },
  { header: "inputs/tick", align: "right" },
  { header: "→occupied", align: "right" },
  { header: "moved/tick", align: "right" },
  { header: "pushes/tick", align: "right" },
  { header: "blocked/tick", align: "right" },
  { header: "refused/tick", align: "right" },
  { header: "bare moved/tick", align: "right" },
  { header: "final hash", align: "left" },
];

export function formatWorkloadTable(results: readonly CoreSizeResult[]): string {
  const rows = results.map((r) => [
    countLabel(r.actors),
    `${r.map.width}x${r.map.height}`,
    `${fixed(r.map.density * 100, 1)}%`,
    fixed(r.perTick.inputs, 0),
    `${fixed((r.perTick.intoOccupied / r.actors) * 100, 1)}%`,
    fixed(r.perTick.moved, 0),
    fixed(r.perTick.pushed, 0),
    fixed(r.perTick.blocked, 0),
    fixed(r.perTick.refused, 0),
    fixed(r.bare.movedPerTick, 0),
    r.finalHash,
  ]);
  return formatTable(WORKLOAD_COLUMNS, rows);
}

/** One line saying whether the target size met the target. */
export function formatVerdict(report: CoreBenchReport): string {
  const { target } = report;
  const hit = report.results.find((r) => r.actors === target.actors);
  if (!hit) return `target: ${countLabel(target.actors)} actors not measured`;
  const ok = hit.stepMs.median <= target.medianMs;
  return `target ${countLabel(target.actors)} actors ≤ ${target.medianMs} ms/tick median: ${ok ? "MET" : "MISSED"} (${fixed(hit.stepMs.median, 3)} ms)`;
}

export function formatCoreReport(report: CoreBenchReport): string {
  return [
    "timing (ms per tick; rates per second of core tick time)",
    formatTimingTable(report.results),
    "",
    "workload (means per measured tick; →occupied = moves aimed at an occupied cell, share of all actors)",
    formatWorkloadTable(report.results),
    "",
    formatVerdict(report),
  ].join("\n");
}
