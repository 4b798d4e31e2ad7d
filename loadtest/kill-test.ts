/**
 * `npm run test:kill` (issue 12, crash safety; run by `.ci/run`): bots play the shipped `docks`
 * world on a server started as a child process (what `npm start` runs), which is killed with
 * SIGKILL at a seeded random moment and restarted on the same database, {@link ROUNDS} times.
 *
 * After each kill, before the restart, a copy of the database is opened offline with the server's
 * own start-up (plugins, world files) and the world restored from it (snapshot + journal): that is
 * the expectation. After the restart, through the real server:
 * - the world reopens at the last committed tick T, and its replay reports no hash divergence, so
 *   the resumed state's hash is the one recorded for tick T (the replay checks every tick's);
 * - the journal up to T is row for row what it was (no committed tick lost or rewritten), and the
 *   restarted world's first tick is T + 1 (none applied twice);
 * - each session whose player was in the world at the crash holds the progress of its replayed
 *   actor (position, runtime stats, plugin state: the inventory), and every other session is
 *   unchanged, row for row.
 * Prints what it checked per round; exits 1 naming the first failed check. Never a timing.
 *
 *     npm run test:kill [-- --seed 7 --clients 12]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Client, type Room } from "@colyseus/sdk";
import BetterSqlite3 from "better-sqlite3";
import { pino } from "pino";
import { hashWorld, type Dir } from "../src/core/index.ts";
import { createServices, loadConfig } from "../src/server/boot.ts";
import { carriedRuntime } from "../src/server/session-progress.ts";
import { restoreSimulation } from "../src/server/world-host.ts";
import { mulberry32, randInt, type Prng } from "./bench/prng.ts";

const ROUNDS = 3;
const WORLD = "docks";
const DIRS: readonly Dir[] = ["N", "E", "S", "W"];
/** Snapshots this often (ticks) so that kills land both before and after one, with journal past it. */
const SNAPSHOT_EVERY_TICKS = 40;
/** A kill comes this long after the bots joined, ms: a seeded draw in [min, max). */
const KILL_AFTER_MS = { min: 1_500, max: 5_000 } as const;

const { values: args } = parseArgs({ options: { seed: { type: "string", default: "7" }, clients: { type: "string", default: "12" }, port: { type: "string", default: "2591" } } });
const seed = Number(args.seed);
const clientCount = Number(args.clients);
const port = Number(args.port);
if (!Number.isInteger(seed) || !Number.isInteger(clientCount) || clientCount < 1 || clientCount > 100 || !Number.isInteger(port)) {
  console.error("kill-test: --seed is an integer, --clients 1–100, --port a port number");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "arbiter-kill-"));
const dbPath = join(work, "arbiter.sqlite");
const endpoint = `ws://127.0.0.1:${port}`;
const serverEnv = { PORT: String(port), DATABASE_PATH: dbPath, ADMIN_PASSWORD: "kill-test-admin", LOG_LEVEL: "info", SNAPSHOT_EVERY_TICKS: String(SNAPSHOT_EVERY_TICKS) };

class CheckFailed extends Error {}

function check(ok: boolean, what: string): void {
  if (!ok) throw new CheckFailed(what);
}

interface Server {
  child: ChildProcess;
  log(): string;
  exited: Promise<void>;
}

/** The server process now running, killed on the way out whatever happens. */
let running: ChildProcess | undefined;

async function startServer(): Promise<Server> {
  if (await fetch(`http://127.0.0.1:${port}/__healthcheck`).then(() => true, () => false)) throw new Error(`port ${port} is already served: stop that server or pass --port`);
  const child = (running = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], { env: { ...process.env, ...serverEnv }, stdio: ["ignore", "pipe", "pipe"] }));
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${log}`);
    if (await fetch(`http://127.0.0.1:${port}/__healthcheck`).then((r) => r.ok, () => false)) return { child, log: () => log, exited };
    await sleep(250);
  }
  throw new Error(`the server did not answer /__healthcheck within 60 s:\n${log}`);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Bot {
  room: Room;
  sessionId: string;
}

/** The player every bot joins as (issue 12: joins need a token); it owns all their sessions, across restarts. */
let token: string | undefined;

