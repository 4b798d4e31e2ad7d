// Command-line options of the load-test runner (`npm run loadtest -- …`), validated once here.
// Every bound the runner relies on is enforced at this edge: loopback-only endpoints, at most
// 5000 clients and 600 seconds, a worker count between 1 and 64, at most 8 server processes on a
// loopback Redis. A bad value exits with code 2 and a message naming the option.
import { parseCpuList } from "./placement.mjs";
import { optionReader } from "../cli-options.mjs";

export const LIMITS = { clients: 5000, seconds: 600, rooms: 100, workers: 64, rate: 20, processes: 8 };
/** The Redis the runner's processes share when neither --redis nor REDIS_URL names one: database 13, emptied first. */
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13";
/** Thin bots per worker thread when --workers is not given (capped by the generator's CPUs). */
export const THIN_PER_WORKER = 1500;
/** Probes per worker thread: probes always run in worker threads of their own. */
export const PROBES_PER_WORKER = 250;

export const USAGE = `usage: npm run loadtest -- --clients N --seconds S [options]

  --clients N          bot clients, 1–${LIMITS.clients} (default 100): thin bots plus probes
  --probes N           how many of them are probes, 0–${LIMITS.clients} (default 50, at most --clients):
                       full @colyseus/sdk clients that decode state and measure move → patch
                       latency; the others are thin bots (same joins and moves, frames counted,
                       state never decoded)
  --seconds S          length of the run, ramp-up included, 1–${LIMITS.seconds} (default 30)
  --rooms N            spread the clients over N worlds, one room each (default 1)
  --world ID           the world to join (own server: a shipped world copied from data/worlds;
                       with --rooms N, worlds ID-1..ID-N)
  --endpoint URL       target a running server (loopback only); default: start one
  --processes N        start N Arbiter processes, 1–${LIMITS.processes} (default 1: one, without Redis), sharing one
                       database and one Redis; bots' matchmaking goes round-robin over them
  --redis URL          the Redis they share (loopback only; emptied first); default $REDIS_URL,
                       else ${DEFAULT_REDIS_URL}; with --processes 1, one process on Redis
  --metrics-token T    with --endpoint: read /metrics with this bearer token
  --admin-password P   with --endpoint: read /metrics as admin
  --rate R             moves per second per client, 1–${LIMITS.rate} (default 3)
  --ramp S             seconds over which clients join (default: 100 joins/s, at most 30% of --seconds)
  --workers N          worker threads for the thin bots (default: one per ${THIN_PER_WORKER}, at most one per
                       CPU of the generator); probes get their own, one per ${PROBES_PER_WORKER}
  --generator-cpus L   CPUs for the load generator, e.g. 0 or 0-1 (default: the first half)
  --server-cpus L      CPUs for the server it starts (default: the CPUs the generator does not use)
  --no-pin             do not pin the server and the generator to separate CPUs with taskset
  --compare-bare       first run the same load against a bare Colyseus room, then against Arbiter
  --smoke              exit 1 if a client failed to join, or an error or unexpected disconnect happened
  --out DIR            report directory (default loadtest/out/<timestamp>)
  --write-worlds DIR   only write the generated worlds (lt-1..lt-N) into DIR/worlds and exit`;

const { checkLoopback, fail, parse, readInt, readNumber } = optionReader("loadtest", USAGE);
export { checkLoopback };

/** Parses and validates argv; exits with code 2 on a bad option. */
export function readOptions(argv = process.argv.slice(2)) {
  const values = parse(argv, SPEC);
  const clients = readInt("clients", values.clients, 1, LIMITS.clients);
  const seconds = readInt("seconds", values.seconds, 1, LIMITS.seconds);
  const rooms = readInt("rooms", values.rooms, 1, LIMITS.rooms);
  const rate = readInt("rate", values.rate, 1, LIMITS.rate);
  const probes = Math.min(clients, readInt("probes", values.probes, 0, LIMITS.clients));
  const workers = values.workers === undefined ? undefined : readInt("workers", values.workers, 1, LIMITS.workers);
  const generatorCpus = readCpus("generator-cpus", values["generator-cpus"]);
  const serverCpus = readCpus("server-cpus", values["server-cpus"]);
  if (values["no-pin"] && (generatorCpus || serverCpus)) fail("--no-pin cannot be combined with --generator-cpus or --server-cpus");
  if (values.endpoint !== undefined && serverCpus) fail("--server-cpus only applies to a server the runner starts (not with --endpoint)");
  const processes = readInt("processes", values.processes, 1, LIMITS.processes);
  const redisUrl = readRedis({ processes, given: values.redis, endpoint: values.endpoint, compareBare: values["compare-bare"] });
  const ramp = values.ramp === undefined ? defaultRamp(clients, seconds) : readNumber("ramp", values.ramp, 0, seconds * 0.9);
  if (values.world !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$/.test(values.world)) fail(`--world: "${values.world}" is not a world id`);
  if (values.endpoint !== undefined) checkLoopback(values.endpoint);
  if (values["compare-bare"] && values.endpoint !== undefined) fail("--compare-bare starts both servers itself; it cannot be combined with --endpoint");
  if (values.endpoint === undefined && (values["metrics-token"] || values["admin-password"])) fail("--metrics-token and --admin-password only apply with --endpoint");
  return {
    clients, probes, seconds, rooms, rate, workers, ramp, processes, redisUrl,
    pin: !values["no-pin"], generatorCpus, serverCpus,
    world: values.world,
    endpoint: values.endpoint,
    metricsToken: values["metrics-token"],
    adminPassword: values["admin-password"],
    compareBare: values["compare-bare"],
    smoke: values.smoke,
    out: values.out,
    writeWorlds: values["write-worlds"],
  };
}

