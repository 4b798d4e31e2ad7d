// Headline figures of a load run, and the bare-vs-Arbiter comparison.
//
// Averages are taken over the steady window: from the first second, after the ramp, in which the
// CCU stood at its peak, to the last full second before the clients leave; a run too short for a
// window uses every second with a client connected. "Server CPU per client" is the window's mean CPU (ms of CPU per
// wall-clock second: % of one core × 10) divided by its mean CCU, in ms of CPU per client-second.
import { max, mean } from "./stats.mjs";

/** The seconds of the steady window in a run's series. */
export function steadyWindow(run) {
  const peak = max(run.series.map((s) => s.connected)) ?? 0;
  const atPeak = run.series.find((s) => s.t >= Math.ceil(run.rampSeconds) && s.connected === peak);
  const from = atPeak ? atPeak.t : Math.ceil(run.rampSeconds) + 1;
  const to = run.seconds - 1;
  const steady = run.series.filter((s) => s.t >= from && s.t < to);
  return steady.length > 0 ? steady : run.series.filter((s) => s.connected > 0);
}

/** { ccu, rates, cpu, rss, runner, verdict } for one run. */
export function summarize(run) {
  const steady = steadyWindow(run);
  const ccu = steady.map((s) => s.connected);
  const cpu = steady.map((s) => s.serverCpuPct);
  const meanCcu = mean(ccu);
  const meanCpu = mean(cpu);
  const rss = run.series.map((s) => s.serverRssMB).filter((v) => v !== null);
  const rate = (key) => mean(steady.map((s) => s[key]));
  const serverRate = (key) => mean(steady.map((s) => s.serverRates?.[key] ?? null));
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
    runner: { meanCpuPct: mean(steady.map((s) => s.runnerCpuPct)), meanWorkerBusy: mean(steady.map((s) => s.workerBusy)), maxWorkerBusy: max(steady.map((s) => s.workerBusy)) },
    verdict: verdict(run),
  };
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
  };
}
