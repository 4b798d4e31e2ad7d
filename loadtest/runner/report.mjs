// Reports of a load test: the summary printed to the terminal, and `report.md` + `report.json` in
// the output directory (the plot files are written by plot.mjs next to them). report.json holds
// everything: the options, each run's totals, summary and per-second series, and the comparison.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeScale } from "./scale-summary.mjs";

/** Below this many thin bots per worker, the worker's fixed cost weighs on their CPU per bot. */
const FEW_BOTS_PER_WORKER = 200;

const fmt = {
  ms: (v) => (v === null || v === undefined ? "n/a" : `${v.toFixed(1)} ms`),
  n: (v, digits = 0) => (v === null || v === undefined ? "n/a" : v.toFixed(digits)),
  pct: (v) => (v === null || v === undefined ? "n/a" : `${v.toFixed(1)}%`),
  mb: (v) => (v === null || v === undefined ? "n/a" : `${v.toFixed(0)} MB`),
  kb: (v) => (v === null || v === undefined ? "n/a" : `${(v / 1024).toFixed(0)} KB`),
  codes: (table) => (Object.keys(table ?? {}).length ? ` ${Object.entries(table).map(([k, n]) => `${k} ×${n}`).join(", ")}` : ""),
};

/** Label → value rows describing one run (shared by the terminal and report.md). */
export function describeRun(run) {
  const { summary: s, totals: t, latency } = run;
  const window = s.window ? `${s.window[0]}–${s.window[1]} s` : "none";
  const rows = [
    ["server", `${run.label} at ${run.endpoint}`],
    ["clients", `${run.clients} requested: ${run.thin} thin bots over ${run.workers.thin} worker thread(s), ${run.probes} probes (full SDK clients) over ${run.workers.probe}; ramp ${fmt.n(run.rampSeconds, 1)} s, ${run.rate} moves/s each`],
    ["placement", run.placement?.note ?? "n/a"],
    ["joins", `${t.joins} joined, ${t.joinFailures} failed; join time p50 ${fmt.ms(run.joinLatency.p50)}, p99 ${fmt.ms(run.joinLatency.p99)}`],
    ["CCU", `peak ${s.ccu.peak}, held ≥ ${s.ccu.heldMin} over the steady window ${window} (mean ${fmt.n(s.ccu.mean)})`],
    ["messages out (client → server)", `${fmt.n(s.rates.movesOut)}/s (moves)`],
    ["messages in (server → clients)", `${fmt.n(s.rates.msgsIn)}/s, ${fmt.kb(s.rates.bytesIn)}/s over all clients`],
    ["moves seen", `${t.moved} moved, ${t.blocked} blocked, ${t.displaced} displaced by a push`],
    ["move → patch latency (probes)", `p50 ${fmt.ms(latency.p50)}, p95 ${fmt.ms(latency.p95)}, p99 ${fmt.ms(latency.p99)}, max ${fmt.ms(latency.max)} (${latency.samples} samples)`],
    ["errors", `${t.errors}${fmt.codes(t.errorCodes)}`],
    ["unexpected disconnects", `${t.disconnects}${fmt.codes(t.disconnectCodes)}`],
    ["server CPU", `mean ${fmt.pct(s.cpu.meanPct)}, max ${fmt.pct(s.cpu.maxPct)} of one core; ${fmt.n(s.cpu.msPerClientSecond, 3)} ms CPU per client-second`],
    ["server RSS", `${fmt.mb(s.rss.startMB)} at start, max ${fmt.mb(s.rss.maxMB)}, ${fmt.mb(s.rss.endMB)} at end`],
    ["accept queue", s.acceptQueue ? `at most ${s.acceptQueue.max} connections the kernel had completed and the server had not yet accepted (at ${s.acceptQueue.t} s); Node accepts one per event-loop turn` : "not read (Linux's /proc/net/tcp only)"],
  ];
  rows.push(...describeScale(run));
  if (s.rates.serverActions !== null) {
    rows.push(["server pipeline", `${fmt.n(s.rates.serverActions)} actions/s, ${fmt.n(s.rates.serverPushes)} pushes/s, ${fmt.kb(s.rates.serverBytesSent)}/s sent`]);
  }
  rows.push(...describeGenerator(run), ["saturation", s.saturation.statement]);
  for (const [message, n] of Object.entries(t.joinErrors)) rows.push(["join error", `×${n}: ${message}`]);
  for (const [message, n] of Object.entries(t.clientLogs ?? {})) rows.push(["SDK log", `×${n}: ${message}`]);
  for (const fault of t.faults) rows.push(["fault", fault.split("\n")[0]]);
  return rows;
}

