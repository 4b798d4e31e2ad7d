// The Arbiter processes of one load run (issue 14): one, exactly as server-process.mjs starts it,
// or with --processes N (or --redis), N processes the way `npm run cluster` runs them:
// - one temporary DATA_DIR and one database file, shared;
// - one admin password, one player-token secret (AUTH_SECRET) and one metrics token, shared, so a
//   token signed by one process is good on every other and `/metrics` reads alike everywhere;
// - REDIS_URL, the runner's Redis database (emptied by the runner first), and each process its own
//   loopback port with PUBLIC_ADDRESS=127.0.0.1:<port>, which Colyseus hands out with a seat so the
//   client's WebSocket reaches the process that hosts the room;
// - each pinned to its share of the server's CPUs (placement.mjs processCpus).
// The processes start one after another: the first migrates the shared database before the next
// opens it (`npm run cluster` migrates once itself; two processes migrating at once would race).
//
// Logs are `arbiter-server.log` for one process, `arbiter-<i>-server.log` (i from 1) for several.
import { randomBytes } from "node:crypto";
import { processCpus } from "./placement.mjs";
import { findFreePort, startServer } from "./server-process.mjs";

/**
 * Starts the group and waits until every process answers. count: processes (1–8); redisUrl:
 * REDIS_URL for them, or undefined for one process without Redis (the runner's behaviour before
 * --processes: nothing shared, nothing added to its environment).
 * Returns { members: server[], endpoints: ws:// URLs, exited: a promise of the first member to
 * exit ({ code, signal, name }), stop() }. Throws (after stopping the members already up) when one
 * does not start.
 */
export async function startArbiters({ count, redisUrl, repoRoot, tmpDir, placement }) {
  if (redisUrl === undefined) {
    const server = await startServer({ kind: "arbiter", repoRoot, tmpDir, placement });
    return groupOf([server]);
  }
  const shared = {
    ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
    AUTH_SECRET: randomBytes(32).toString("hex"),
    REDIS_URL: redisUrl,
  };
  const metricsToken = randomBytes(24).toString("base64url");
  const cpus = processCpus(placement, count);
  const members = [];
  try {
    for (let i = 0; i < count; i++) {
      const port = await findFreePort();
      const name = count === 1 ? "arbiter" : `arbiter-${i + 1}`;
      const env = { ...shared, PUBLIC_ADDRESS: `127.0.0.1:${port}` };
      members.push(await startServer({ kind: "arbiter", name, repoRoot, tmpDir, placement, cpus: cpus[i], port, metricsToken, env }));
    }
  } catch (e) {
    await Promise.all(members.map((m) => m.stop()));
    throw e;
  }
  return groupOf(members);
}

function groupOf(members) {
  return {
    members,
    endpoints: members.map((m) => m.endpoint),
    exited: Promise.race(members.map((m) => m.exited.then((how) => ({ ...how, name: m.name })))),
    stop: () => Promise.all(members.map((m) => m.stop())),
  };
}
