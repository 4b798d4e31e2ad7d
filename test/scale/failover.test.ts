/**
 * A process that dies is survived (issue 14): two server processes share Redis and one SQLite
 * file; players walk in a world hosted by one of them, which is killed with SIGKILL. Their joins
 * through the other process are refused with a clear code until the dead process's claims lapse
 * (`CLAIM_TTL_MS`), then succeed: the world reopens on the survivor from its snapshot and journal,
 * every committed tick as it was (the journal before and after agree, row for row), the next tick
 * following the last committed one, and `npm run replay` verifies the whole journal.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Client, type Room } from "@colyseus/sdk";
import BetterSqlite3 from "better-sqlite3";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServer, type ServerProcess } from "../support/process.ts";
import { resetTestRedis, testRedisUrl } from "../support/redis.ts";
import { signIn, testPort, waitFor, writeWorlds } from "../support/server.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const YARD = { map: ["##########", "#SSSS....#", "#........#", "#........#", "##########"], npcs: [{ id: "crate", name: "Crate", at: [6, 2], behaviours: ["Moveable"] }] };
const CLAIM_TTL_MS = 4000;
const DIRS = ["N", "E", "S", "W"] as const;

let redis: Redis;
let dataDir: string;
const servers: ServerProcess[] = [];
const ports = [testPort(0), testPort(1)];
const env = (port: number) => ({
  PORT: String(port),
  DATA_DIR: dataDir,
  REDIS_URL: testRedisUrl(),
  PUBLIC_ADDRESS: `127.0.0.1:${port}`,
  ADMIN_PASSWORD: "failover-admin-password",
  HTTP_RATE_LIMIT: "0",
  CLAIM_TTL_MS: String(CLAIM_TTL_MS),
  SNAPSHOT_EVERY_TICKS: "40",
  LOG_LEVEL: "warn",
});

beforeAll(async () => {
  redis = await resetTestRedis();
  dataDir = writeWorlds({ yard: YARD }, makeTempDir());
  for (const port of ports) servers.push(await spawnServer(env(port)));
});
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  await redis?.quit();
  removeTempDirs();
});

interface Bot {
  client: Client;
  room: Room;
  sessionId: string;
  walking: NodeJS.Timeout;
}

async function joinBot(port: number, index: number): Promise<Bot> {
  const client = new Client(`http://127.0.0.1:${port}`);
  client.auth.token = undefined as unknown as string;
  await signIn(client);
  const room = await client.joinOrCreate("world", { worldId: "yard", name: `Bot ${index}` });
  room.reconnection.enabled = false; // the test rejoins by itself, through the surviving process
  const { sessionId } = await new Promise<{ sessionId: string }>((resolve) => room.onMessage("welcome", resolve));
  let step = index;
  const walking = setInterval(() => {
    if (room.connection.isOpen) room.send("move", { dir: DIRS[step++ % 4]! });
  }, 120);
  return { client, room, sessionId, walking };
}

const journalOf = (): Array<{ tick: number; inputs: string; hash: string }> => {
  const db = new BetterSqlite3(`${dataDir}/arbiter.sqlite`, { readonly: true, timeout: 5000 });
  try {
    return db.prepare("SELECT tick, inputs, hash FROM journal WHERE world_id = 'yard' ORDER BY tick").all() as Array<{ tick: number; inputs: string; hash: string }>;
  } finally {
    db.close();
  }
};

describe("a process killed with SIGKILL", () => {
  it("its world comes back on the other process with no committed tick lost, and replays verified", async () => {
    const bots = [await joinBot(ports[0]!, 0), await joinBot(ports[1]!, 1), await joinBot(ports[0]!, 2), await joinBot(ports[1]!, 3)];
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const [cache] = Object.values(await redis.hgetall("roomcaches")).map((c) => JSON.parse(c) as { publicAddress: string });
    const hostIndex = ports.indexOf(Number(cache!.publicAddress.split(":")[1]));
    const survivor = ports[1 - hostIndex]!;
    servers[hostIndex]!.child.kill("SIGKILL");
    await servers[hostIndex]!.exited;
    for (const bot of bots) clearInterval(bot.walking);
    const before = journalOf();
    expect(before.length).toBeGreaterThan(20);
    const lastCommitted = before.at(-1)!.tick;

    // Every player comes back through the survivor: refused with a clear code until the world is back.
    const refusals = new Set<string>();
    const back: Room[] = [];
    for (const bot of bots) {
      const client = new Client(`http://127.0.0.1:${survivor}`);
      client.auth.token = bot.client.auth.token!;
      for (let attempt = 0; ; attempt++) {
        try {
          back.push(await client.joinOrCreate("world", { worldId: "yard", sessionId: bot.sessionId }));
          break;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          refusals.add(message.replace(/"[^"]*"|\S+:\d+:[0-9a-f]+|process \S+/g, "…"));
          if (attempt > 60) throw new Error(`bot ${bot.sessionId} never came back: ${message}`);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    }
    expect(back).toHaveLength(4);
    expect(refusals.size).toBeGreaterThan(0); // the first attempt comes well within CLAIM_TTL_MS of the kill
    for (const refusal of refusals) expect(refusal).toMatch(/^(world\/already-hosted|session\/already-connected|.*is not available)/);

    // The journal is what it was up to the last committed tick, and the world goes on from there.
    await waitFor(() => journalOf().at(-1)!.tick > lastCommitted + 5, "the reopened world to tick on", 10_000);
    const after = journalOf();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[before.length]!.tick).toBe(lastCommitted + 1);
    await Promise.all(back.map((room) => room.leave()));

    // Stopped gracefully, the survivor leaves a journal that replays hash for hash.
    servers[1 - hostIndex]!.child.kill("SIGTERM");
    await servers[1 - hostIndex]!.exited;
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/server/replay/main.ts", "--world", "yard"], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "warn" } });
    expect(stdout).toMatch(/^\d+ ticks verified/m);
    const verified = Number(/^(\d+) ticks verified/m.exec(stdout)![1]);
    expect(verified).toBeGreaterThanOrEqual(after.length - 1);
  });
});
