// Command-line options of the load-test runner (`npm run loadtest -- …`), validated once here.
// Every bound the runner relies on is enforced at this edge: loopback-only endpoints, at most
// 5000 clients and 600 seconds, a worker count between 1 and 64. A bad value exits with code 2 and
// a message naming the option.
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";

export const LIMITS = { clients: 5000, seconds: 600, rooms: 100, workers: 64, rate: 20 };
/** Clients per worker thread when --workers is not given (capped by the CPU count). */
const CLIENTS_PER_WORKER = 250;

export const USAGE = `usage: npm run loadtest -- --clients N --seconds S [options]

  --clients N          bot clients, 1–${LIMITS.clients} (default 100)
  --seconds S          length of the run, ramp-up included, 1–${LIMITS.seconds} (default 30)
  --rooms N            spread the clients over N worlds, one room each (default 1)
  --world ID           the world to join (own server: a shipped world copied from data/worlds;
                       with --rooms N, worlds ID-1..ID-N)
  --endpoint URL       target a running server (loopback only); default: start one
  --metrics-token T    with --endpoint: read /metrics with this bearer token
  --admin-password P   with --endpoint: read /metrics as admin
  --rate R             moves per second per client, 1–${LIMITS.rate} (default 3)
  --ramp S             seconds over which clients join (default: 100 joins/s, at most 30% of --seconds)
  --workers N          worker threads (default: min(clients/${CLIENTS_PER_WORKER}, cpus), at least 1)
  --compare-bare       first run the same load against a bare Colyseus room, then against Arbiter
  --smoke              exit 1 if a client failed to join, or an error or unexpected disconnect happened
  --out DIR            report directory (default loadtest/out/<timestamp>)
  --write-worlds DIR   only write the generated worlds (lt-1..lt-N) into DIR/worlds and exit`;

/** Parses and validates argv; exits with code 2 on a bad option. */
export function readOptions(argv = process.argv.slice(2)) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: SPEC, strict: true }));
  } catch (e) {
    fail(e.message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const clients = readInt("clients", values.clients, 1, LIMITS.clients);
  const seconds = readInt("seconds", values.seconds, 1, LIMITS.seconds);
  const rooms = readInt("rooms", values.rooms, 1, LIMITS.rooms);
  const rate = readInt("rate", values.rate, 1, LIMITS.rate);
  const workers = values.workers === undefined ? defaultWorkers(clients) : readInt("workers", values.workers, 1, LIMITS.workers);
  const ramp = values.ramp === undefined ? defaultRamp(clients, seconds) : readNumber("ramp", values.ramp, 0, seconds * 0.9);
  if (values.world !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$/.test(values.world)) fail(`--world: "${values.world}" is not a world id`);
  if (values.endpoint !== undefined) checkLoopback(values.endpoint);
  if (values["compare-bare"] && values.endpoint !== undefined) fail("--compare-bare starts both servers itself; it cannot be combined with --endpoint");
  if (values.endpoint === undefined && (values["metrics-token"] || values["admin-password"])) fail("--metrics-token and --admin-password only apply with --endpoint");
  return {
    clients, seconds, rooms, rate, workers, ramp,
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
  seconds: { type: "string", default: "30" },
  rooms: { type: "string", default: "1" },
  world: { type: "string" },
  endpoint: { type: "string" },
  "metrics-token": { type: "string" },
  "admin-password": { type: "string" },
  rate: { type: "string", default: "3" },
  ramp: { type: "string" },
  workers: { type: "string" },
  "compare-bare": { type: "boolean", default: false },
  smoke: { type: "boolean", default: false },
  out: { type: "string" },
  "write-worlds": { type: "string" },
  help: { type: "boolean", default: false },
};

function defaultWorkers(clients) {
  return Math.max(1, Math.min(Math.ceil(clients / CLIENTS_PER_WORKER), availableParallelism()));
}

/** 100 joins per second, but never more than 30% of the run. */
function defaultRamp(clients, seconds) {
  return Math.min(clients / 100, seconds * 0.3);
}

/** Accepts only ws:// or wss:// URLs whose host is on this machine. */
export function checkLoopback(endpoint) {
  let url;
  try {
    url = new URL(endpoint);
  } catch {
    fail(`--endpoint: "${endpoint}" is not a URL`);
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") fail(`--endpoint: expected ws:// or wss://, got ${url.protocol}`);
  if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/.test(url.hostname)) {
    fail(`--endpoint: ${url.hostname} is not a loopback address; the load test only targets this machine`);
  }
}

function readInt(name, raw, min, max) {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function readNumber(name, raw, min, max) {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) fail(`--${name}: expected a number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function fail(message) {
  console.error(`loadtest: ${message}\n\n${USAGE}`);
  process.exit(2);
}
