// Command-line options of the soak (`npm run soak -- …`), validated once here. Every bound the soak
// relies on is enforced at this edge: loopback-only endpoints, at most 2000 clients and 600 minutes,
// a warm-up that covers the joins and leaves time after it. A bad value exits with code 2 and a
// message naming the flag.
import { optionReader } from "../cli-options.mjs";

export const LIMITS = { clients: 2000, minutes: 600, rooms: 100, rate: 10, reconnectEvery: 3600 };
/** Clients join at this many a second (ramp = clients / JOINS_PER_SECOND, at least 1 s). */
export const JOINS_PER_SECOND = 20;
/** A join that takes longer fails (ms). */
export const JOIN_TIMEOUT_MS = 15_000;

export const USAGE = `usage: npm run soak -- [--minutes 30] [--clients 200] [options]

  --minutes M          length of the run, warm-up included, up to ${LIMITS.minutes} (default 30)
  --warmup-minutes W   memory growth is measured from the end of the warm-up (default 5); it must
                       cover the joins (clients / ${JOINS_PER_SECOND} s + the ${JOIN_TIMEOUT_MS / 1000} s join timeout) and leave
                       at least 1 minute of the run after it
  --clients N          full @colyseus/sdk bot clients, 1–${LIMITS.clients} (default 200)
  --world ID           the world to join (default docks; own server: a copy of data/worlds/ID.json,
                       or copies ID-1..ID-N with --rooms N)
  --rooms N            spread the clients over N copies of the world, one room each (default: about
                       two thirds of the world's spawn points per room; 1 with --endpoint)
  --rate R             moves per second per bot, 1–${LIMITS.rate} (default 3)
  --reconnect-every S  mean seconds between one bot's dropped connections (exponential), 10–${LIMITS.reconnectEvery},
                       or 0 for none (default 120: 200 bots drop about 100 times a minute)
  --endpoint URL       target a running server (loopback only); default: start one
  --metrics-token T    with --endpoint: read /metrics with this bearer token
  --admin-password P   with --endpoint: read /metrics as admin
  --no-pin             do not pin the server and the bots to separate CPUs with taskset
  --out DIR            report directory (default loadtest/out/soak-<timestamp>)`;

export const { checkLoopback, fail, parse, readInt, readNumber } = optionReader("soak", USAGE);

const SPEC = {
  minutes: { type: "string", default: "30" },
  "warmup-minutes": { type: "string", default: "5" },
  clients: { type: "string", default: "200" },
  world: { type: "string", default: "docks" },
  rooms: { type: "string" },
  rate: { type: "string", default: "3" },
  "reconnect-every": { type: "string", default: "120" },
  endpoint: { type: "string" },
  "metrics-token": { type: "string" },
  "admin-password": { type: "string" },
  "no-pin": { type: "boolean", default: false },
  out: { type: "string" },
  help: { type: "boolean", default: false },
};

/** Parses and validates argv; exits with code 2 on a bad option (0 after --help). */
export function readSoakOptions(argv) {
  const values = parse(argv, SPEC);
  const minutes = readNumber("minutes", values.minutes, 1, LIMITS.minutes);
  const clients = readInt("clients", values.clients, 1, LIMITS.clients);
  const warmupMinutes = readNumber("warmup-minutes", values["warmup-minutes"], 0, LIMITS.minutes);
  const rampSeconds = Math.max(1, clients / JOINS_PER_SECOND);
  const joinsSeconds = rampSeconds + JOIN_TIMEOUT_MS / 1000;
  if (warmupMinutes * 60 < joinsSeconds) fail(`--warmup-minutes: ${warmupMinutes} does not cover the joins of ${clients} clients (${Math.ceil(joinsSeconds)} s: ramp and join timeout)`);
  if (minutes - warmupMinutes < 1) fail(`--warmup-minutes: ${warmupMinutes} leaves less than 1 minute after the warm-up in a ${minutes}-minute run (--minutes)`);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$/.test(values.world)) fail(`--world: "${values.world}" is not a world id`);
  const reconnectEvery = readNumber("reconnect-every", values["reconnect-every"], 0, LIMITS.reconnectEvery);
  if (reconnectEvery > 0 && reconnectEvery < 10) fail(`--reconnect-every: expected 0 or a number from 10 to ${LIMITS.reconnectEvery}, got "${values["reconnect-every"]}"`);
  if (values.endpoint !== undefined) checkLoopback(values.endpoint);
  if (values.endpoint === undefined && (values["metrics-token"] || values["admin-password"])) fail("--metrics-token and --admin-password only apply with --endpoint");
  return {
    minutes, warmupMinutes, clients, rampSeconds,
    world: values.world,
    rooms: values.rooms === undefined ? undefined : readInt("rooms", values.rooms, 1, LIMITS.rooms),
    rate: readInt("rate", values.rate, 1, LIMITS.rate),
    reconnectEverySeconds: reconnectEvery,
    endpoint: values.endpoint,
    metricsToken: values["metrics-token"],
    adminPassword: values["admin-password"],
    pin: !values["no-pin"],
    out: values.out,
  };
}

/**
 * Accepts only ws:// or wss:// URLs whose host is on this machine: the rule of the load test's
 * runner/options.mjs, whose own check prints the load test's usage on failure.
 */

/** Exits with code 2 when `clients` over `rooms` rooms would need more spawn points than the world has. */
export function checkRooms({ clients, rooms, spawns, world }) {
  const perRoom = Math.ceil(clients / rooms);
  if (spawns > 0 && perRoom > spawns) fail(`--rooms: ${clients} clients over ${rooms} room(s) is ${perRoom} a room, but ${world} has ${spawns} spawn points`);
}
