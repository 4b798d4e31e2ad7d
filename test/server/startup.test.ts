import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { testPort } from "../support/server.ts";
import { makeDataDir, removeTempDirs, worldJson } from "../support/temp-data.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Starting tsx takes a few seconds; a start-up failure must end the process well within this. */
const EXIT_TIMEOUT_MS = 45_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  child = undefined;
  removeTempDirs();
});

/** Runs `npm start`'s entry point with `env` on top of this process's environment; resolves when it exits. */
function runServer(env: Record<string, string>): Promise<Exit> {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(testPort(3)), ADMIN_PASSWORD: "startup-admin", LOG_LEVEL: "info", DEFAULT_WORLD: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let stdout = "";
  let stderr = "";
  proc.stdout!.on("data", (d) => (stdout += d));
  proc.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`the server did not exit within ${EXIT_TIMEOUT_MS} ms:\n${stdout}${stderr}`));
    }, EXIT_TIMEOUT_MS);
    proc.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A stack frame line such as `    at main (file:///…/main.ts:12:3)`. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

describe("start-up failures through the real entry point (src/server/main.ts)", () => {
  it("a world file with an NPC on a wall exits 1 naming the file, npcs[0].at and the wall, without a stack trace", async () => {
    const crate = { id: "crate", name: "Crate", at: [0, 1], behaviours: ["Moveable"] };
    const dataDir = makeDataDir({ "docks.json": worldJson("docks", { npcs: [crate] }) });
    const databasePath = join(dataDir, "arbiter.sqlite");
    const exit = await runServer({ DATA_DIR: dataDir, DATABASE_PATH: databasePath });
    expect(exit.code, exit.stdout + exit.stderr).toBe(1);
    expect(exit.stderr).toContain("world/bad-file");
    expect(exit.stderr).toContain(join("worlds", "docks.json"));
    expect(exit.stderr).toContain("npcs[0].at: [0, 1] is a wall");
    expect(exit.stderr).not.toMatch(STACK_FRAME);
    expect(existsSync(databasePath), "no database is created for bad worlds").toBe(false);
  }, 60_000);

  it("PORT=abc exits 1 naming PORT, without a stack trace", async () => {
    const dataDir = makeDataDir({ "docks.json": worldJson("docks") });
    const exit = await runServer({ DATA_DIR: dataDir, PORT: "abc" });
    expect(exit.code, exit.stdout + exit.stderr).toBe(1);
    expect(exit.stderr).toContain("config/invalid");
    expect(exit.stderr).toMatch(/PORT: /);
    expect(exit.stderr).not.toMatch(STACK_FRAME);
  }, 60_000);
});
