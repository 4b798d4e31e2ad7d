// Command-line options of the load-test runner (`npm run loadtest -- …`), validated once here.
// Every bound the runner relies on is enforced at this edge: loopback-only endpoints, at most
// 5000 clients and 600 seconds, a worker count between 1 and 64. A bad value exits with code 2 and
// a message naming the option.
import { parseCpuList } from "./placement.mjs";
import { optionReader } from "../cli-options.mjs";

export const LIMITS = { clients: 5000, seconds: 600, rooms: 100, workers: 64, rate: 20 };
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
  const ramp = values.ramp === undefined ? defaultRamp(clients, seconds) : readNumber("ramp", values.ramp, 0, seconds * 0.9);
  if (values.world !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$/.test(values.world)) fail(`--world: "${values.world}" is not a world id`);
  if (values.endpoint !== undefined) checkLoopback(values.endpoint);
  if (values["compare-bare"] && values.endpoint !== undefined) fail("--compare-bare starts both servers itself; it cannot be combined with --endpoint");
  if (values.endpoint === undefined && (values["metrics-token"] || values["admin-password"])) fail("--metrics-token and --admin-password only apply with --endpoint");
  return {
    clients, probes, seconds, rooms, rate, workers, ramp,
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

/** 100 joins per second, but never more than 30% of the run. */
function defaultRamp(clients, seconds) {
  return Math.min(clients / 100, seconds * 0.3);
}

/** Accepts only ws:// or wss:// URLs whose host is on this machine. */

