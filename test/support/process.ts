/**
 * Runs the real server as a child process (`node --import tsx src/server/main.ts`, what `npm start`
 * runs), for tests that restart or kill it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TEST_AUTH_SECRET, waitFor } from "./server.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    cwd: ROOT,
    // As test servers in this process (support/server.ts): a known token secret, no sign-in limits.
    env: { ...process.env, LOG_LEVEL: "info", AUTH_SECRET: TEST_AUTH_SECRET, AUTH_RATE_LIMIT: "0", ACCOUNT_RATE_LIMIT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let up = false;
  const poll = setInterval(() => {
    fetch(`http://127.0.0.1:${env.PORT}/__healthcheck`).then((r) => (up = r.ok), () => {});
  }, 100);
  try {
    await waitFor(() => up || child.exitCode !== null, "the server to answer /__healthcheck", 60_000);
  } finally {
    clearInterval(poll);
  }
  if (!up) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
  return { child, output: () => log, exited };
}
