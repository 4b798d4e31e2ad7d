// The server under test as a child process: Arbiter (`node --import tsx src/server/main.ts`) or the
// bare Colyseus room (`node loadtest/bare-server.mjs`), on a free loopback port, with a random
// METRICS_TOKEN so the runner can read `/metrics` (both servers serve it the same way, so their CPU
// and RSS are measured alike). Output goes to `server.log` in the run's temporary directory.
//
// Everything is bounded: start-up waits at most 90 s for `/__healthcheck`; stop() sends SIGTERM
// (Arbiter then snapshots and closes its database), and SIGKILL after 10 s. A child still alive
// when the runner exits is killed with SIGKILL.
//
// `ARBITER_NODE_OPTIONS` (whitespace-separated) adds node flags to the Arbiter child only, for
// diagnosis: e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (written when the server stops) or
// `--heapsnapshot-signal=SIGWINCH --diagnostic-dir=/tmp/heap` (not SIGUSR2: Colyseus shuts down on it).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { serverCommand } from "./placement.mjs";

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;
const alive = new Set();
process.on("exit", () => {
  for (const child of alive) child.kill("SIGKILL");
});

/** A free TCP port on 127.0.0.1 (bound and released; the child binds it right after). */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server and waits until it answers. kind: "arbiter" | "bare"; tmpDir holds its data,
 * database and log; side is the bare server's map side in cells; placement (placement.mjs), when
 * given and pinned, starts it under `taskset -c <cpus>` (default: the server's CPUs; taskset execs
 * node: same pid). For one of several processes (server-group.mjs): name (its log is
 * `<name>-server.log`; default kind), port (default a free one), metricsToken and env, variables
 * that override the Arbiter defaults below (shared secrets, REDIS_URL, PUBLIC_ADDRESS).
 * Returns { kind, name, pid, port, endpoint, httpBase, auth, logPath, exited, stop() }. Throws with
 * the log's tail when the child exits or does not answer in time.
 */
export async function startServer({ kind, repoRoot, tmpDir, side, placement, cpus, name = kind, port, metricsToken = randomBytes(24).toString("base64url"), env: extraEnv = {} }) {
  port ??= await findFreePort();
  const logPath = join(tmpDir, `${name}-server.log`);
  const log = openSync(logPath, "a");
  const env = { ...process.env, PORT: String(port), METRICS_TOKEN: metricsToken };
  const nodeFlags = kind === "arbiter" ? (process.env.ARBITER_NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean) : [];
  const args = kind === "arbiter" ? [...nodeFlags, "--import", "tsx", "src/server/main.ts"] : ["loadtest/bare-server.mjs"];
  if (kind === "arbiter") {
    Object.assign(env, {
      HOST: "127.0.0.1",
      DATA_DIR: join(tmpDir, "data"),
      DATABASE_PATH: join(tmpDir, "arbiter.sqlite"),
      ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
      LOG_LEVEL: "warn",
      // Every simulated client joins from this one loopback address: no per-address HTTP limit.
      HTTP_RATE_LIMIT: "0",
      AUTH_RATE_LIMIT: "0",
    });
  } else {
    env.BARE_SIDE = String(side);
  }
  Object.assign(env, extraEnv);
  const { command, args: commandArgs } = serverCommand(placement, args, cpus);
  const child = spawn(command, commandArgs, { cwd: repoRoot, env, stdio: ["ignore", log, log] });
  closeSync(log);
  alive.add(child);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => {
    alive.delete(child);
    resolve({ code, signal });
  }));
  const httpBase = `http://127.0.0.1:${port}`;
  const server = {
    kind, name, pid: child.pid, port, endpoint: `ws://127.0.0.1:${port}`, httpBase, logPath,
    auth: `Bearer ${metricsToken}`,
    exited,
    stop: () => stopChild(child, exited),
  };
  await waitReady({ httpBase, exited, logPath, kind: name });
  return server;
}

async function waitReady({ httpBase, exited, logPath, kind }) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let gone;
  exited.then((how) => (gone = how));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${kind} server exited during start-up (${gone.code ?? gone.signal}):\n${tail(logPath)}`);
    const ok = await fetch(`${httpBase}/__healthcheck`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${kind} server did not answer ${httpBase}/__healthcheck within ${START_TIMEOUT_MS / 1000} s:\n${tail(logPath)}`);
}

async function stopChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  const how = await exited;
  clearTimeout(timer);
  return how;
}

/** The last lines of a log file, for error messages. */
export function tail(path, lines = 20) {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