/** The generator's rows: its CPU, split by kind of worker, and its CPU per bot of each kind. */
function describeGenerator(run) {
  const g = run.summary.generator;
  const busy = (v) => fmt.pct(v === null ? null : v * 100);
  const perBot = (k) => `${fmt.n(g[k].msPerBotSecond, 3)} ms per ${k} bot-second (${fmt.n(g[k].bots)} ${k} bots, ${fmt.pct(g[k].cpuPct)} of one core)`;
  return [
    ["load generator CPU", `${fmt.pct(g.meanCpuPct)} of one core, all threads: ${fmt.pct(g.pctOfCores)} of its ${g.cores} CPU(s); thin bots' workers ${fmt.pct(g.thin.cpuPct)}, probes' workers ${fmt.pct(g.probe.cpuPct)}, the rest (main thread, GC helpers) ${fmt.pct(g.otherCpuPct)}; busiest worker's event loop ${busy(g.meanWorkerBusy)} busy on average, ${busy(g.maxWorkerBusy)} at most`],
    ["generator CPU per bot", `thin ${perBot("thin")}; probe ${perBot("probe")}; a probe costs ${g.probeToThin === null ? "n/a" : `${g.probeToThin.toFixed(1)}×`} a thin bot (thread CPU from ${run.cpuSource || "n/a"})`],
  ];
}

function notes(run) {
  const out = [];
  if (run.summary.saturation.generator) out.push("the load generator was saturated: try fewer clients or probes, or give it more CPUs (--generator-cpus)");
  // A thin worker's timers (its scheduler, its naps) cost about 2.5% of a core whatever its bot count.
  if (run.workers.thin > 0 && run.thin / run.workers.thin < FEW_BOTS_PER_WORKER) {
    out.push(`fewer than ${FEW_BOTS_PER_WORKER} thin bots per worker: their CPU per bot is mostly the worker's fixed cost (its timers); compare thin bots and probes with a few hundred thin bots per worker`);
  }
  if (run.summary.cpu.meanPct === null) out.push("no server metrics: pass --metrics-token or --admin-password with --endpoint");
  return out;
}

/** Prints the summary of every run and the comparison; broke: the run ended early on an error (a server that did not start…). */
export function printSummary({ runs, comparison, outDir, smoke, broke = false }) {
  for (const run of runs) {
    console.log(`\n${run.label === "bare" ? "Bare Colyseus room" : "Arbiter"}: ${run.clients} clients, ${run.seconds} s`);
    for (const [k, v] of describeRun(run)) console.log(`  ${k.padEnd(32)} ${v}`);
    for (const note of notes(run)) console.log(`  note: ${note}`);
  }
  if (comparison) {
    console.log("\nServer CPU per client (ms of CPU per client-second, steady window)");
    console.log(`  bare Colyseus room   ${fmt.n(comparison.bareMsPerClientSecond, 3)}`);
    console.log(`  Arbiter              ${fmt.n(comparison.arbiterMsPerClientSecond, 3)}`);
    console.log(`  ratio Arbiter / bare ${comparison.cpuRatio === null ? "n/a" : `${comparison.cpuRatio.toFixed(2)}×`}`);
    console.log("Load generator CPU per bot (ms of thread CPU per bot-second, steady window; the same thin bots and probes against both)");
    for (const [label, g] of [["bare Colyseus room", comparison.generator.bare], ["Arbiter", comparison.generator.arbiter]]) {
      console.log(`  ${label.padEnd(20)} thin ${fmt.n(g.thin.msPerBotSecond, 3)}, probe ${fmt.n(g.probe.msPerBotSecond, 3)}, probe / thin ${g.probeToThin === null ? "n/a" : `${g.probeToThin.toFixed(1)}×`}`);
    }
  }
  if (outDir) console.log(`\nreport: ${join(outDir, "report.md")}`);
  if (smoke) {
    const problems = runs.flatMap((r) => r.summary.verdict.problems.map((p) => `${r.label}: ${p}`));
    if (broke) problems.push("the run broke before it finished (see the error above)");
    console.log(problems.length === 0 ? "smoke: ok" : `smoke: FAILED\n  ${problems.join("\n  ")}`);
  }
}

