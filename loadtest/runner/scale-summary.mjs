// Figures of a run on several Arbiter processes (--processes N, issue 14): what each process carried,
// and what the processes asked of Redis.
//
// - Per process: its mean CPU (% of one core) and clients over the steady window, and the worlds it
//   hosted. The run's server CPU is the sum of every process's (summary.mjs), so its CPU per
//   client-second is directly comparable with one process's.
// - Redis commands per join: the commands Redis ran (redis-stats.mjs: `INFO commandstats`, calls
//   summed, the runner's own left out) from just before t0 to the end of the join phase (the end of
//   the second in which the last client's join succeeded or failed), divided by the joins. The
//   processes' background work runs meanwhile (session and claim renewals, presence), so the steady
//   window's rate is given too, per client-second, and an estimate of the joins' own share: the
//   join phase's commands less that rate times the client-seconds connected during the join phase,
//   in total and per command (each command's own steady rate).
import { commandDelta } from "./redis-stats.mjs";
import { mean } from "./stats.mjs";

/** How many commands of the per-join breakdown the report lists. */
const TOP_COMMANDS = 8;

/** Per process over the steady window: [{ endpoint, meanCpuPct, meanClients, worlds }], or undefined for one process. */
export function summarizeProcesses(run, steady) {
  if (!run.hosts) return undefined;
  return run.hosts.map((host, i) => ({
    endpoint: host.endpoint,
    meanCpuPct: mean(steady.map((s) => s.processes?.[i]?.cpuPct ?? null)),
    meanClients: mean(steady.map((s) => s.processes?.[i]?.serverClients ?? null)),
    worlds: host.worlds,
  }));
}

/** The second after the last join settled (succeeded or failed): the join phase is [0, end). */
export function joinPhaseEnd(run) {
  let settled = 0;
  let last = 0;
  for (const s of run.series) {
    settled += s.joins + s.joinFailures;
    if (s.joins + s.joinFailures > 0) last = s.t;
    if (settled >= run.clients) return s.t + 1;
  }
  return last + 1;
}

/**
 * Redis over the run, or undefined without Redis: { joinPhase: { seconds, commands, joins, perJoin,
 * netPerJoin, byCommand: [[command, per join, net per join]], otherClients }, steady: { perSecond,
 * perClientSecond } }. Nulls where a reading is missing.
 */
export function summarizeRedis(run, steady) {
  if (!run.redis) return undefined;
  const { baseline, readings } = run.redis;
  const end = joinPhaseEnd(run);
  const endIndex = readings.findIndex((r, k) => k >= end - 1 && r !== null);
  const after = endIndex >= 0 ? readings[endIndex] : null;
  const joins = run.series.slice(0, end).reduce((a, s) => a + s.joins, 0);
  const perSecond = mean(steady.map((s) => s.redisCommands ?? null));
  const meanCcu = mean(steady.map((s) => s.connected));
  const perClientSecond = perSecond !== null && meanCcu ? perSecond / meanCcu : null;
  const steadyPart = { perSecond, perClientSecond };
  if (!baseline || !after) return { joinPhase: { seconds: end, commands: null, joins, perJoin: null, netPerJoin: null, byCommand: [], otherClients: null }, steady: steadyPart };
  const commands = after.total - baseline.total;
  // Client-seconds connected before the phase's end (a second's CCU, at its end, stands for that second).
  const clientSeconds = run.series.slice(0, endIndex + 1).reduce((a, s) => a + s.connected, 0);
  const background = perClientSecond === null ? null : perClientSecond * clientSeconds;
  const steadyCalls = steadyCallsPerClientSecond(run, steady);
  const net = (command, n) => (steadyCalls ? (n - (steadyCalls[command] ?? 0) * clientSeconds) / joins : null);
  const byCommand = Object.entries(commandDelta(baseline, after)).sort((a, b) => b[1] - a[1]).slice(0, TOP_COMMANDS).map(([command, n]) => [command, joins ? n / joins : null, joins ? net(command, n) : null]);
  const otherClients = Math.max(baseline.otherClients, ...readings.slice(0, endIndex + 1).map((r) => r?.otherClients ?? 0));
  return {
    joinPhase: {
      seconds: endIndex + 1, commands, joins,
      perJoin: joins ? commands / joins : null,
      netPerJoin: joins && background !== null ? (commands - background) / joins : null,
      byCommand, otherClients,
    },
    steady: steadyPart,
  };
}

/** Each command's calls per client-second over the steady window ({ command: rate }), or null without its two readings. */
function steadyCallsPerClientSecond(run, steady) {
  if (steady.length === 0) return null;
  const from = steady[0].t;
  const to = steady.at(-1).t + 1;
  const before = from === 0 ? run.redis.baseline : run.redis.readings[from - 1];
  const after = run.redis.readings[to - 1];
  const meanCcu = mean(steady.map((s) => s.connected));
  if (!before || !after || !meanCcu) return null;
  const rates = {};
  for (const [command, calls] of Object.entries(commandDelta(before, after))) rates[command] = calls / (to - from) / meanCcu;
  return rates;
}

const n = (v, digits = 0) => (v === null || v === undefined ? "n/a" : v.toFixed(digits));

/** Report rows (label → value) of the processes and Redis; none for one process without Redis. */
export function describeScale(run) {
  const rows = [];
  const p = run.summary.processes;
  if (p) {
    rows.push(["processes", `${p.length} Arbiter processes sharing one database and one Redis; the run signed in once on each, and client i (from 0, in join order) asked process (i mod ${p.length}) + 1 for its seat, with that process's token; server CPU, clients and RSS above are their sums`]);
    p.forEach((one, i) => {
      const worlds = Object.entries(one.worlds).map(([id, most]) => `${id} (at most ${most} clients)`).join(", ") || "none";
      rows.push([`process ${i + 1}`, `${one.endpoint}: mean CPU ${n(one.meanCpuPct, 1)}% of one core, mean ${n(one.meanClients)} clients; hosted ${worlds}`]);
    });
  }
  const r = run.summary.redis;
  if (r) {
    const j = r.joinPhase;
    const others = j.otherClients ? ` Warning: ${j.otherClients} connection(s) to other databases of that Redis during the join phase; their commands are counted too.` : "";
    rows.push(["Redis", `${run.redis.url}, emptied before the run; commands from INFO commandstats (calls summed over every command, the runner's own INFO and CLIENT LIST left out; a pipelined command counts as one, and so does each command a Lua script runs)`]);
    rows.push(["Redis commands per join", `${n(j.perJoin, 1)} (${j.commands ?? "n/a"} commands over the join phase, 0–${j.seconds} s, for ${j.joins} joins); less the background at the steady rate, about ${n(j.netPerJoin, 1)}.${others}`]);
    if (j.byCommand.length) rows.push(["Redis per join, by command", `${j.byCommand.map(([command, per, net]) => `${command} ${n(per, 2)} (net ${n(net, 2)})`).join(", ")}; net: less that command's own steady rate`]);
    rows.push(["Redis, steady window", `${n(r.steady.perSecond)} commands/s, ${n(r.steady.perClientSecond, 3)} per client-second (renewals of connected sessions and world claims, presence)`]);
  }
  return rows;
}
