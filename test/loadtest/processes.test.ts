/**
 * `npm run loadtest -- --processes N` (issue 14): the runner starts N Arbiter processes on one
 * Redis and one database, deals the bots' matchmaking over them, and reports per process and the
 * Redis commands per join. Through the real runner and real servers: a 2-process smoke run joins
 * every bot, each world runs in exactly one process, and Redis was used; a Redis that is not on
 * this machine, or --processes with a server of someone else's, is refused before anything starts.
 * The assertions are outcomes only, never a timing.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { resetTestRedis, testRedisUrl } from "../support/redis.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLIENTS = 40;

afterAll(() => removeTempDirs());

/** Runs the load-test runner; resolves { code, output } once it exits by itself. */
function runLoadtest(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["loadtest/run.mjs", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

interface Report {
  runs: Array<{
    endpoints: string[];
    totals: { joins: number };
    hosts: Array<{ worlds: Record<string, number> }>;
    summary: { redis: { joinPhase: { joins: number; commands: number } } };
  }>;
}

describe("loadtest --processes", () => {
  it("refuses a Redis that is not on this machine, and --processes with --endpoint, exit code 2", async () => {
    const remote = await runLoadtest(["--processes", "2", "--redis", "redis://10.1.2.3:6379/13"]);
    expect(remote.code).toBe(2);
    expect(remote.output).toContain("--redis: 10.1.2.3 is not a loopback address");
    const endpoint = await runLoadtest(["--processes", "2", "--endpoint", "ws://127.0.0.1:2567"]);
    expect(endpoint.code).toBe(2);
    expect(endpoint.output).toContain("cannot be combined with --endpoint");
  });

  it("two processes: every bot joins, each world runs in one process, and the joins used Redis", async () => {
    (await resetTestRedis()).disconnect();
    const out = makeTempDir();
    const run = await runLoadtest(["--processes", "2", "--redis", testRedisUrl(), "--clients", String(CLIENTS), "--probes", "4", "--rooms", "2", "--seconds", "8", "--no-pin", "--smoke", "--out", out]);
    expect(run.output).toContain("smoke: ok");
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as Report;
    const [arbiter] = report.runs;
    expect(arbiter!.endpoints).toHaveLength(2);
    expect(arbiter!.totals.joins).toBe(CLIENTS);
    const hosted = arbiter!.hosts.flatMap((host) => Object.keys(host.worlds));
    expect(hosted.sort()).toEqual(["lt-1", "lt-2"]);
    expect(arbiter!.summary.redis.joinPhase.joins).toBe(CLIENTS);
    expect(arbiter!.summary.redis.joinPhase.commands).toBeGreaterThan(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/^\| 2 \| \d+ of 40 \|/m);
  });
});
