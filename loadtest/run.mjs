#!/usr/bin/env node
// Headless load test of Arbiter: `npm run loadtest -- --clients 1000 --seconds 60 [options]`
// (`--help` lists them; runner/options.mjs validates them).
//
// Without --endpoint it starts its own Arbiter on a free loopback port (temporary DATA_DIR with the
// generated worlds lt-1..lt-N, temporary database, random admin password and metrics token,
// LOG_LEVEL=warn) and stops it at the end; with --processes N, N Arbiter processes sharing that
// database and a Redis database it empties first (runner/server-group.mjs), the bots' matchmaking
// dealt round-robin over them, and Redis's command counters read with their `/metrics`
// (runner/redis-stats.mjs). With --compare-bare it first runs the same load against
// the bare Colyseus room (bare-server.mjs), then against Arbiter, and compares their CPU per client.
// Clients are bots in worker threads (runner/worker.mjs): thin bots (runner/thin-bot.mjs: the real
// matchmaker and room protocol, frames counted, state never decoded) plus --probes full
// @colyseus/sdk 0.18 clients (runner/probe-bot.mjs) that decode state and measure latency. The server
// and this process are pinned to separate CPUs with taskset where it exists (runner/placement.mjs).
// Server CPU and RSS are read from `/metrics` every second, the same way for both servers.
//
// Writes report.md, report.json and plot.svg/.png to loadtest/out/<timestamp>/ (or --out DIR).
// Exit code: 2 on a bad option; with --smoke, 1 when a client failed to join, an error or an
// unexpected disconnect happened, or the run broke (never on a timing); without --smoke, 1 only
// when the run itself broke (a server that does not start, a worker that crashed).
// Bounded: loopback only, ≤ 5000 clients, ≤ 600 s, and a hard deadline that ends the process.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad } from "./runner/load-run.mjs";
import { readOptions } from "./runner/options.mjs";
import { pinGenerator, planPlacement } from "./runner/placement.mjs";
import { writePlots } from "./runner/plot.mjs";
import { openRedisStats, redact } from "./runner/redis-stats.mjs";
import { printSummary, writeReports } from "./runner/report.mjs";
import { startArbiters } from "./runner/server-group.mjs";
import { startServer } from "./runner/server-process.mjs";
import { compare, summarize } from "./runner/summary.mjs";
import { planWorldIds, sideFor, writeWorlds } from "./runner/worlds.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const opts = { ...readOptions(), argv: process.argv.slice(2) };

if (opts.writeWorlds) {
  const ids = planWorldIds({ rooms: opts.rooms, world: opts.world, endpoint: "given" }).filter(Boolean);
  const written = writeWorlds({ dataDir: resolve(opts.writeWorlds), ids: ids.length ? ids : ["lt-1"], clients: opts.clients, world: opts.world, repoRoot });
  console.log(`wrote ${written.ids.join(", ")} to ${join(resolve(opts.writeWorlds), "worlds")}`);
  process.exit(0);
}

let placement;
try {
  placement = planPlacement({ pin: opts.pin, generatorCpus: opts.generatorCpus, serverCpus: opts.serverCpus, ownServer: opts.endpoint === undefined, processes: opts.processes });
} catch (e) {
  console.error(`loadtest: ${e.message}`);
  process.exit(2);
}
// Before any worker thread exists: new threads inherit the mask of the thread that creates them.
placement = pinGenerator(placement);
console.log(`placement: ${placement.note}`);

const startedAt = new Date().toISOString();
const outDir = resolve(opts.out ?? join(repoRoot, "loadtest", "out", startedAt.replace(/[:.]/g, "-")));
mkdirSync(outDir, { recursive: true });
const tmpRoot = mkdtempSync(join(tmpdir(), "arbiter-loadtest-"));
const runCount = opts.compareBare ? 2 : 1;
// Each extra process may take as long to start as the first (they start one after another).
const hardDeadlineMs = runCount * (opts.seconds * 1000 + 180_000) + (opts.processes - 1) * 90_000 + 30_000;
setTimeout(() => {
  console.error(`loadtest: hard deadline (${Math.round(hardDeadlineMs / 1000)} s) reached; stopping`);
  process.exit(1);
}, hardDeadlineMs);
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130));
process.on("exit", () => rmSync(tmpRoot, { recursive: true, force: true }));

