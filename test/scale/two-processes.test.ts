/**
 * Scale-out through Colyseus's Redis presence and driver (issue 14), with two real server
 * processes sharing one Redis and one SQLite file: a client on each joins the same world and both
 * see the same push; and two processes never host the same world, even when both receive a join
 * for it in the same moment (100 worlds, each joined through both processes at once).
 */
import { cpSync } from "node:fs";
import { join } from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServer, type ServerProcess } from "../support/process.ts";
import { resetTestRedis, testRedisUrl } from "../support/redis.ts";
import { seenAt, signIn, testPort, waitFor, writeWorlds } from "../support/server.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";

const CHAT = { slotId: "chat", interactionId: "talk", config: { affinityGain: 2, dailyCap: 6 } };
const PIER = {
  map: ["#######", "#S....#", "#S....#", "#######"],
  npcs: [
    { id: "crate", name: "Crate", at: [3, 1], behaviours: ["Moveable"] },
    { id: "keeper", name: "Keeper", at: [5, 2], behaviours: [], plugins: { interactions: { slots: [CHAT] } } },
  ],
};
const ROOM = { map: ["######", "#S..S#", "######"], npcs: [] };
const RACES = 100;
const STORM = 10;
const race = () => ({ map: ["#####", "#S.S#", "#####"], npcs: [] });

let redis: Redis;
const servers: ServerProcess[] = [];
const ports = [testPort(0), testPort(1)];

