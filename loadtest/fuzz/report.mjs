// The fuzzer's verdict: one summary line (`fuzz: N sent, …`), then one PASS/FAIL line per check,
// and, when the server went down, the items sent just before and the server log's tail.
import { readFileSync, statSync } from "node:fs";
import { describeItem, formatCounts, total } from "./tally.mjs";
import { walkerScore } from "./walker.mjs";

/** Heap in use may end at most this much above its baseline (ratio; readings: heap-monitor.mjs). */
export const HEAP_GROWTH_LIMIT = 1.2;
/** Share of the walker's moves that must resolve. */
export const WALKER_RESOLVED_MIN = 0.95;

/** { bytes, lines, stackLines, top: [[line start, n]] } of the server log (stack lines: "    at …"). */
export function readLogStats(path) {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { bytes: 0, lines: 0, stackLines: 0, top: [] };
  }
  const lines = text.split("\n").filter((l) => l !== "");
  const counts = new Map();
  let stackLines = 0;
  for (const line of lines) {
    if (/^\s+at\s/.test(line)) {
      stackLines++;
      continue;
    }
    const key = line.replace(/"time":\d+,?/, "").replace(/"pid":\d+,?/, "").slice(0, 110);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4);
  return { bytes: statSync(path).size, lines: lines.length, stackLines, top };
}

/**
 * The checks, each { name, ok, detail }. r: { opts, finished, health, snapshot, invariants,
 * walker, heapStart, heapEnd, sessions, tally, serverExit }.
 */
export function buildChecks(r) {
  const { resolved, sent } = walkerScore(r.walker);
  const checks = [];
  const add = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), detail });
  add("all messages sent", r.finished, `${r.tally.sent} of ${r.opts.count}${r.finished ? "" : " (stopped early: server down or deadline)"}`);
  add("server up", r.health?.ok && !r.serverExit, r.serverExit ? `the server exited during the run (${r.serverExit.code ?? r.serverExit.signal}) at ${r.serverExitAtS?.toFixed(1)} s` : `/__healthcheck ${r.health?.status}, process ${r.health?.alive ? "alive" : "gone"}`);
  add("world invariants", r.snapshot && r.invariants.length === 0, r.snapshot ? (r.invariants.length ? r.invariants.join("; ") : `${r.snapshot.actors.length} actors at tick ${r.snapshot.tick}: none shares a cell or stands on a wall, all NPCs present, player actors = connected clients`) : `final state not read: ${r.snapshotError}`);
  const share = sent > 0 ? resolved / sent : 0;
  add("well-behaved client", sent >= 10 && share >= WALKER_RESOLVED_MIN && r.walker.disconnected === undefined, `${resolved}/${sent} moves resolved (${(share * 100).toFixed(1)}%, needs ${WALKER_RESOLVED_MIN * 100}%), ${r.walker.disconnected === undefined ? "never disconnected" : `disconnected with ${r.walker.disconnected}`}`);
  add("heap back to baseline", heapCheck(r.heapStart, r.heapEnd), heapDetail(r.heapStart, r.heapEnd));
  add("rss below ceiling", r.heapEnd && r.heapEnd.rssMB < r.opts.rssCeilingMB, r.heapEnd ? `${r.heapEnd.rssMB.toFixed(0)} MB (ceiling ${r.opts.rssCeilingMB} MB)` : "/metrics not readable");
  const sessionsOk = typeof r.sessions === "number" && r.sessions <= r.tally.joins.ok;
  add("sessions ≤ successful joins", sessionsOk, typeof r.sessions === "number" ? `${r.sessions} sessions, ${r.tally.joins.ok} joins succeeded, ${total(r.tally.joins.refused)} refused` : `database not readable: ${r.sessions?.message}`);
  return checks;
}

function heapCheck(start, end) {
  return Boolean(start && end && end.heapMB <= start.heapMB * HEAP_GROWTH_LIMIT);
}

