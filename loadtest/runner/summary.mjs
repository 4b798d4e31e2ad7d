// Headline figures of a load run, and the bare-vs-Arbiter comparison.
//
// Averages are taken over the steady window: from the first second, after the ramp, in which the
// CCU stood at its peak, to the last full second before the clients leave; a run too short for a
// window uses every second with a client connected. "Server CPU per client" is the window's mean CPU (ms of CPU per
// wall-clock second: % of one core × 10) divided by its mean CCU, in ms of CPU per client-second.
// The generator's CPU per bot is worked out the same way from each kind's worker threads: their
// thread CPU over the window divided by their mean connected bots.
//
// Saturation: the generator is saturated at ≥ 90% of the CPUs it may use, or when its busiest worker's
// event loop is ≥ 90% busy on average (that worker's bots then read and move late); the server at
// ≥ 90% of one core, since its event loop is one thread whatever the CPUs it may use. Several server
// processes are saturated when one of them is at ≥ 90% of one core, or all together at ≥ 90% of the
// server CPUs they are pinned to (two processes on one core share that core).
import { summarizeProcesses, summarizeRedis } from "./scale-summary.mjs";
import { max, mean } from "./stats.mjs";

const SATURATED = 0.9;

/** The seconds of the steady window in a run's series. */
export function steadyWindow(run) {
  const peak = max(run.series.map((s) => s.connected)) ?? 0;
  const atPeak = run.series.find((s) => s.t >= Math.ceil(run.rampSeconds) && s.connected === peak);
  const from = atPeak ? atPeak.t : Math.ceil(run.rampSeconds) + 1;
  const to = run.seconds - 1;
  const steady = run.series.filter((s) => s.t >= from && s.t < to);
  return steady.length > 0 ? steady : run.series.filter((s) => s.connected > 0);
}

/** The largest non-null `key` over the run's seconds and the second it was read: { max, t }, or null when none was read. */
function peakAt(series, key) {
  let peak = null;
  for (const s of series) if (s[key] !== null && s[key] !== undefined && (peak === null || s[key] > peak.max)) peak = { max: s[key], t: s.t };
  return peak;
}

/**
 * { window, ccu, rates, cpu, rss, acceptQueue, generator, saturation, verdict, processes, redis } for
 * one run; processes and redis (scale-summary.mjs) are undefined for one process without Redis.
 */
export function summarize(run) {
  const steady = steadyWindow(run);
  const ccu = steady.map((s) => s.connected);
  const cpu = steady.map((s) => s.serverCpuPct);
  const meanCcu = mean(ccu);
  const meanCpu = mean(cpu);
  const rss = run.series.map((s) => s.serverRssMB).filter((v) => v !== null);
  const rate = (key) => mean(steady.map((s) => s[key]));
  const serverRate = (key) => mean(steady.map((s) => s.serverRates?.[key] ?? null));
  const generator = summarizeGenerator(run, steady);
  const processes = summarizeProcesses(run, steady);
  return {
    window: steady.length ? [steady[0].t, steady.at(-1).t + 1] : null,
    ccu: { peak: max(run.series.map((s) => s.connected)) ?? 0, heldMin: ccu.length ? Math.min(...ccu) : 0, mean: meanCcu },
    rates: {
      movesOut: rate("movesOut"), msgsIn: rate("msgsIn"), bytesIn: rate("bytesIn"), patches: rate("patches"),
      serverActions: serverRate("actions"), serverPushes: serverRate("pushes"), serverBytesSent: serverRate("bytesSent"),
    },
    cpu: {
      meanPct: meanCpu,
      maxPct: max(cpu),
      msPerClientSecond: meanCpu !== null && meanCcu ? (meanCpu * 10) / meanCcu : null,
    },
    rss: { startMB: rss[0] ?? null, maxMB: max(rss), endMB: rss.at(-1) ?? null },
    acceptQueue: peakAt(run.series, "acceptQueue"),
    generator,
    saturation: judgeSaturation({ generator, serverCpuPct: meanCpu, placement: run.placement, processCpuPcts: processes?.map((p) => p.meanCpuPct) }),
    verdict: verdict(run),
    processes,
    redis: summarizeRedis(run, steady),
  };
}

/**
 * The load generator over the window: its process CPU (% of one core, all threads) and per CPU it
 * may use; per kind of bot, its workers' thread CPU, mean bots and ms of CPU per bot-second; the
 * rest (main thread, V8's GC helper threads), and how many times a probe costs a thin bot.
 */
