#!/usr/bin/env node
// Soak test of Arbiter (issue 12 "Soak"): `npm run soak -- --minutes 30 --clients 200 [options]`
// (`--help` lists them; soak/options.mjs validates them). Not run in CI: it takes its minutes.
//
// Without --endpoint it starts its own Arbiter on a free loopback port (runner/server-process.mjs:
// temporary DATA_DIR and database, random admin password and metrics token, no HTTP or sign-in
// rate limits for the one loopback address every bot shares) with copies of the shipped world
// (`docks` unless --world), about two thirds of its spawn points' worth of bots a room, and stops it
// at the end. The bots (soak/bot.mjs, in worker threads) are full @colyseus/sdk clients signed in
// as one anonymous player (sign-in.mjs): they walk and push, visit the NPCs with interaction slots
// and interact with them, and drop their connections now and then to reconnect with their token.
// Every second the server's RSS, heap used, tick and patch time histograms, connected clients and
// the memory read right after its last major GC are read from `/metrics` (soak/sampler.mjs).
//
// Writes report.md, report.json and plot.svg/.png to loadtest/out/soak-<timestamp>/ (or --out DIR):
// the growth of the live heap and of RSS, both read after major GCs, from the first third after
// the warm-up to the last (goal ≤ 5%, MET, MISSED or NOT ENOUGH MAJOR GCS; a verdict on memory,
// never a timing), the tick time's p99 per minute, reconnects, interactions, errors and unexpected
// disconnects (soak/analysis.mjs, soak/report.mjs, soak/plot.mjs).
//
// Exit code: 0 when the run completed, whatever the verdict; 1 when the server died, bots could not
// join, or the run broke; 2 on a bad option (naming it); 130 when interrupted (the report of the
// minutes run so far is still written). Bounded: loopback only, ≤ 2000 clients, ≤ 600 minutes, and a
// hard deadline (the run's minutes + 4) that ends the process.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pinGenerator, planPlacement } from "./runner/placement.mjs";
import { startServer } from "./runner/server-process.mjs";
import { planWorldIds, writeWorlds } from "./runner/worlds.mjs";
import { signInAnonymously } from "./sign-in.mjs";
import { analyze } from "./soak/analysis.mjs";
import { readWorldInfo } from "./soak/navigate.mjs";
import { checkRooms, fail, readSoakOptions } from "./soak/options.mjs";
import { writeSoakPlot } from "./soak/plot.mjs";
import { printSoakSummary, writeSoakReports } from "./soak/report.mjs";
import { runSoak } from "./soak/run.mjs";

/** Share of a world's spawn points the soak fills by default: rejoining bots still find one free. */
const SPAWN_SHARE = 2 / 3;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opts = readSoakOptions(argv);
const world = readWorldInfo(repoRoot, opts.world);
if (!opts.endpoint && !world) fail(`--world: no shipped world data/worlds/${opts.world}.json`);
const rooms = opts.rooms ?? (opts.endpoint ? 1 : Math.ceil(opts.clients / Math.max(1, Math.floor(world.spawns * SPAWN_SHARE))));
checkRooms({ clients: opts.clients, rooms, spawns: world?.spawns ?? 0, world: opts.world });
const worldIds = planWorldIds({ rooms, world: opts.world, endpoint: opts.endpoint });

let placement;
try {
  placement = planPlacement({ pin: opts.pin, ownServer: opts.endpoint === undefined });
} catch (e) {
  fail(e.message);
}
// Before any worker thread exists: new threads inherit the mask of the thread that creates them.
placement = pinGenerator(placement);
console.log(`placement: ${placement.note}`);

const startedAt = new Date().toISOString();
const outDir = resolve(opts.out ?? join(repoRoot, "loadtest", "out", `soak-${startedAt.replace(/[:.]/g, "-")}`));
mkdirSync(outDir, { recursive: true });
const tmpDir = mkdtempSync(join(tmpdir(), "arbiter-soak-"));
process.on("exit", () => rmSync(tmpDir, { recursive: true, force: true }));
const hardDeadlineMs = (opts.minutes + 4) * 60_000;
setTimeout(() => {
  console.error(`soak: hard deadline (${opts.minutes + 4} minutes) reached; stopping`);
  process.exit(1);
}, hardDeadlineMs).unref();
// The first signal ends the run early (the report is still written); a second one exits at once.
const interrupted = { signal: undefined };
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (interrupted.signal) process.exit(130);
    interrupted.signal = signal;
    console.error(`soak: ${signal}: stopping the bots and writing the report (again to quit at once)`);
  });
}

