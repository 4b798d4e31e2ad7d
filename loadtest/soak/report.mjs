// The soak's reports: `report.md` and `report.json` in the output directory (the plot is written by
// plot.mjs next to them), and a short summary on the terminal. report.json holds everything: the
// options, the outcome, the analysis (growth, per-minute rows, totals) and every per-second sample.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GOAL_PCT, MIN_GC_READINGS } from "./analysis.mjs";
import { JOINS_PER_SECOND } from "./options.mjs";

/** Under this many seconds after the warm-up, the report says the run is too short to judge growth. */
const SHORT_S = 20 * 60;

const fmt = {
  mb: (v) => (Number.isFinite(v) ? `${v.toFixed(1)} MB` : "n/a"),
  ms: (v, over) => (Number.isFinite(v) ? `${over ? "> " : ""}${v < 1 ? v.toFixed(3) : v.toFixed(2)} ms` : "n/a"),
  pct: (v, sign = true) => (Number.isFinite(v) ? `${sign && v >= 0 ? "+" : ""}${v.toFixed(1)}%` : "n/a"),
  n: (v, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a"),
  table: (t) => Object.entries(t ?? {}).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(", ") || "none",
};

const OUTCOMES = {
  completed: "completed",
  "server-died": "ABORTED: the server exited during the run",
  "join-failed": "ABORTED: bots could not join",
  unreachable: "ABORTED: no bot was connected for 30 s (the server went away?)",
  "worker-crashed": "ABORTED: a worker thread of bots crashed",
  interrupted: "interrupted (SIGINT/SIGTERM)",
};

/** The headline: outcome, verdict and growth figures, for the terminal and report.md. */
export function headline(result) {
  const { analysis: a } = result;
  const growth = a.afterGc ? `live heap ${fmt.pct(a.afterGc.heap.pct)}, RSS ${fmt.pct(a.afterGc.rss.pct)}` : "not measured";
  return [
    ["outcome", `${OUTCOMES[result.outcome] ?? result.outcome}${result.outcomeDetail ? `: ${result.outcomeDetail}` : ""}`],
    ["memory growth after major GCs", `${growth} (goal ≤ ${GOAL_PCT}%): **${a.verdict}**`],
    ["window medians (information)", a.rss ? `RSS ${fmt.pct(a.rss.pct)}, heap used ${fmt.pct(a.heap.pct)} (median of the first ${a.rss.windowS} s after the warm-up → of the last ${a.rss.windowS} s)` : "not measured"],
    ["tick time after the warm-up", `p50 ${fmt.ms(a.tick.p50)}, p99 ${fmt.ms(a.tick.p99, a.tick.over)} over ${a.tick.count} ticks (patch p99 ${fmt.ms(a.patch.p99, a.patch.over)})`],
    ["reconnects", reconnectLine(a.totals)],
    ["interactions", interactionLine(a.totals)],
    ["errors", `${a.totals.counts.errors ?? 0}: ${fmt.table(a.totals.tables.errorCodes)}`],
    ["unexpected disconnects", `${a.totals.counts.disconnects ?? 0}: ${fmt.table(a.totals.tables.disconnectCodes)}`],
  ];
}

function reconnectLine({ counts: c, serverReconnections, serverWindowsExpired }) {
  return `${c.drops ?? 0} connections dropped, ${c.reconnectOk ?? 0} reconnected to their actor, ${c.reconnectFailed ?? 0} failed; the server counted ${serverReconnections} reconnections and ${serverWindowsExpired} expired windows`;
}

function interactionLine({ counts: c }) {
  const replies = (c.interactSuccess ?? 0) + (c.interactFailure ?? 0);
  return `${c.interactSent ?? 0} sent: ${replies} replies (${c.interactSuccess ?? 0} success, ${c.interactFailure ?? 0} failure), ${c.interactRefused ?? 0} refused, ${c.interactNoReply ?? 0} unanswered within 3 s`;
}

function runRows(result) {
  const { options: o, analysis: a, run } = result;
  const c = a.totals.counts;
  return [
    ["server", `${run.ownServer ? "started by the soak" : "given"} at ${run.endpoint}`],
    ["worlds", `${run.worldIds.join(", ")} (${run.worldNote})`],
    ["clients", `${o.clients} full @colyseus/sdk bots over ${run.workers} worker thread(s), joining at ${JOINS_PER_SECOND}/s; ${o.rate} moves/s each; a dropped connection every ${o.reconnectEverySeconds || "∞"} s per bot on average`],
    ["length", `${fmt.n(a.seconds / 60, 1)} of ${o.minutes} minutes, the first ${o.warmupMinutes} of them warm-up`],
    ["joins", `${c.joins ?? 0} joined, ${c.joinFailures ?? 0} attempts failed, ${c.joinsAbandoned ?? 0} bots gave up after 3 attempts; ${c.rejoins ?? 0} fresh joins after a failed reconnection or a disconnect`],
    ["moves sent", `${c.movesOut ?? 0}`],
    ["placement", run.placement.note],
    ["bots' CPU", `${fmt.n(mean(result.series.map((s) => s.runnerCpuPct)))}% of one core on average (the soak process, every thread)`],
  ];
}

const mean = (values) => {
  const v = values.filter(Number.isFinite);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

function growthTable(a) {
  if (!a.rss) return ["Not measured: no memory samples after the warm-up (no /metrics credentials with --endpoint, or the run ended before the warm-up did)."];
  return [...afterGcTable(a), "", "### Medians of windows (information, not judged)", "", ...windowTable(a)];
}

/** The judged table: medians of the readings after major GCs, first third after the warm-up → last third. */
function afterGcTable(a) {
  const { heap, rss, majorGcs } = a.afterGc;
  const minutes = (part) => `${fmt.n(part.fromS / 60, 1)}–${fmt.n(part.toS / 60, 1)}`;
  const cell = (part) => `${fmt.mb(part.median)} (${part.readings} reading${part.readings === 1 ? "" : "s"})`;
  const row = (name, g) => `| ${name} | ${cell(g.first)} | ${cell(g.last)} | **${fmt.pct(g.pct)}** | ${g.met === null ? "n/a" : g.met ? "MET" : "MISSED"} |`;
  return [
    `| | first third after the warm-up (minutes ${minutes(heap.first)}) | last third (minutes ${minutes(heap.last)}) | growth | ≤ ${GOAL_PCT}% |`,
    "|---|---|---|---|---|",
    row("V8 heap used after a major GC (the live set)", heap),
    row("server RSS after a major GC", rss),
    "",
    `Read right after each major (mark-sweep-compact) GC: \`arbiter_heap_used_after_major_gc_bytes\` and \`arbiter_rss_after_major_gc_bytes\`, one reading per second in which \`arbiter_major_gcs_total\` moved (${majorGcs} major GCs after the warm-up). Growth is the change between the medians of the readings in the first and in the last third of the time after the warm-up, as % of the first; each third needs ${MIN_GC_READINGS} readings or more. Heap used at a random second also holds the garbage promoted since the last major GC, a sawtooth of tens of MB: the windows below compare phases of it. **Verdict: ${a.verdict}.**`,
    "",
    rssPartsLine(a.afterGc.rssParts),
    ...(a.seconds - a.warmupSeconds < SHORT_S ? ["", `> Only ${fmt.n((a.seconds - a.warmupSeconds) / 60, 1)} minutes after the warm-up: too short to tell a leak from caches settling and the GC's rhythm (the goal is meant for a run of 30 minutes or more).`] : []),
  ];
}

/** Information: RSS as V8's heap total plus the rest, first third → last third. */
function rssPartsLine({ first, last }) {
  if (!Number.isFinite(first.heapTotalMB)) return "What RSS is made of: not sampled (no `nodejs_heap_size_total_bytes`).";
  return `What RSS is made of (information; medians of every second, first third → last third): V8's heap total (the heap it holds: live objects, garbage not yet collected, free pages it keeps) ${fmt.mb(first.heapTotalMB)} → ${fmt.mb(last.heapTotalMB)}; the rest of RSS (code, native memory, buffers, other threads) ${fmt.mb(first.outsideHeapMB)} → ${fmt.mb(last.outsideHeapMB)}.`;
}

function windowTable(a) {
  const w = a.rss.windowS;
  const row = (name, g) => `| ${name} | ${fmt.mb(g.firstMedian)} | ${fmt.mb(g.lastMedian)} | **${fmt.pct(g.pct)}** | ${fmt.pct(g.slopePctPerHour)} per hour, ${fmt.pct(g.fitPct)} over the run after warm-up | ${g.met === null ? "n/a" : g.met ? "MET" : "MISSED"} |`;
  return [
    `| | end of warm-up (median of the first ${w} s after it) | end (median of the last ${w} s) | growth | linear fit | would be ≤ ${GOAL_PCT}% |`,
    "|---|---|---|---|---|---|",
    row("server RSS", a.rss),
    row("V8 heap used", a.heap),
    "",
    `The change between the two medians, as % of the first, and a least-squares line through every second after the warm-up: how the soak judged before it read memory after major GCs, kept for comparison with earlier reports.`,
  ];
}

function minuteTable(a) {
  const lines = [
    "| minute | RSS | heap used | after major GCs: heap / RSS (GCs) | tick p50 | tick p99 | worst second's p99 | patch p99 | bots / server clients | server CPU | bots' CPU | drops | reconnected / failed | interactions sent / replied / refused | errors | disconnects |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const m of a.minutes) {
    lines.push(`| ${m.minute}–${m.minute + 1}${m.warmup ? " (warm-up)" : ""}${m.seconds < 60 ? ` (${m.seconds} s)` : ""} | ${fmt.mb(m.rssMB)} | ${fmt.mb(m.heapUsedMB)} | ${m.majorGcs ? `${fmt.mb(m.heapAfterGcMB)} / ${fmt.mb(m.rssAfterGcMB)} (${m.majorGcs})` : "–"} | ${fmt.ms(m.tickP50)} | ${fmt.ms(m.tickP99, m.tickOver)} | ${fmt.ms(m.tickP99MaxSecond)} | ${fmt.ms(m.patchP99)} | ${fmt.n(m.connected)} / ${fmt.n(m.serverClients)} | ${fmt.pct(m.serverCpuPct, false)} | ${fmt.pct(m.runnerCpuPct, false)} | ${m.drops} | ${m.reconnectOk} / ${m.reconnectFailed} | ${m.interactSent} / ${m.interactReplies} / ${m.interactRefused} | ${m.errors} | ${m.disconnects} |`);
  }
  return lines;
}

function detailRows(t) {
  return [
    ["interaction replies", fmt.table(t.tables.replies)],
    ["interaction refusals (error codes)", fmt.table(t.tables.refusals)],
    ["failed reconnections", fmt.table(t.tables.reconnectErrors)],
    ["join errors", fmt.table(t.tables.joinErrors)],
    ["error messages (not interactions)", fmt.table(t.tables.errorCodes)],
    ["unexpected disconnects (close codes)", fmt.table(t.tables.disconnectCodes)],
    ["SDK logs", fmt.table(t.tables.clientLogs)],
    ["bot faults (exceptions in the soak's own bots)", fmt.table(t.tables.botFaults)],
  ];
}

const tableOf = (rows) => ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${String(v).replaceAll("|", "\\|").replaceAll("\n", " ")} |`)];

/** Writes report.json and report.md; `plots` lists the plot files written (names in outDir). */
export function writeSoakReports({ outDir, result, plots }) {
  writeFileSync(join(outDir, "report.json"), JSON.stringify(result, null, 1));
  const a = result.analysis;
  const image = plots.find((p) => p.endsWith(".png")) ?? plots.find((p) => p.endsWith(".svg"));
  const md = [
    `# Soak, ${result.startedAt}`, "", `\`npm run soak -- ${result.argv.join(" ")}\``, "",
    ...tableOf(headline(result)), "",
    "## Memory growth after the warm-up", "", ...growthTable(a), "",
    "## Over time", "", ...(image ? [`![${image}](${image})`, ""] : []), ...minuteTable(a), "",
    "RSS and heap used: medians of the minute's seconds. After major GCs: medians of the minute's readings right after a major GC, and how many major GCs the minute had (– for none). Tick time: `arbiter_tick_duration_seconds`, one world tick's core step, summed over the worlds; each minute's quantiles come from that minute's bucket deltas (linear inside a bucket; bounds 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100 ms, so a figure is as exact as its bucket). \"Worst second's p99\" is the highest of the minute's per-second p99s. Patch: `arbiter_patch_duration_seconds`, one patch to every client.", "",
    "## Run", "", ...tableOf(runRows(result)), "",
    "## Reconnects, interactions, errors", "", ...tableOf(detailRows(a.totals)), "",
    "A dropped connection is a destroyed TCP socket without a leave (the server sees 1006); the bot reconnects with `client.reconnect(room.reconnectionToken)` after 0.5–3 s and counts a success when `welcome` names its actor again. An unexpected disconnect is a connection that closed when its bot did not drop it. Errors are `error` messages other than interaction refusals (`command/downed`: a move sent just before the bot was downed by an Aggressive NPC it pushed).",
  ];
  writeFileSync(join(outDir, "report.md"), md.join("\n") + "\n");
}

/** The terminal's summary. */
export function printSoakSummary({ result, outDir }) {
  console.log(`\nSoak: ${result.options.clients} clients, ${(result.analysis.seconds / 60).toFixed(1)} minutes`);
  for (const [k, v] of headline(result)) console.log(`  ${k.padEnd(32)} ${v.replaceAll("**", "")}`);
  if (outDir) console.log(`\nreport: ${join(outDir, "report.md")}`);
}
