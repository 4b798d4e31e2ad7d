/**
 * Scale-out through Colyseus's Redis presence and driver (issue 14), with two real server
 * processes sharing one Redis and one SQLite file: a client on each joins the same world and both
 * see the same push; and two processes never host the same world, even when both receive a join
 * for it in the same moment (100 worlds, each joined through both processes at once).
 */
import { Client, type Room } from "@colyseus/sdk";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServer, type ServerProcess } from "../support/process.ts";
import { resetTestRedis, testRedisUrl } from "../support/redis.ts";
import { seenAt, signIn, testPort, waitFor, writeWorlds } from "../support/server.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";

const PIER = { map: ["#######", "#S....#", "#S....#", "#######"], npcs: [{ id: "crate", name: "Crate", at: [3, 1], behaviours: ["Moveable"] }] };
const RACES = 100;
const race = () => ({ map: ["#####", "#S.S#", "#####"], npcs: [] });

let redis: Redis;
const servers: ServerProcess[] = [];
const ports = [testPort(0), testPort(1)];

beforeAll(async () => {
  redis = await resetTestRedis();
  const dataDir = makeTempDir();
  writeWorlds({ pier: PIER, ...Object.fromEntries(Array.from({ length: RACES }, (_, i) => [`race-${i}`, race()])) }, dataDir);
  for (const port of ports) {
    servers.push(await spawnServer({ PORT: String(port), DATA_DIR: dataDir, REDIS_URL: testRedisUrl(), PUBLIC_ADDRESS: `127.0.0.1:${port}`, ADMIN_PASSWORD: "scale-admin-password", HTTP_RATE_LIMIT: "0", LOG_LEVEL: "warn" }));
  }
});
afterAll(async () => {
  for (const server of servers) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
  await redis?.quit();
  removeTempDirs();
});

/** A signed-in client of the process on `port`. */
async function clientOf(port: number): Promise<Client> {
  const client = new Client(`http://127.0.0.1:${port}`);
  client.auth.token = undefined as unknown as string;
  await signIn(client);
  return client;
}

describe("two processes on one Redis", () => {
  it("a client on each process joins the same world and both see the same push", async () => {
    const a = await (await clientOf(ports[0]!)).joinOrCreate("world", { worldId: "pier", name: "Ann" });
    const b = await (await clientOf(ports[1]!)).joinOrCreate("world", { worldId: "pier", name: "Bob" });
    expect(b.roomId).toBe(a.roomId);
    await waitFor(() => a.state.actors?.size === 3 && b.state.actors?.size === 3, "both players and the crate in both views");
    const ann = [...a.state.actors.values()].find((actor) => actor.name === "Ann")!;
    expect(seenAt(a, ann.id)).toEqual([1, 1]);
    a.send("move", { dir: "E" }); // Ann steps to (2,1)
    await waitFor(() => seenAt(b, ann.id)?.[0] === 2, "Bob to see Ann's step");
    a.send("move", { dir: "E" }); // into the crate: it is pushed to (4,1)
    await waitFor(() => seenAt(b, "crate")?.[0] === 4, "Bob to see the crate pushed");
    expect(seenAt(b, "crate")).toEqual([4, 1]);
    expect(seenAt(a, "crate")).toEqual([4, 1]);
    expect(seenAt(b, ann.id)).toEqual([3, 1]);
    await Promise.all([a.leave(), b.leave()]);
  });

  it(`never hosts one world in two processes, even for joins at the same moment (${RACES} worlds)`, async () => {
    const [first, second] = [await clientOf(ports[0]!), await clientOf(ports[1]!)];
    for (let i = 0; i < RACES; i++) {
      const worldId = `race-${i}`;
      const rooms: Room[] = await Promise.all([first.joinOrCreate("world", { worldId }), second.joinOrCreate("world", { worldId })]);
      expect(rooms[1]!.roomId, worldId).toBe(rooms[0]!.roomId);
      const holders = await redis.keys(`arbiter:world-claim:${worldId}`);
      expect(holders, worldId).toHaveLength(1);
      await Promise.all(rooms.map((room) => room.leave()));
    }
    const hosted = await redis.hgetall("roomcaches");
    const worlds = Object.values(hosted).map((cache) => JSON.parse(cache).metadata?.worldId as string);
    expect(new Set(worlds).size).toBe(worlds.length);
  });
});
