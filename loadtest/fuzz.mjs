#!/usr/bin/env node
// Fuzzes Arbiter through its wire protocol: `npm run fuzz -- [--seed N] [--count N] …` (`--help`).
//
// It starts its own server (loopback, temporary DATA_DIR with the generated world `fuzz` —
// fuzz/world.mjs, interestRadius 0 —, temporary database, random admin password and METRICS_TOKEN,
// LOG_LEVEL=warn, log in a temporary file) and watches its memory all along (fuzz/heap-monitor.mjs);
// then:
// 1. joins a well-behaved client that moves every 200 ms (fuzz/walker.mjs) and the hostile clients
//    (fuzz/hostile.mjs: half @colyseus/sdk rooms, half raw WebSockets);
// 2. sends --count seeded messages (fuzz/payloads.mjs, fuzz/frames.mjs) at --rate per hostile
//    client, rejoining whenever the server drops one, and --hostile-joins joins with hostile
//    options (fuzz/joins.mjs); the heap baseline is read once 10% of the messages went out;
// 3. closes the hostile clients, fills every spawn point so one more join is refused, lets the
//    server settle 3 s, reads the heap after a major GC, reads the final state with a fresh client,
//    checks /__healthcheck, stops the server and counts the sessions in its database (fuzz/checks.mjs).
// It prints one `fuzz: …` summary line and a PASS/FAIL line per check (fuzz/report.mjs).
// Exit code: 0 when every check passed, 1 otherwise (also at the hard --deadline), 2 on a bad option.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./runner/server-process.mjs";
import { checkHealth, checkInvariants, countSessions, readFinalState } from "./fuzz/checks.mjs";
import { pickBaseline, pickEnd, startHeapMonitor } from "./fuzz/heap-monitor.mjs";
import { createSlot, runSlots } from "./fuzz/hostile.mjs";
import { fillWorld, tryHostileJoin } from "./fuzz/joins.mjs";
import { readOptions } from "./fuzz/options.mjs";
import { printReport, readLogStats } from "./fuzz/report.mjs";
import { createRng } from "./fuzz/rng.mjs";
import { createStream, splitQuota } from "./fuzz/streams.mjs";
import { bump, createTally, formatCounts } from "./fuzz/tally.mjs";
import { startWalker } from "./fuzz/walker.mjs";
import { setSeatToken } from "./fuzz/wire.mjs";
import { Client } from "@colyseus/sdk";
import { FUZZ_WORLD_ID, buildFuzzWorld, writeFuzzWorld } from "./fuzz/world.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Time kept after the traffic for the checks and stopping the server (ms). */
const CHECKS_RESERVE_MS = 90_000;
/** The first share of the messages is warm-up: the heap baseline is read after it. */
const WARM_UP_SHARE = 0.1;
/** Wait after the hostile clients left and the world was filled, before the final readings (ms). */
const SETTLE_MS = 3000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const opts = readOptions();
const quota = splitQuota(opts.count, opts.sdkShare);
const streams = { sdk: createStream({ seed: opts.seed, channel: "sdk", quota: quota.sdk }), raw: createStream({ seed: opts.seed, channel: "raw", quota: quota.raw }) };
if (opts.dryRun) {
  for (const stream of Object.values(streams)) {
    while (stream.take());
    console.log(`fuzz --dry-run: ${stream.channel} ${stream.produced} frames, digest ${stream.digest()}: ${formatCounts(stream.byCategory)}`);
  }
  process.exit(0);
}
const run = await setUp();
await sendTraffic(run);
await wrapUp(run);
await tearDown(run);
const passed = printReport({ r: run.r, streams, elapsedS: (performance.now() - run.startedAt) / 1000, logPath: run.server.logPath });
if (passed && !opts.keep) rmSync(run.tmpDir, { recursive: true, force: true });
else console.log(`fuzz: kept ${run.tmpDir} (data, database, server log)`);
process.exit(passed ? 0 : 1);

/**
 * Starts the server, the heap monitor, the well-behaved client and the hostile clients. Returns
 * the run: { startedAt, tmpDir, world, server, monitor, walker, slots, ctx, r } where r collects
 * what the report needs. Exits with 1 when the server or the well-behaved client cannot start.
 */