/** Joins `docks` (resuming `sessionId` when given) and walks at random until the socket drops. */
async function startBot(rand: Prng, sessionId?: string): Promise<Bot> {
  const client = new Client(endpoint);
  token ??= (await client.auth.signInAnonymously()).token;
  client.auth.token = token;
  const room = await client.joinOrCreate("world", sessionId === undefined ? { worldId: WORLD } : { worldId: WORLD, sessionId });
  // A killed server's clients are gone for good here: the next round's bots join the restarted one.
  room.reconnection.enabled = false;
  const welcome = await new Promise<{ sessionId: string }>((done, fail) => {
    room.onMessage("welcome", done);
    room.onMessage("error", (m) => fail(new Error(`join refused: ${JSON.stringify(m)}`)));
  });
  room.onMessage("*", () => {});
  const walk = setInterval(() => {
    try {
      room.send("move", { dir: DIRS[randInt(rand, 4)] });
    } catch {
      clearInterval(walk);
    }
  }, 250);
  room.onLeave(() => clearInterval(walk));
  return { room, sessionId: welcome.sessionId };
}

interface SessionRow {
  id: string;
  world_id: string;
  stats: string;
  position: string | null;
  plugin_state: string;
  updated_at: string;
}

interface DbView {
  journal: Map<number, string>;
  sessions: Map<string, SessionRow>;
  bound: Map<string, string>;
}

/**
 * The journal, sessions and bindings in the database at `path`. `readonly` for the live server's
 * (its writer keeps the WAL index valid); a killed server's is read from a copy, read-write, since
 * only a writable connection may recover a WAL left by a crash (a read-only one sees none of it).
 */
function readDb(path: string, readonly: boolean): DbView {
  const db = new BetterSqlite3(path, { readonly, fileMustExist: true });
  try {
    const journal = new Map((db.prepare("SELECT tick, hash FROM journal WHERE world_id = ? ORDER BY tick").all(WORLD) as Array<{ tick: number; hash: string }>).map((r) => [r.tick, r.hash]));
    const sessions = new Map((db.prepare("SELECT id, world_id, stats, position, plugin_state, updated_at FROM sessions").all() as SessionRow[]).map((r) => [r.id, r]));
    const bound = new Map((db.prepare("SELECT actor_id, session_id FROM world_players WHERE world_id = ?").all(WORLD) as Array<{ actor_id: string; session_id: string }>).map((r) => [r.actor_id, r.session_id]));
    return { journal, sessions, bound };
  } finally {
    db.close();
  }
}

interface Expected {
  tick: number;
  hash: string;
  /** By session id: the progress its replayed actor carries. */
  progress: Map<string, { position: [number, number]; runtime: unknown; pluginState: unknown }>;
}

/** A copy of the killed server's database files (main, WAL, index), left as they were. */
function copyDb(): string {
  const copy = join(work, "offline.sqlite");
  for (const suffix of ["", "-wal", "-shm"]) {
    rmSync(copy + suffix, { force: true });
    if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, copy + suffix);
  }
  return copy;
}

