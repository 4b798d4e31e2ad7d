// The Redis of a multi-process load run (--processes N, issue 14), seen from the runner: it empties
// the run's database before the servers start, and reads what the servers asked of Redis.
//
// Commands are counted with `INFO commandstats`: the sum of every command's `calls`, less the
// runner's own INFO calls. Two things to know when reading the figure: it counts commands, not
// network round trips (a pipeline of 500 SETs is 500 commands and one round trip), and commands that
// a Lua script runs count too (a claim renewal is EVAL plus its GET and PEXPIRE). The counters are
// the whole Redis server's, every database's: another client of the same Redis (another run, a test
// suite on databases 1–15) would add its commands, so each reading also counts the connections to
// other databases (`CLIENT LIST`), and the report says when there were any.
import { Redis } from "ioredis";

/** Commands the runner itself sends while counting: left out of the servers' figures. */
const OWN_COMMANDS = new Set(["info", "client|list", "client|id"]);

/** Parses `INFO commandstats` into { command: calls }. */
export function parseCommandStats(text) {
  const calls = {};
  for (const match of text.matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)) calls[match[1]] = Number(match[2]);
  return calls;
}

/** Connections in CLIENT LIST output whose database is not `db`, leaving out the connection `ownId`. */
export function countOtherClients(text, db, ownId) {
  let others = 0;
  for (const line of text.split("\n")) {
    const id = /(?:^|\s)id=(\d+)/.exec(line)?.[1];
    const clientDb = /\sdb=(\d+)/.exec(line)?.[1];
    if (id !== undefined && Number(id) !== ownId && Number(clientDb) !== db) others++;
  }
  return others;
}

/**
 * Connects to `url` (the run's database; loopback only, checked by options.mjs). Resolves
 * { db, flush(), read(), close() }: flush() empties the database (FLUSHDB: that database only);
 * read() resolves { at (performance.now() ms), calls: { command: calls } without the runner's own,
 * total, otherClients } or null when Redis did not answer within 900 ms. Rejects with a clear message
 * when Redis does not answer at all.
 */
export async function openRedisStats(url) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 3000 });
  redis.on("error", () => {}); // each call's own rejection says what went wrong
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new Error(`Redis does not answer at ${redact(url)} (${e?.message ?? e}); start one as .ci/run does (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no)`);
  }
  const db = Number(new URL(url).pathname.slice(1) || 0);
  const ownId = await redis.client("ID");
  return {
    db,
    flush: () => redis.flushdb(),
    async read() {
      const at = performance.now();
      const timeout = new Promise((resolve) => setTimeout(resolve, 900, null).unref());
      const reading = Promise.all([redis.info("commandstats"), redis.client("LIST")]).then(([stats, clients]) => {
        const calls = parseCommandStats(stats);
        for (const own of OWN_COMMANDS) delete calls[own];
        const total = Object.values(calls).reduce((a, n) => a + n, 0);
        return { at, calls, total, otherClients: countOtherClients(clients, db, ownId) };
      }, () => null);
      return Promise.race([reading, timeout]);
    },
    close: () => redis.quit().catch(() => redis.disconnect()),
  };
}

/** Commands between two readings, per command: { command: calls }, only those that changed. */
export function commandDelta(before, after) {
  const delta = {};
  for (const [command, calls] of Object.entries(after.calls)) {
    const n = calls - (before.calls[command] ?? 0);
    if (n > 0) delta[command] = n;
  }
  return delta;
}

/** The URL without its password, for messages and reports. */
export function redact(url) {
  return URL.canParse(url) ? Object.assign(new URL(url), { password: "" }).toString() : "(unparsable)";
}