const SPEC = {
  clients: { type: "string", default: "100" },
  probes: { type: "string", default: "50" },
  seconds: { type: "string", default: "30" },
  rooms: { type: "string", default: "1" },
  world: { type: "string" },
  endpoint: { type: "string" },
  processes: { type: "string", default: "1" },
  redis: { type: "string" },
  "metrics-token": { type: "string" },
  "admin-password": { type: "string" },
  rate: { type: "string", default: "3" },
  ramp: { type: "string" },
  workers: { type: "string" },
  "generator-cpus": { type: "string" },
  "server-cpus": { type: "string" },
  "no-pin": { type: "boolean", default: false },
  "compare-bare": { type: "boolean", default: false },
  smoke: { type: "boolean", default: false },
  out: { type: "string" },
  "write-worlds": { type: "string" },
  help: { type: "boolean", default: false },
};

/** Worker threads of each kind: { thin, probe }; thin ones default to one per THIN_PER_WORKER, at most one per generator CPU. */
export function planWorkers({ clients, probes, workers, generatorCores }) {
  const thin = clients - probes;
  const thinWorkers = workers ?? Math.min(Math.ceil(thin / THIN_PER_WORKER), Math.max(1, generatorCores));
  return { thin: Math.min(thin, Math.max(1, thinWorkers)), probe: Math.ceil(probes / PROBES_PER_WORKER) };
}

function readCpus(name, raw) {
  if (raw === undefined) return undefined;
  try {
    return parseCpuList(raw);
  } catch (e) {
    fail(`--${name}: ${e.message}`);
  }
}

/**
 * The Redis URL of the processes the runner starts: --redis, else (with --processes > 1) REDIS_URL,
 * else DEFAULT_REDIS_URL; undefined for one process without --redis (no Redis, as before issue 14).
 * Fails on a host that is not loopback, since the runner empties that database.
 */
function readRedis({ processes, given, endpoint, compareBare }) {
  if (processes > 1 && endpoint !== undefined) fail("--processes starts the servers itself; it cannot be combined with --endpoint");
  if (processes > 1 && compareBare) fail("--processes cannot be combined with --compare-bare (the bare room is one process without Redis)");
  if (given !== undefined && (endpoint !== undefined || compareBare)) fail("--redis only applies to the Arbiter processes the runner starts (not with --endpoint or --compare-bare)");
  const url = given ?? (processes > 1 ? process.env.REDIS_URL || DEFAULT_REDIS_URL : undefined);
  if (url === undefined) return undefined;
  const name = given !== undefined ? "--redis" : "REDIS_URL";
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    fail(`${name}: "${url}" is not a URL`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") fail(`${name}: expected redis:// or rediss://, got ${parsed.protocol}`);
  if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/.test(parsed.hostname)) {
    fail(`${name}: ${parsed.hostname} is not a loopback address; the loadtest empties that Redis database and only uses one on this machine`);
  }
  if (!/^\/?(\d{1,2})?$/.test(parsed.pathname)) fail(`${name}: "${parsed.pathname}" is not a database number (redis://127.0.0.1:6379/13)`);
  return url;
}

/** 100 joins per second, but never more than 30% of the run. */
function defaultRamp(clients, seconds) {
  return Math.min(clients / 100, seconds * 0.3);
}

/** Accepts only ws:// or wss:// URLs whose host is on this machine. */