/** Runs the load against one server: "bare" or "arbiter" (started here), or the --endpoint target. */
async function runAgainst(kind) {
  const tmpDir = join(tmpRoot, kind);
  mkdirSync(tmpDir, { recursive: true });
  const worldIds = planWorldIds({ rooms: opts.rooms, world: opts.world, endpoint: opts.endpoint });
  if (opts.endpoint) return runLoad({ label: "arbiter", endpoint: opts.endpoint, ...targetMetrics(), worldIds, opts, placement });
  const perRoom = Math.ceil(opts.clients / worldIds.length);
  const side = sideFor(perRoom);
  if (kind === "arbiter") {
    const worlds = writeWorlds({ dataDir: join(tmpDir, "data"), ids: worldIds, clients: opts.clients, world: opts.world, repoRoot });
    if (worlds.spawns < perRoom) console.warn(`loadtest: warning: ${worlds.spawns} spawn points per world for ${perRoom} clients per room; joins fail while every spawn point is taken`);
  }
  const worldList = `${worldIds.length} world(s): ${worldIds.slice(0, 4).join(", ")}${worldIds.length > 4 ? ", …" : ""}`;
  if (kind === "arbiter") return runAgainstArbiters({ tmpDir, worldIds, worldList });
  console.log(`starting the ${kind} server…`);
  const server = await startServer({ kind, repoRoot, tmpDir, side, placement });
  console.log(`${kind} server on ${server.endpoint} (pid ${server.pid}); ${opts.clients} clients for ${opts.seconds} s over ${worldList}`);
  try {
    return await runLoad({ label: kind, endpoint: server.endpoint, httpBase: server.httpBase, auth: server.auth, worldIds, opts, serverExited: server.exited, placement });
  } finally {
    await server.stop();
    keepLog(server);
  }
}

/** Arbiter: one process as always, or --processes N on the Redis database emptied here first. */
async function runAgainstArbiters({ tmpDir, worldIds, worldList }) {
  const redis = opts.redisUrl && (await openRedisStats(opts.redisUrl));
  if (redis) {
    await redis.flush();
    console.log(`Redis ${redact(opts.redisUrl)}: database ${redis.db} emptied`);
  }
  console.log(`starting ${opts.processes === 1 ? "the arbiter server" : `${opts.processes} arbiter processes`}…`);
  let group;
  try {
    group = await startArbiters({ count: opts.processes, redisUrl: opts.redisUrl, repoRoot, tmpDir, placement });
    for (const m of group.members) console.log(`${m.name} server on ${m.endpoint} (pid ${m.pid})`);
    console.log(`${opts.clients} clients for ${opts.seconds} s over ${worldList}`);
    const targets = group.members.map((m) => ({ httpBase: m.httpBase, auth: m.auth }));
    return await runLoad({ label: "arbiter", endpoints: group.endpoints, targets, redis, redisUrl: opts.redisUrl, worldIds, opts, serverExited: group.exited, placement });
  } finally {
    await group?.stop();
    for (const m of group?.members ?? []) keepLog(m);
    await redis?.close();
  }
}

/** Copies a server's log into the report folder when it wrote anything. */
function keepLog(server) {
  if (existsSync(server.logPath) && statSync(server.logPath).size > 0) copyFileSync(server.logPath, join(outDir, `${server.name}-server.log`));
}

/** The --endpoint target's /metrics: bearer token, else admin basic auth, else none. */
function targetMetrics() {
  const url = new URL(opts.endpoint);
  const httpBase = `${url.protocol === "wss:" ? "https:" : "http:"}//${url.host}`;
  if (opts.metricsToken) return { httpBase, auth: `Bearer ${opts.metricsToken}` };
  if (opts.adminPassword) return { httpBase, auth: `Basic ${Buffer.from(`admin:${opts.adminPassword}`).toString("base64")}` };
  return { httpBase, auth: undefined };
}

const runs = [];
let broke = false;
try {
  if (opts.compareBare) runs.push(await runAgainst("bare"));
  runs.push(await runAgainst("arbiter"));
} catch (e) {
  broke = true;
  console.error(`loadtest: ${e?.message ?? e}`);
}
for (const run of runs) run.summary = summarize(run);
const comparison = runs.length === 2 ? compare(runs[0], runs[1]) : undefined;
if (runs.length > 0) {
  const processes = opts.processes > 1 ? `, ${opts.processes} Arbiter processes` : "";
  const title = `${opts.clients} clients (${opts.probes} probes), ${opts.seconds} s, ${opts.rooms} room(s), ${opts.rate} moves/s each${processes}${runs.length === 2 ? ": bare Colyseus vs Arbiter" : ""}`;
  const plots = await writePlots({ outDir, runs, title }).catch((e) => {
    console.error(`loadtest: plot failed: ${e?.message ?? e}`);
    return [];
  });
  writeReports({ outDir, options: { ...opts, redisUrl: opts.redisUrl && redact(opts.redisUrl) }, startedAt, runs, comparison, plots });
}
printSummary({ runs, comparison, outDir: runs.length > 0 ? outDir : undefined, smoke: opts.smoke, broke });
const faulty = broke || runs.some((r) => r.totals.faults.length > 0);
const failed = opts.smoke && (faulty || runs.some((r) => !r.summary.verdict.ok));
process.exit(failed || faulty ? 1 : 0);