function summarizeGenerator(run, steady) {
  const cores = run.placement?.generator.length ?? 1;
  const meanCpuPct = mean(steady.map((s) => s.runnerCpuPct));
  const perKind = (kind) => {
    const cpuPct = mean(steady.map((s) => s[`${kind}CpuPct`]));
    const bots = mean(steady.map((s) => s[`${kind}Connected`]));
    return { cpuPct, bots, msPerBotSecond: cpuPct !== null && bots ? (cpuPct * 10) / bots : null };
  };
  const thin = perKind("thin");
  const probe = perKind("probe");
  return {
    cores, pinned: run.placement?.pinned ?? false, meanCpuPct,
    pctOfCores: meanCpuPct === null ? null : meanCpuPct / cores,
    thin, probe,
    otherCpuPct: meanCpuPct === null ? null : meanCpuPct - (thin.cpuPct ?? 0) - (probe.cpuPct ?? 0),
    probeToThin: probe.msPerBotSecond !== null && thin.msPerBotSecond ? probe.msPerBotSecond / thin.msPerBotSecond : null,
    meanWorkerBusy: mean(steady.map((s) => s.workerBusy)),
    maxWorkerBusy: max(steady.map((s) => s.workerBusy)),
  };
}

/**
 * { generator, server, statement }: which side was saturated, said plainly. processCpuPcts: each
 * server process's mean CPU (% of one core) when there are several, else undefined.
 */
export function judgeSaturation({ generator: g, serverCpuPct, placement, processCpuPcts }) {
  const pct = (v) => `${v.toFixed(0)}%`;
  const cpus = `${g.cores} CPU${g.cores === 1 ? "" : "s"}`;
  const why = [];
  if ((g.pctOfCores ?? 0) >= SATURATED * 100) why.push(`${pct(g.pctOfCores)} of its ${cpus}`);
  if ((g.meanWorkerBusy ?? 0) >= SATURATED) why.push(`its busiest worker's event loop ${pct(g.meanWorkerBusy * 100)} busy`);
  const generator = why.length > 0;
  const gen = generator ? why.join(", ") : `${g.pctOfCores === null ? "n/a" : pct(g.pctOfCores)} of its ${cpus}, busiest worker's event loop ${g.meanWorkerBusy === null ? "n/a" : pct(g.meanWorkerBusy * 100)} busy`;
  let server = serverCpuPct !== null && serverCpuPct >= SATURATED * 100;
  let srv = serverCpuPct === null ? "unknown (no /metrics)" : `${pct(serverCpuPct)} of one core`;
  if (processCpuPcts && serverCpuPct !== null) {
    const serverCores = placement?.pinned && placement.server ? placement.server.length : undefined;
    server = processCpuPcts.some((v) => v !== null && v >= SATURATED * 100) || (serverCores !== undefined && serverCpuPct >= SATURATED * 100 * serverCores);
    srv = `${pct(serverCpuPct)} of one core over ${processCpuPcts.length} processes (${processCpuPcts.map((v) => (v === null ? "n/a" : pct(v))).join(" + ")})${serverCores === undefined ? "" : ` on ${serverCores} CPU${serverCores === 1 ? "" : "s"}`}`;
  }
  let statement;
  if (generator && !server) statement = `The load generator, not the server, was saturated (${gen}); the server was at ${srv}. The server's figures understate what it can take, and latencies include delay in the generator.`;
  else if (server && !generator) statement = `The server was saturated (${srv}, ${processCpuPcts ? "its CPUs or one process's event loop at their ceiling" : "its event loop's ceiling"}); the load generator was not (${gen}).`;
  else if (server && generator) statement = `Both were saturated: the server at ${srv}, the load generator at ${gen}; latencies include delay in the generator.`;
  else statement = `Neither was saturated: the server at ${srv}, the load generator at ${gen}.`;
  if (!placement?.pinned) statement += " They were not pinned apart, so each one's load slowed the other.";
  return { generator, server, statement };
}

/** The smoke verdict: failed joins, errors, unexpected disconnects and runner faults; never a timing. */
export function verdict(run) {
  const problems = [];
  const t = run.totals;
  if (t.joins < run.clients) problems.push(`${run.clients - t.joins} of ${run.clients} clients did not join`);
  if (t.errors > 0) problems.push(`${t.errors} errors ${JSON.stringify(t.errorCodes)}`);
  if (t.disconnects > 0) problems.push(`${t.disconnects} unexpected disconnects (close codes ${JSON.stringify(t.disconnectCodes)})`);
  for (const fault of t.faults) problems.push(fault.split("\n")[0]);
  return { ok: problems.length === 0, problems };
}

/** Bare vs Arbiter: CPU per client of each, and the ratio (Arbiter ÷ bare). */
export function compare(bare, arbiter) {
  const b = bare.summary.cpu.msPerClientSecond;
  const a = arbiter.summary.cpu.msPerClientSecond;
  return {
    bareMsPerClientSecond: b,
    arbiterMsPerClientSecond: a,
    cpuRatio: a !== null && b ? a / b : null,
    bareP99: bare.latency.p99,
    arbiterP99: arbiter.latency.p99,
    bareRssMaxMB: bare.summary.rss.maxMB,
    arbiterRssMaxMB: arbiter.summary.rss.maxMB,
    generator: { bare: bare.summary.generator, arbiter: arbiter.summary.generator },
  };
}
