/** Plain-text report of the stats benchmark: what was timed, a timing table and the verdict. */
import type { StatsBenchReport, StatsSizeResult } from "./stats-bench.ts";
import { countLabel, fixed, formatTable, type Column } from "./table.ts";

export function formatStatsHeader(report: Pick<StatsBenchReport, "config" | "target">): string {
  const { config, target } = report;
  return [
    "== stats: effective-stat computation alone (src/stats; no world, no pipeline) ==",
    "timed:    per tick, for every actor: computeEffective(layout, state, out) into its slice of one",
    "          Float64Array, then tierIndex for each public tiered axis (attributes.health) into an",
    "          Int32Array. Actors and modifiers are built before the timer. GC pauses count wherever they land.",
    "actors:   DEFAULT_STATS_CONFIG layout (5 axes); seeded-random base values; 1 in 4 with a runtime",
    `          override; ${target.modifiers} active modifiers each: one add, one multiply, one override on 3 distinct axes (seed ${config.seed}).`,
    "baseline: bare loop copying each actor's base values into the same output array (no modifiers,",
    "          clamp or tiers), timed alone, interleaved with the stats ticks. ratio = stats median / bare median.",
    `warm-up:  ${config.warmupTicks} ticks per size.`,
    `target:   ${countLabel(target.actors)} actors × ${target.modifiers} modifiers ≤ ${target.medianMs} ms/tick median`,
  ].join("\n");
}

const COLUMNS: readonly Column[] = [
  { header: "actors", align: "right" },
  { header: "ticks", align: "right" },
  { header: "median ms", align: "right" },
  { header: "p99 ms", align: "right" },
  { header: "mean ms", align: "right" },
  { header: "ns/actor", align: "right" },
  { header: "bare median ms", align: "right" },
  { header: "bare p99 ms", align: "right" },
  { header: "bare ns/actor", align: "right" },
  { header: "ratio", align: "right" },
  { header: "checksum", align: "right" },
];

export function formatStatsTable(results: readonly StatsSizeResult[]): string {
  const rows = results.map((r) => [
    countLabel(r.actors),
    String(r.measuredTicks),
    fixed(r.tickMs.median, 3),
    fixed(r.tickMs.p99, 3),
    fixed(r.tickMs.mean, 3),
    fixed(r.nsPerActor, 1),
    fixed(r.bare.tickMs.median, 4),
    fixed(r.bare.tickMs.p99, 4),
    fixed(r.bare.nsPerActor, 2),
    `${fixed(r.ratio, 1)}x`,
    fixed(r.checksum, 1),
  ]);
  return formatTable(COLUMNS, rows);
}

/** One line saying whether the target size met the target. */
export function formatStatsVerdict(report: StatsBenchReport): string {
  const { target } = report;
  const label = `${countLabel(target.actors)} actors × ${target.modifiers} modifiers ≤ ${target.medianMs} ms/tick median`;
  const hit = report.results.find((r) => r.actors === target.actors);
  if (!hit) return `target: ${label}: not measured`;
  return `target: ${label}: ${hit.tickMs.median <= target.medianMs ? "MET" : "MISSED"} (${fixed(hit.tickMs.median, 3)} ms)`;
}

export function formatStatsReport(report: StatsBenchReport): string {
  return ["timing (ms per tick over all actors; ns/actor = median / actors)", formatStatsTable(report.results), "", formatStatsVerdict(report)].join("\n");
}