function heapDetail(start, end) {
  if (!start || !end) return "/metrics not readable";
  const change = Math.round((end.heapMB / start.heapMB - 1) * 100);
  return `${start.heapMB.toFixed(1)} → ${end.heapMB.toFixed(1)} MB (${change >= 0 ? "+" : ""}${change}%, limit +${Math.round((HEAP_GROWTH_LIMIT - 1) * 100)}%); baseline ${start.how}; end ${end.how}`;
}

/** The `fuzz: …` summary line. */
export function summaryLine(r, streams, elapsedS) {
  const w = r.walker;
  const { resolved, sent } = walkerScore(w);
  const heap = r.heapStart && r.heapEnd ? `${r.heapStart.heapMB.toFixed(1)} → ${r.heapEnd.heapMB.toFixed(1)} MB` : "n/a";
  const parts = [
    `fuzz: ${r.tally.sent} sent (sdk ${r.tally.sentBy.sdk}, raw ${r.tally.sentBy.raw}) in ${r.trafficS?.toFixed(1) ?? "?"} s of traffic, ${elapsedS.toFixed(1)} s in all, seed ${r.opts.seed}, digest ${streams.sdk.digest()}/${streams.raw.digest()}`,
    `hostile clients spent ${(r.tally.downMs.sdk / 1000).toFixed(1)} s (sdk) and ${(r.tally.downMs.raw / 1000).toFixed(1)} s (raw) rejoining`,
    `sdk categories: ${formatCounts(streams.sdk.byCategory)}`,
    `raw categories: ${formatCounts(streams.raw.byCategory)}`,
    `disconnects: ${formatCounts(r.tally.closes)}`,
    `error replies: ${formatCounts(r.tally.errors)}`,
    `requests: ${formatCounts(r.tally.responses)}`,
    `joins ok ${r.tally.joins.ok}, refused ${total(r.tally.joins.refused)} (${formatCounts(r.tally.joins.refused)}), failed ${total(r.tally.joins.failed)}${total(r.tally.joins.failed) ? ` (${formatCounts(r.tally.joins.failed)})` : ""}`,
    `full world: ${r.fill ? `${r.fill.opened} fillers, then ${r.fill.refusal ?? "no refusal"}` : "not run"}`,
    `walker ${resolved}/${sent} moves resolved (moved ${w.moved}, displaced ${w.displaced}, blocked ${w.blocked}, error ${w.errored}, ignored ${w.ignored}, timed out ${w.timedOut})`,
    `heap ${heap}, rss ${r.heapEnd ? `${r.heapEnd.rssMB.toFixed(0)} MB` : "n/a"}`,
    `sessions ${typeof r.sessions === "number" ? r.sessions : "n/a"}`,
    `server log ${r.log.bytes} bytes, ${r.log.lines} lines (${r.log.stackLines} stack-trace lines)`,
  ];
  if (total(r.tally.sendThrew) > 0) parts.push(`client-side send errors: ${formatCounts(r.tally.sendThrew)}`);
  return parts.join("; ");
}

/** Prints the summary, the checks, and the diagnosis of a failure. Returns true when all passed. */
export function printReport({ r, streams, elapsedS, logPath }) {
  console.log(summaryLine(r, streams, elapsedS));
  const checks = buildChecks(r);
  for (const c of checks) console.log(`${c.ok ? "PASS" : "FAIL"} ${c.name}: ${c.detail}`);
  if (r.log.top.length > 0) console.log(`server log, most frequent lines:\n${r.log.top.map(([line, n]) => `  ×${n} ${line}`).join("\n")}`);
  const passed = checks.every((c) => c.ok);
  if (r.serverExit) {
    console.log(`last items sent before the server went down at ${r.serverExitAtS?.toFixed(2)} s (time in ms since start, slot):`);
    for (const { atMs, slot, channel, item } of r.tally.recent) console.log(`  ${atMs} ms ${channel}${slot}: ${describeItem(item)}`);
  }
  if (!passed) console.log(`server log tail (${logPath}):\n${tail(logPath, 40)}`);
  return passed;
}

function tail(path, lines) {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).map((l) => `  ${l.slice(0, 400)}`).join("\n");
  } catch {
    return "  (no log)";
  }
}