/** The world restored offline from `copy` with the server's own start-up (plugins, world files). */
async function expectedAfterCrash(copy: string, view: DbView): Promise<Expected> {
  const config = loadConfig({ ...serverEnv, DATABASE_PATH: copy }, resolve("."));
  const services = await createServices(config, pino({ level: "silent" }));
  try {
    const def = services.worlds.byId.get(WORLD)!;
    const { sim, report } = restoreSimulation(def, services.store, services.plugins.rules);
    check(report.divergences.length === 0, `offline replay: ${report.divergences.length} tick(s) diverged from their recorded hashes`);
    const hash = hashWorld(sim.world);
    const progress: Expected["progress"] = new Map();
    for (const [actorId, sessionId] of view.bound) {
      const actor = sim.world.byId.get(actorId);
      check(actor !== undefined, `offline replay: bound player actor ${actorId} (session ${sessionId}) is not in the replayed world`);
      progress.set(sessionId, { position: [actor!.x, actor!.y], runtime: carriedRuntime(sim.world, actor!), pluginState: Object.fromEntries(actor!.pluginState ?? []) });
    }
    return { tick: sim.world.tick, hash, progress };
  } finally {
    services.sessionExpiry.stop();
    await services.plugins.host.disable();
    services.store.close();
  }
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

async function main(): Promise<void> {
  const rand = mulberry32(seed);
  // The kill moments get a generator of their own: the bots' draws depend on timers, so a shared
  // one would move the kills from run to run.
  const killRand = mulberry32(seed ^ 0x5bd1e995);
  console.log(`kill test: ${ROUNDS} SIGKILLs of a server with ${clientCount} bots on world ${WORLD} (seed ${seed}, snapshots every ${SNAPSHOT_EVERY_TICKS} ticks), database ${dbPath}`);
  let server = await startServer();
  let sessions: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Half the bots resume sessions from the round before (their saved progress), the rest are new.
    const bots: Bot[] = [];
    for (let i = 0; i < clientCount; i++) bots.push(await startBot(rand, i % 2 === 0 ? sessions[i] : undefined));
    sessions = bots.map((b) => b.sessionId);
    const killAfter = KILL_AFTER_MS.min + randInt(killRand, KILL_AFTER_MS.max - KILL_AFTER_MS.min);
    await sleep(killAfter);
    server.child.kill("SIGKILL");
    await server.exited;
    for (const bot of bots) bot.room.connection.close();

    const copy = copyDb();
    const before = readDb(copy, false);
    check(before.journal.size > 0, `round ${round}: the killed server's journal for ${WORLD} is empty`);
    const lastTick = Math.max(...before.journal.keys());
    const expected = await expectedAfterCrash(copy, before);
    check(expected.tick === lastTick, `round ${round}: the offline restore stopped at tick ${expected.tick}, the journal's last is ${lastTick}`);
    check(expected.hash === before.journal.get(lastTick), `round ${round}: the restored world's hash ${expected.hash} is not the one recorded for tick ${lastTick} (${before.journal.get(lastTick)})`);

    server = await startServer();
    // The first join opens the world: the crashed players' progress is saved, then they leave.
    const probe = await startBot(rand);
    const opened = /"tick":(\d+),"replayed":(\d+)[^\n]*"msg":"world opened"/.exec(server.log());
    check(opened !== null, `round ${round}: no "world opened" line in the restarted server's log`);
    check(Number(opened![1]) === lastTick, `round ${round}: the world reopened at tick ${opened![1]}, the last committed tick is ${lastTick}`);
    check(!server.log().includes("diverged"), `round ${round}: the restarted server's replay diverged from the recorded hashes`);
    const after = await waitForNewTicks(lastTick);
    for (const [tick, hash] of before.journal) {
      check(after.journal.get(tick) === hash, `round ${round}: journal tick ${tick} was ${hash} before the restart, ${after.journal.get(tick) ?? "missing"} after`);
    }
    const firstNew = Math.min(...[...after.journal.keys()].filter((t) => t > lastTick));
    check(firstNew === lastTick + 1, `round ${round}: the first tick after the restart is ${firstNew}, not ${lastTick + 1}`);
    for (const [sessionId, progress] of expected.progress) {
      const row = after.sessions.get(sessionId);
      check(row !== undefined, `round ${round}: session ${sessionId} is gone`);
      check(sameJson(JSON.parse(row!.position ?? "null"), progress.position), `round ${round}: session ${sessionId} saved at ${row!.position}, its replayed actor stood at ${JSON.stringify(progress.position)}`);
      check(sameJson(JSON.parse(row!.stats).runtime, progress.runtime), `round ${round}: session ${sessionId}'s runtime stats ${JSON.stringify(JSON.parse(row!.stats).runtime)} are not its replayed actor's ${JSON.stringify(progress.runtime)}`);
      check(sameJson(JSON.parse(row!.plugin_state), progress.pluginState), `round ${round}: session ${sessionId}'s plugin state (inventory …) is not its replayed actor's`);
    }
    let unchanged = 0;
    for (const [id, row] of before.sessions) {
      if (expected.progress.has(id)) continue;
      check(sameJson(after.sessions.get(id), row), `round ${round}: session ${id}, not in the world at the crash, changed across the restart`);
      unchanged++;
    }
    console.log(
      `round ${round}: killed after ${killAfter} ms at tick ${lastTick}; reopened at tick ${lastTick} with no divergence, hash ${expected.hash}; ` +
        `journal ticks 1–${lastTick} unchanged (${before.journal.size} rows), next tick ${firstNew}; ${expected.progress.size} crashed players' sessions hold their replayed progress, ${unchanged} other sessions unchanged`,
    );
    probe.room.connection.close();
  }
  server.child.kill("SIGTERM");
  await server.exited;
  console.log(`kill test: passed, ${ROUNDS} kills`);
}

/** The live database once the restarted world has committed a tick past `lastTick` (read-only, WAL). */
async function waitForNewTicks(lastTick: number): Promise<DbView> {
  for (let i = 0; i < 200; i++) {
    const view = readDb(dbPath, true);
    if ([...view.journal.keys()].some((t) => t > lastTick + 2)) return view;
    await sleep(100);
  }
  throw new CheckFailed(`the restarted world committed no tick past ${lastTick} within 20 s`);
}

main().then(
  () => {
    rmSync(work, { recursive: true, force: true });
    process.exit(0);
  },
  (e: unknown) => {
    running?.kill("SIGKILL");
    console.error(e instanceof CheckFailed ? `kill test FAILED: ${e.message}` : e);
    console.error(`(database kept in ${work})`);
    process.exit(1);
  },
);