beforeAll(async () => {
  redis = await resetTestRedis();
  const dataDir = makeTempDir();
  for (const folder of ["characters", "items", "narrative"]) cpSync(new URL(`../../data/${folder}`, import.meta.url).pathname, join(dataDir, folder), { recursive: true });
  writeWorlds({ pier: PIER, east: ROOM, west: ROOM, ...Object.fromEntries(Array.from({ length: STORM }, (_, i) => [`storm-${i}`, ROOM])), ...Object.fromEntries(Array.from({ length: RACES }, (_, i) => [`race-${i}`, race()])) }, dataDir);
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
    await waitFor(() => a.state.actors?.size === 4 && b.state.actors?.size === 4, "both players, the crate and the keeper in both views");
    const ann = [...a.state.actors.values()].find((actor) => actor.name === "Ann")!;
    expect(seenAt(a, ann.id)).toEqual([1, 1]);
    a.send("move", { dir: "E" }); // Ann steps to (2,1)
    await waitFor(() => seenAt(b, ann.id)?.[0] === 2, "Bob to see Ann's step");
    a.send("move", { dir: "E" }); // into the crate: it is pushed to (4,1)
    await waitFor(() => seenAt(b, "crate")?.[0] === 4 && seenAt(a, "crate")?.[0] === 4 && seenAt(b, ann.id)?.[0] === 3, "both to see the crate pushed and Ann behind it");
    expect(seenAt(b, "crate")).toEqual([4, 1]);
    expect(seenAt(a, "crate")).toEqual([4, 1]);
    expect(seenAt(b, ann.id)).toEqual([3, 1]);
    await Promise.all([a.leave(), b.leave()]);
  });

  it("a session moves from a world on one process to a world on the other with its inventory and stats", async () => {
    const [viaA, viaB] = [await clientOf(ports[0]!), await clientOf(ports[1]!)];
    const east = await viaA.joinOrCreate("world", { worldId: "east", name: "Eve" });
    const welcomed = new Promise<{ sessionId: string; actorId: string }>((resolve) => east.onMessage("welcome", resolve));
    const keeper = await (await clientOf(ports[1]!)).joinOrCreate("world", { worldId: "east", name: "Keeper" }); // keeps east open
    const welcome = await welcomed;
    await waitFor(() => east.state.actors?.get(welcome.actorId)?.owner?.items?.get("apple") === 2, "Eve's starting apples");
    east.send("use", { itemId: "apple" });
    await waitFor(() => east.state.actors.get(welcome.actorId)!.owner!.items!.get("apple") === 1, "an apple eaten");
    const owner = east.state.actors.get(welcome.actorId)!.owner!;
    const before = { gold: owner.gold, items: Object.fromEntries(owner.items!.entries()), stats: Object.fromEntries(owner.stats.entries()) };
    await east.leave();
    // Eve's token resumes her session, through the other process, into a world another process hosts.
    viaB.auth.token = viaA.auth.token!;
    const west = await viaB.joinOrCreate("world", { worldId: "west", sessionId: welcome.sessionId });
    const back = await new Promise<{ sessionId: string; actorId: string }>((resolve) => west.onMessage("welcome", resolve));
    expect(back.sessionId).toBe(welcome.sessionId);
    await waitFor(() => west.state.actors?.get(back.actorId)?.owner?.items !== undefined, "Eve's inventory in the west");
    const moved = west.state.actors.get(back.actorId)!.owner!;
    expect({ gold: moved.gold, items: Object.fromEntries(moved.items!.entries()), stats: Object.fromEntries(moved.stats.entries()) }).toEqual(before);
    const hosts = Object.values(await redis.hgetall("roomcaches")).map((cache) => JSON.parse(cache) as { processId: string; metadata: { worldId: string } });
    const hostOf = (worldId: string) => hosts.find((h) => h.metadata.worldId === worldId)!.processId;
    expect(hostOf("west")).not.toBe(hostOf("east"));
    // Connected through one process, the session is refused through the other.
    const again = new Client(`http://127.0.0.1:${ports[0]}`);
    again.auth.token = viaA.auth.token!;
    await expect(again.joinOrCreate("world", { worldId: "east", sessionId: welcome.sessionId })).rejects.toThrow(`session/already-connected: session "${welcome.sessionId}" is already connected to world west`);
    await Promise.all([west.leave(), keeper.leave()]);
  });

  it("HTTP routes on the process without the world reach it through its port: an NPC's stats and a session's action", async () => {
    const viaA = await clientOf(ports[0]!);
    const room = await viaA.joinOrCreate("world", { worldId: "pier", name: "Hal" });
    const welcome = await new Promise<{ sessionId: string; actorId: string }>((resolve) => room.onMessage("welcome", resolve));
    const hosts = Object.values(await redis.hgetall("roomcaches")).map((cache) => JSON.parse(cache) as { processId: string; publicAddress: string; metadata: { worldId: string } });
    const host = hosts.find((h) => h.metadata.worldId === "pier")!;
    const hostPort = Number(host.publicAddress.split(":")[1]);
    const otherPort = ports.find((p) => p !== hostPort)!;
    const admin = { authorization: `Basic ${Buffer.from("admin:scale-admin-password").toString("base64")}`, "content-type": "application/json" };
    const url = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;
    const written = await fetch(url(otherPort, "/api/npcs/crate/stats/attributes?worldId=pier"), { method: "PATCH", headers: admin, body: JSON.stringify({ health: 40 }) });
    expect(written.status).toBe(200);
    const body = await written.json();
    expect(body).toMatchObject({ worldId: "pier", npcId: "crate", type: "attributes", stats: { health: 40 } });
    const readOnHost = await (await fetch(url(hostPort, "/api/npcs/crate/stats/attributes?worldId=pier"))).json();
    expect(readOnHost).toEqual(body);
    const readElsewhere = await (await fetch(url(otherPort, "/api/npcs/crate/stats/attributes?worldId=pier"))).json();
    expect(readElsewhere).toEqual(body);
    const refused = await fetch(url(otherPort, "/api/npcs/nobody/stats/attributes?worldId=pier"));
    expect(refused.status).toBe(404);
    expect((await refused.json()).error.code).toBe("npc/not-found");
    // A session's action, through the process that does not host its world.
    const moved = await fetch(url(otherPort, `/api/sessions/${welcome.sessionId}/actions`), { method: "POST", headers: { authorization: `Bearer ${viaA.auth.token}`, "content-type": "application/json" }, body: JSON.stringify({ type: "move", dir: "S" }) });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ sessionId: welcome.sessionId, worldId: "pier", moved: true, position: [1, 2] });
    const bad = await fetch(url(otherPort, `/api/sessions/${welcome.sessionId}/actions`), { method: "POST", headers: { authorization: `Bearer ${viaA.auth.token}`, "content-type": "application/json" }, body: JSON.stringify({ type: "move", dir: "UP" }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "request/invalid", details: { problems: [expect.stringContaining("dir")] } });
    // Plugins' routes of that world run where it runs: the live inventory, an NPC's (admin).
    const inventory = await (await fetch(url(otherPort, `/api/sessions/${welcome.sessionId}/inventory`), { headers: { authorization: `Bearer ${viaA.auth.token}` } })).json();
    expect(inventory).toMatchObject({ sessionId: welcome.sessionId, worldId: "pier", actorId: welcome.actorId, gold: 10 });
    const crate = await (await fetch(url(otherPort, "/api/worlds/pier/npcs/crate/inventory"), { headers: admin })).json();
    expect(crate).toEqual({ worldId: "pier", npcId: "crate", gold: 0, items: {}, equipped: {} });
    const missing = await fetch(url(otherPort, "/api/worlds/pier/npcs/nobody/inventory"), { headers: admin });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("npc/not-found");
    // A plugin's admin tool that names the world (not a session's or an NPC's route) reaches it too.
    const executed = await fetch(url(otherPort, "/api/interactions/execute"), { method: "POST", headers: admin, body: JSON.stringify({ worldId: "pier", sessionId: welcome.sessionId, targetId: "keeper", slotId: "chat" }) });
    expect(executed.status).toBe(200);
    expect(await executed.json()).toMatchObject({ interactionId: "talk", slotId: "chat", targetId: "keeper", success: true });
    // The process without the world shows it on /metrics and in the monitor, with its host.
    const metrics = await (await fetch(url(otherPort, "/metrics"), { headers: admin })).text();
    expect(metrics).toContain(`arbiter_cluster_room_clients{world="pier",process="127.0.0.1:${hostPort}"} 1`);
    const watched = await (await fetch(url(otherPort, "/api/admin/worlds/pier/actors"), { headers: admin })).json();
    expect(watched.actors).toHaveLength(3);
    expect(watched.actors.find((a: { id: string }) => a.id === welcome.actorId)).toMatchObject({ name: "Hal", x: 1, y: 2 });
    const listed = await (await fetch(url(otherPort, "/api/admin/worlds"), { headers: admin })).json();
    expect(listed.worlds.find((w: { id: string }) => w.id === "pier")).toMatchObject({ running: true, clients: 1, tick: expect.any(Number) });
    const monitored = await (await fetch(url(otherPort, "/monitor/api"), { headers: admin })).json();
    expect(monitored.columns).toContain("publicAddress");
    expect(monitored.rooms.find((r: { metadata: { worldId: string } }) => r.metadata.worldId === "pier")).toMatchObject({ clients: 1, publicAddress: `127.0.0.1:${hostPort}` });
    await room.leave();
  });

  it(`worlds opened in a join storm are spread over both processes (${STORM} worlds at once)`, async () => {
    const [first, second] = [await clientOf(ports[0]!), await clientOf(ports[1]!)];
    const rooms = await Promise.all(Array.from({ length: STORM }, (_, i) => (i % 2 ? second : first).joinOrCreate("world", { worldId: `storm-${i}` })));
    const hosts = Object.values(await redis.hgetall("roomcaches")).map((cache) => JSON.parse(cache) as { publicAddress: string; metadata: { worldId: string } });
    const perProcess = ports.map((port) => hosts.filter((h) => h.metadata.worldId.startsWith("storm-") && h.publicAddress === `127.0.0.1:${port}`).length);
    expect(perProcess[0]! + perProcess[1]!).toBe(STORM);
    expect(perProcess).toEqual([STORM / 2, STORM / 2]); // in turn: one world each, by the counter in Redis
    await Promise.all(rooms.map((room) => room.leave()));
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
