/** Plain-text report of the journal benchmark: what was timed, one table, the targets. */
import type { JournalBenchReport, JournalSizeResult, PatternResult } from "./journal-bench.ts";
import { countLabel, fixed, formatTable, rate, type Column } from "./table.ts";

export function formatJournalHeader(report: Pick<JournalBenchReport, "config" | "target">): string {
  const { config, target } = report;
  return [
    "== journal: tick journal persistence through openStore/appendJournal (better-sqlite3, WAL, temp file on disk) ==",
    "timed:    store.appendJournal(worldId, entries) = one transaction; one SQL row per tick (world_id, tick,",
    "          inputs as a MessagePack blob, hash); encoding the inputs runs inside it. The store runs no WAL",
    "          auto-checkpoint: it checkpoints after each snapshot, off the tick's commit.",
    `entries:  real TickResults: each tick the core runs (untimed) with ${Math.round(config.moverShare * 100)}% of actors given a move.`,
    `patterns: 1 tick per transaction (the room's default); ${config.batchTicks} ticks per transaction (JOURNAL_FLUSH_TICKS=${config.batchTicks}); and 1* = diagnostic:`,
    `          1 tick per transaction with wal_checkpoint(PASSIVE) every ${config.checkpointTicks} ticks, timed apart (see 'checkpoints'`,
    "          below): what the snapshot-time checkpoints cost.",
    "rates:    input rows/s = inputs persisted / summed commit time; SQL rows/s = rows written (1 per tick) / same.",
    `target:   ${countLabel(target.actors)} actors, 1 tick per transaction: ≥ ${rate(target.inputRowsPerSecond)} rows/s and p99 ≤ ${target.p99MsPerTick} ms per tick.`,
  ].join("\n");
}

const COLUMNS: readonly Column[] = [
  { header: "actors", align: "right" },
  { header: "ticks/txn", align: "right" },
  { header: "commits", align: "right" },
  { header: "inputs/tick", align: "right" },
  { header: "stored/tick", align: "right" },
  { header: "(as JSON)", align: "right" },
  { header: "encode ms", align: "right" },
  { header: "commit p50", align: "right" },
  { header: "commit p99", align: "right" },
  { header: "commit max", align: "right" },
  { header: "ms/tick", align: "right" },
  { header: "input rows/s", align: "right" },
  { header: "SQL rows/s", align: "right" },
];

export function formatJournalTable(results: readonly JournalSizeResult[]): string {
  const row = (r: JournalSizeResult, p: PatternResult): string[] => [
    countLabel(r.actors),
    String(p.ticksPerCommit),
    String(p.commits),
    fixed(r.inputsPerTick, 0),
    `${fixed(r.storedBytesPerTick / 1024, 1)} KB`,
    `${fixed(r.jsonBytesPerTick / 1024, 1)} KB`,
    p.ticksPerCommit === 1 ? fixed(r.encodeMs, 3) : "",
    fixed(p.commitMs.median, 3),
    fixed(p.commitMs.p99, 3),
    fixed(p.commitMs.max, 3),
    fixed(p.msPerTick, 3),
    rate(p.inputRowsPerSecond),
    rate(p.sqlRowsPerSecond),
  ];
  return formatTable(
    COLUMNS,
    results.flatMap((r) => [row(r, r.perTick), row(r, r.batched), [...row(r, r.offPath).slice(0, 1), "1*", ...row(r, r.offPath).slice(2)]]),
  );
}

export function formatJournalTargets(report: JournalBenchReport): string {
  const { target } = report;
  const r = report.results.find((x) => x.actors === target.actors);
  if (!r) return "targets: no run at the target size";
  const p = r.perTick;
  const rowsMet = p.inputRowsPerSecond >= target.inputRowsPerSecond;
  const p99Met = p.commitMs.p99 <= target.p99MsPerTick;
  const needed = (r.inputsPerTick / target.p99MsPerTick) * 1000;
  return [
    `targets at ${countLabel(target.actors)} actors, 1 tick per transaction (${fixed(r.inputsPerTick, 0)} inputs per tick):`,
    `  ${rowsMet ? "MET   " : "MISSED"} input rows/s: ${rate(p.inputRowsPerSecond)} (target ≥ ${rate(target.inputRowsPerSecond)}; ${fixed(p.inputRowsPerSecond / target.inputRowsPerSecond, 2)}x the target)`,
    `  ${p99Met ? "MET   " : "MISSED"} commit p99 per tick: ${fixed(p.commitMs.p99, 3)} ms (target ≤ ${target.p99MsPerTick} ms; ${fixed(p.commitMs.p99 / target.p99MsPerTick, 1)}x the target)`,
    `  the rows/s target maps to input rows (inputs persisted per second): the store writes only ${rate(p.sqlRowsPerSecond)} SQL rows/s`,
    `  here, one per tick. At ${fixed(r.inputsPerTick, 0)} inputs per tick, p99 ≤ ${target.p99MsPerTick} ms needs ≥ ${rate(needed)} inputs/s at the tail,`,
    `  so the p99 target is the stricter of the two. pragmas: ${JSON.stringify(report.pragmas)}.`,
    ...report.results.map(
      (x) =>
        `checkpoints (1* rows) at ${countLabel(x.actors)}: wal_checkpoint(PASSIVE) every ${x.offPath.checkpointTicks} ticks took median ${fixed(x.offPath.checkpointMs.median, 2)} ms, max ${fixed(x.offPath.checkpointMs.max, 2)} ms (${x.offPath.checkpointMs.samples} runs).`,
    ),
  ].join("\n");
}