/** The target: the server started here, or --endpoint with its /metrics credentials. */
async function startTarget() {
  if (opts.endpoint) {
    const url = new URL(opts.endpoint);
    const httpBase = `${url.protocol === "wss:" ? "https:" : "http:"}//${url.host}`;
    const auth = opts.metricsToken ? `Bearer ${opts.metricsToken}` : opts.adminPassword ? `Basic ${Buffer.from(`admin:${opts.adminPassword}`).toString("base64")}` : undefined;
    return { endpoint: opts.endpoint, httpBase, auth };
  }
  writeWorlds({ dataDir: join(tmpDir, "data"), ids: worldIds, clients: opts.clients, world: opts.world, repoRoot });
  console.log("starting the Arbiter server…");
  return startServer({ kind: "arbiter", repoRoot, tmpDir, placement });
}

let server;
let run;
try {
  server = await startTarget();
  console.log(`server ${server.endpoint}${server.pid ? ` (pid ${server.pid})` : ""}; ${opts.clients} bots over ${worldIds.join(", ")} for ${opts.minutes} minutes (warm-up ${opts.warmupMinutes})`);
  const token = await signInAnonymously(server.endpoint).catch((e) => {
    throw new Error(`bots could not join: signing in failed: ${e?.cause?.code ?? e?.message ?? e}`);
  });
  run = await runSoak({ ...server, token, worldIds, world, opts, serverExited: server.exited, interrupted });
} catch (e) {
  console.error(`soak: ${e?.message ?? e}`);
} finally {
  await server?.stop?.();
  if (server?.logPath && existsSync(server.logPath) && statSync(server.logPath).size > 0) copyFileSync(server.logPath, join(outDir, "server.log"));
}
if (!run) process.exit(1);

const analysis = analyze({ series: run.series, bounds: run.bounds, warmupSeconds: Math.round(opts.warmupMinutes * 60) });
const worldNote = opts.endpoint
  ? `the given server's world${worldIds.length > 1 ? "s" : ""}${world ? `; map and interaction slots from data/worlds/${opts.world}.json` : "; no local world file: bots only wander, no interactions"}`
  : `copies of data/worlds/${opts.world}.json, ${world.spawns} spawn points each, at most ${Math.ceil(opts.clients / worldIds.length)} bots a room`;
const result = {
  startedAt, argv, options: opts,
  run: { ownServer: !opts.endpoint, endpoint: server.endpoint, worldIds, worldNote, workers: run.workers, placement, slotNpcs: world?.slotNpcs ?? [] },
  outcome: run.outcome, outcomeDetail: run.outcomeDetail, analysis,
  // Bucket bounds in seconds; JSON has no Infinity, so the last one is written "+Inf".
  bounds: Object.fromEntries(Object.entries(run.bounds).map(([key, bounds]) => [key, bounds.map((le) => (le === Infinity ? "+Inf" : le))])),
  series: run.series,
};
const title = `Soak: ${opts.clients} bots, ${opts.minutes} min (warm-up ${opts.warmupMinutes}), ${worldIds.length} room(s), ${opts.rate} moves/s, a drop every ${opts.reconnectEverySeconds || "∞"} s per bot`;
const plots = await writeSoakPlot({ outDir, series: run.series, minutes: analysis.minutes, warmupMinutes: opts.warmupMinutes, title }).catch((e) => {
  console.error(`soak: plot failed: ${e?.message ?? e}`);
  return [];
});
writeSoakReports({ outDir, result, plots });
printSoakSummary({ result, outDir });
process.exit(run.outcome === "completed" ? 0 : run.outcome === "interrupted" ? 130 : 1);