/** Writes report.json and report.md; `plots` lists the plot files written (names in outDir). */
export function writeReports({ outDir, options, startedAt, runs, comparison, plots }) {
  writeFileSync(join(outDir, "report.json"), JSON.stringify({ startedAt, options, runs, comparison }, null, 1));
  const md = [`# Load test, ${startedAt}`, "", `\`npm run loadtest -- ${options.argv.join(" ")}\``, "", ...headline(runs), ""];
  for (const run of runs) {
    md.push(`## ${run.label === "bare" ? "Bare Colyseus room" : "Arbiter"}`, "", "| | |", "|---|---|");
    for (const [k, v] of describeRun(run)) md.push(`| ${k} | ${v.replaceAll("|", "\\|")} |`);
    md.push("", ...notes(run).map((n) => `> ${n}`), "");
  }
  if (comparison) {
    md.push("## Bare Colyseus vs Arbiter", "", "| | bare | Arbiter |", "|---|---|---|");
    md.push(`| server CPU per client (ms per client-second) | ${fmt.n(comparison.bareMsPerClientSecond, 3)} | ${fmt.n(comparison.arbiterMsPerClientSecond, 3)} |`);
    md.push(`| move → patch p99 | ${fmt.ms(comparison.bareP99)} | ${fmt.ms(comparison.arbiterP99)} |`);
    md.push(`| server RSS max | ${fmt.mb(comparison.bareRssMaxMB)} | ${fmt.mb(comparison.arbiterRssMaxMB)} |`);
    const g = comparison.generator;
    md.push(`| generator CPU per thin bot (ms per bot-second) | ${fmt.n(g.bare.thin.msPerBotSecond, 3)} | ${fmt.n(g.arbiter.thin.msPerBotSecond, 3)} |`);
    md.push(`| generator CPU per probe (ms per bot-second) | ${fmt.n(g.bare.probe.msPerBotSecond, 3)} | ${fmt.n(g.arbiter.probe.msPerBotSecond, 3)} |`);
    md.push(`| saturated | ${saturatedSide(runs[0])} | ${saturatedSide(runs[1])} |`);
    md.push("", `Arbiter uses **${comparison.cpuRatio === null ? "n/a" : `${comparison.cpuRatio.toFixed(2)}×`}** the CPU per client of the bare room.`, "");
  }
  md.push("## Over time", "", ...plots.filter((p) => p.endsWith(".svg")).map((p) => `![${p}](${p})`), "");
  md.push(...perSecondTable(runs), "");
  md.push([
    "Latency: measured by the probes only, from sending a move to the first patch showing the actor on its new cell.",
    "Server CPU: % of one core, from `process_cpu_seconds_total` deltas of `/metrics`, read every second.",
    "Load generator CPU: the runner's process CPU (`process.cpuUsage()`, every thread); per kind of bot, the thread CPU of that kind's worker threads (thin bots and probes never share a worker), divided by the kind's mean connected bots over the steady window.",
    "CPU that no worker owns (V8's GC helper threads, the main thread) is in neither per-bot figure; probes allocate more, so the probe / thin ratio is if anything understated.",
  ].join(" "));
  writeFileSync(join(outDir, "report.md"), md.join("\n") + "\n");
}

/** The headline table: one row per Arbiter run with the figures that compare processes. */
function headline(runs) {
  const lines = ["| processes | CCU held | probe p99 | server CPU per client-second (all processes) | Redis commands per join |", "|---|---|---|---|---|"];
  for (const run of runs.filter((r) => r.label !== "bare")) {
    const { summary: s } = run;
    const redis = s.redis ? `${fmt.n(s.redis.joinPhase.perJoin, 1)} (net of background ≈ ${fmt.n(s.redis.joinPhase.netPerJoin, 1)})` : "no Redis";
    lines.push(`| ${run.endpoints?.length ?? 1} | ${s.ccu.heldMin} of ${run.clients} | ${fmt.ms(run.latency.p99)} | ${fmt.n(s.cpu.msPerClientSecond, 3)} ms | ${redis} |`);
  }
  return lines;
}

function saturatedSide({ summary: { saturation: s } }) {
  if (s.generator && s.server) return "both";
  return s.generator ? "load generator" : s.server ? "server" : "neither";
}

function perSecondTable(runs) {
  // With several processes, each one's CPU and clients; with Redis, its commands in that second.
  const perProcess = runs.some((r) => r.series.some((s) => s.processes));
  const redis = runs.some((r) => r.series.some((s) => "redisCommands" in s));
  const extra = [...(perProcess ? ["CPU / clients per process"] : []), ...(redis ? ["Redis commands"] : [])];
  const head = ["run", "s", "CCU", "moves out/s", "msgs in/s", "p50", "p95", "p99", "server CPU", "generator CPU", "thin / probe workers' CPU", "RSS", "accept queue", "errors", "disconnects", ...extra];
  const lines = ["<details><summary>per second</summary>", "", `| ${head.join(" | ")} |`, `|${"---|".repeat(head.length)}`];
  for (const run of runs) {
    for (const s of run.series) {
      const cells = [run.label, s.t, s.connected, s.movesOut, s.msgsIn, fmt.ms(s.p50), fmt.ms(s.p95), fmt.ms(s.p99), fmt.pct(s.serverCpuPct), fmt.pct(s.runnerCpuPct), `${fmt.pct(s.thinCpuPct)} / ${fmt.pct(s.probeCpuPct)}`, fmt.mb(s.serverRssMB), s.acceptQueue ?? "n/a", s.errors, s.disconnects];
      if (perProcess) cells.push((s.processes ?? []).map((p) => `${fmt.pct(p.cpuPct)} / ${p.serverClients ?? "n/a"}`).join(", ") || "n/a");
      if (redis) cells.push(s.redisCommands ?? "n/a");
      lines.push(`| ${cells.join(" | ")} |`);
    }
  }
  lines.push("", "</details>");
  return lines;
}