async function setUp() {
  const startedAt = performance.now();
  const tally = createTally();
  // The SDK reports dropped connections on console.warn/info; count them instead of flooding stdout.
  for (const level of ["warn", "info"]) console[level] = (...args) => bump(tally.clientLogs, args.map(String).join(" ").slice(0, 100));
  const r = { opts, tally, finished: false, serverExit: undefined };
  setTimeout(() => {
    console.log(`fuzz: ${tally.sent} sent; FAIL hard deadline of ${opts.deadlineS} s reached`);
    process.exit(1);
  }, opts.deadlineS * 1000);
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130));
  const tmpDir = mkdtempSync(join(tmpdir(), "arbiter-fuzz-"));
  const world = buildFuzzWorld();
  writeFuzzWorld({ dataDir: join(tmpDir, "data"), repoRoot, world });
  const server = await startServer({ kind: "arbiter", repoRoot: opts.repo ?? repoRoot, tmpDir }).catch((e) => bail(`the server did not start: ${e?.message ?? e}`));
  server.exited.then((how) => {
    if (r.stopping) return;
    r.serverExit = how;
    r.serverExitAtS = (performance.now() - startedAt) / 1000;
  });
  console.log(`fuzz: server on ${server.endpoint} (pid ${server.pid}), seed ${opts.seed}, ${opts.count} messages over ${opts.clients} hostile clients at ${opts.rate}/s each; data in ${tmpDir}`);
  const monitor = startHeapMonitor({ httpBase: server.httpBase, auth: server.auth, startedAt });
  monitor.setPhase("warm-up");
  // Joins need a player token (issue 12). One anonymous player signs in through the SDK, which keeps
  // the token in its process-wide storage, so every SDK client made after it joins as that player;
  // the raw WebSocket clients send it with their seat requests.
  const signedIn = new Client(server.endpoint);
  await signedIn.auth.signInAnonymously().catch(async (e) => {
    await server.stop();
    bail(`could not sign in: ${e?.message ?? e}`);
  });
  setSeatToken(signedIn.auth.token);
  const ctx = { endpoint: server.endpoint, httpBase: server.httpBase, worldId: FUZZ_WORLD_ID, tally, startedAt, running: () => !r.trafficOver && !r.serverExit };
  const walker = await startWalker({ endpoint: server.endpoint, worldId: FUZZ_WORLD_ID, world }).catch(async (e) => {
    await server.stop();
    bail(`the well-behaved client could not join: ${e?.message ?? e}`);
  });
  tally.joins.ok++;
  const slots = Array.from({ length: opts.clients }, (_, i) => createSlot({ index: i + 1, channel: pickChannel(i), ctx }));
  await Promise.all(slots.map((slot) => slot.connect()));
  return { startedAt, tmpDir, world, server, monitor, walker, slots, ctx, r };
}

function bail(message) {
  console.log(`fuzz: 0 sent; FAIL ${message}`);
  process.exit(1);
}

/** Slot i's channel: alternating SDK and raw, or all of one kind when --sdk-share is 0 or 1. */
function pickChannel(i) {
  if (quota.raw === 0) return "sdk";
  if (quota.sdk === 0) return "raw";
  return i % 2 === 0 ? "sdk" : "raw";
}

/** Sends every message (or stops at a server exit or the traffic deadline), then the hostile clients leave. */
async function sendTraffic({ startedAt, server, monitor, walker, slots, ctx, r }) {
  const deadline = startedAt + opts.deadlineS * 1000 - CHECKS_RESERVE_MS;
  const warmUpFrames = Math.round(opts.count * WARM_UP_SHARE);
  const joinsDone = runHostileJoins({ server, walker, r });
  const trafficStartedAt = performance.now();
  const traffic = await runSlots({ slots, streams, ctx, rate: opts.rate, until: () => {
    if (r.tally.sent >= warmUpFrames) monitor.setPhase("traffic");
    return Boolean(r.serverExit) || performance.now() > deadline;
  } });
  monitor.setPhase("after");
  r.heapStart = pickBaseline(monitor);
  r.finished = traffic.finished;
  r.trafficEndedAt = performance.now();
  r.trafficS = (r.trafficEndedAt - trafficStartedAt) / 1000;
  await sleep(500);
  r.trafficOver = true;
  await Promise.all(slots.map((slot) => slot.shutdown()));
  await joinsDone;
}

/** --hostile-joins joins with hostile options, spread over the expected length of the traffic. */
async function runHostileJoins({ server, walker, r }) {
  const rng = createRng(opts.seed, 3);
  const expectedMs = (opts.count / (opts.clients * opts.rate)) * 1000;
  const gapMs = Math.max(100, expectedMs / Math.max(1, opts.hostileJoins));
  for (let i = 0; i < opts.hostileJoins && !r.serverExit; i++) {
    if (!r.trafficOver) await sleep(gapMs);
    await tryHostileJoin({ rng, httpBase: server.httpBase, endpoint: server.endpoint, tally: r.tally, walkerSessionId: walker.sessionId() });
  }
}

/** Fills the world, lets the server settle, reads the heap and the final state. */
async function wrapUp({ startedAt, world, server, monitor, walker, r }) {
  if (r.serverExit) {
    r.snapshotError = "the server is down";
    return;
  }
  r.fill = await fillWorld({ httpBase: server.httpBase, endpoint: server.endpoint, worldId: FUZZ_WORLD_ID, tally: r.tally, maxJoins: world.spawns + 8 });
  await sleep(SETTLE_MS);
  // Wait for a major GC at most --heap-wait s after the traffic, and never into the checks' reserve.
  const untilMs = Math.min(r.trafficEndedAt + opts.heapWaitS * 1000, startedAt + opts.deadlineS * 1000 - CHECKS_RESERVE_MS / 2);
  r.heapEnd = await pickEnd(monitor, { waitMs: untilMs - performance.now(), heapWaitS: opts.heapWaitS });
  try {
    r.snapshot = await readFinalState({ endpoint: server.endpoint, worldId: FUZZ_WORLD_ID, tally: r.tally });
    r.invariants = checkInvariants({ world, snapshot: r.snapshot, players: 1 + (walker.stats.disconnected === undefined ? 1 : 0) });
  } catch (e) {
    r.snapshotError = e?.message ?? String(e);
  }
}

/** Health, then the well-behaved client leaves, the server stops, and its sessions and log are read. */
async function tearDown({ tmpDir, server, monitor, walker, r }) {
  await monitor.stop();
  r.health = await checkHealth({ httpBase: server.httpBase, pid: server.pid });
  r.walker = walker.stats;
  await walker.stop();
  r.stopping = true;
  await server.stop();
  r.sessions = countSessions(join(tmpDir, "arbiter.sqlite"));
  r.log = readLogStats(server.logPath);
}
