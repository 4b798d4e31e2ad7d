/**
 * `npm run bots` (loadtest/bots.mjs) when the server is gone (issue 8 §9): the bots notice, print
 * their report and exit with 1 by themselves; before the fix they retried for a minute and exited 0.
 * The assertions are outcomes only (exit code, the report's verdict), never a duration: vitest's
 * timeout is the only bound, and the bots' own hard deadline (--seconds + 20 s) sits well inside it.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { spawnServer, type ServerProcess } from "../support/process.ts";
import { testPort, waitFor, writeWorlds } from "../support/server.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const METRICS_TOKEN = "bots-test-metrics-token-0123456789";
const BOTS = 3;
let server: ServerProcess | undefined;

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
});

/** A loopback port nothing listens on (bound, then released). */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Runs the bots; resolves { code, output } once they exit by themselves. */
function runBots(args: string[]): { done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(process.execPath, ["loadtest/bots.mjs", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return { done: new Promise((resolve) => child.on("exit", (code) => resolve({ code, output }))) };
}

/** Players connected to the server, from `arbiter_connected_clients` on /metrics. */
async function connectedClients(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).catch(() => undefined);
  if (!response?.ok) return 0;
  const text = await response.text();
  return [...text.matchAll(/^arbiter_connected_clients\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe("npm run bots without a server", () => {
  it("exits 1 and says no bot could join when nothing listens", async () => {
    const port = await findFreePort();
    const { code, output } = await runBots(["--clients", "2", "--seconds", "5", "--endpoint", `ws://127.0.0.1:${port}`]).done;
    expect(code).toBe(1);
    expect(output).toContain("bots: FAIL: no bot could join");
  });

  it("exits 1 by itself when the server dies mid-run, naming the lost connections", async () => {
    const port = testPort(7);
    const dataDir = writeWorlds({ yard: { map: ["#########", "#S.S.S.S#", "#.......#", "#########"] } });
    server = await spawnServer({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, ADMIN_PASSWORD: "bots-test-admin", METRICS_TOKEN, HTTP_RATE_LIMIT: "0", LOG_LEVEL: "warn" });
    const bots = runBots(["--clients", String(BOTS), "--seconds", "60", "--rate", "4", "--endpoint", `ws://127.0.0.1:${port}`, "--world", "yard"]);
    let connected = 0;
    const poll = setInterval(() => void connectedClients(port).then((n) => (connected = n)), 200);
    try {
      await waitFor(() => connected >= BOTS, "every bot to join", 30_000);
    } finally {
      clearInterval(poll);
    }
    server.child.kill("SIGKILL");
    await server.exited;
    const { code, output } = await bots.done;
    expect(code).toBe(1);
    expect(output).toContain(`${BOTS} joined, 0 failed`);
    expect(output).toContain(`every joined bot lost its connection (${BOTS})`);
  });
});
