/**
 * `npm run cluster -- --processes N [--port 2567] [--restart]` (issue 14): N Arbiter processes on
 * one machine sharing one set of worlds and sessions through Redis (`REDIS_URL`, default
 * `redis://127.0.0.1:6379`) and one SQLite file (`DATA_DIR`). Process i listens on port + i with
 * `PUBLIC_ADDRESS` `<PUBLIC_HOST or 127.0.0.1>:<port + i>`; clients may reach any of them.
 *
 * What every process must share is settled here, once, before any starts: the admin password
 * (`ADMIN_PASSWORD`, generated and printed once when unset) and the token secret (`AUTH_SECRET`, else
 * the one in `DATA_DIR/.auth-secret`, generated once). The processes' output is passed through.
 * SIGINT and SIGTERM are forwarded to every process, which shut down gracefully. A process that
 * exits is reported; with `--restart` it is started again after 1 s (its worlds are reopened by
 * whichever process next receives a join for them, once its claims lapse). Under a real process
 * manager (systemd, pm2, Kubernetes), run one `npm start` per process with the same variables
 * instead: see the README's "Scale-out".
 */
import "./node-compat.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadAuthSecret } from "./accounts.ts";
import { loadConfig, loadEnvFiles } from "./config.ts";
import { createLogger } from "./logger.ts";
import { openStore } from "./store.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAX_PROCESSES = 64;

function fail(message: string): never {
  process.stderr.write(`cluster: ${message}\n`);
  process.exit(2);
}

function readOptions() {
  let parsed;
  try {
    parsed = parseArgs({ options: { processes: { type: "string", default: "2" }, port: { type: "string" }, restart: { type: "boolean", default: false } }, strict: true });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const processes = Number(parsed.values.processes);
  if (!Number.isInteger(processes) || processes < 1 || processes > MAX_PROCESSES) fail(`--processes must be a whole number from 1 to ${MAX_PROCESSES}, got "${parsed.values.processes}"`);
  const port = parsed.values.port === undefined ? undefined : Number(parsed.values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port + processes - 1 > 65_535)) fail(`--port must leave room for ${processes} ports below 65536, got "${parsed.values.port}"`);
  return { processes, port, restart: parsed.values.restart };
}

async function main(): Promise<void> {
  loadEnvFiles();
  const options = readOptions();
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  const config = loadConfig(process.env); // validates the environment once, with its messages
  const logger = createLogger(config.logLevel);
  const basePort = options.port ?? config.port;
  const adminPassword = process.env.ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  if (process.env.ADMIN_PASSWORD === undefined) logger.warn({ user: "admin", password: adminPassword }, "ADMIN_PASSWORD is unset: generated one for every process of this cluster (printed once)");
  const authSecret = loadAuthSecret(config.authSecret, config.dataDir, logger);
  // Migrate the shared database once, before any process opens it (they would race otherwise).
  (await openStore(config.databasePath)).close();
  const publicHost = process.env.PUBLIC_HOST ?? "127.0.0.1";
  const children = new Map<number, ChildProcess>();
  let stopping = false;

  const start = (index: number): void => {
    const port = basePort + index;
    const env = { ...process.env, PORT: String(port), PUBLIC_ADDRESS: `${publicHost}:${port}`, ADMIN_PASSWORD: adminPassword, AUTH_SECRET: authSecret };
    const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], { cwd: ROOT, env, stdio: "inherit" });
    children.set(index, child);
    child.on("exit", (code, signal) => {
      children.delete(index);
      if (stopping) {
        if (children.size === 0) process.exit(0);
        return;
      }
      logger.error({ process: index, port, code, signal }, options.restart ? "a cluster process exited; restarting it in 1 s" : "a cluster process exited (start with --restart to restart it)");
      if (options.restart) setTimeout(() => start(index), 1000);
      else if (children.size === 0) process.exit(1);
    });
  };
  for (let i = 0; i < options.processes; i++) start(i);
  logger.info({ processes: options.processes, ports: Array.from({ length: options.processes }, (_, i) => basePort + i), redis: "REDIS_URL", database: config.databasePath }, "cluster started");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const child of children.values()) child.kill(signal);
      if (children.size === 0) process.exit(0);
    });
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
