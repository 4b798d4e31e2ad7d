import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInClient, joinWorld, seenAt, startTestServer, TEST_ADMIN_PASSWORD, waitFor, waitTicks, type TestServer } from "../support/server.ts";

const npc = (id: string, x: number, y: number, behaviours: string[]) => ({ id, name: id, at: [x, y], behaviours });

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    chain: { map: ["##########", "#S.......#", "#S.......#", "##########"], npcs: [npc("c1", 2, 1, ["Moveable"]), npc("c2", 3, 1, ["Moveable"]), npc("c3", 4, 1, ["Moveable"])] },
    lobby: { map: ["#######", "#S...S#", "#######"] },
    tiny: { map: ["####", "#S.#", "####"] },
  });
});

afterAll(async () => {
  await server?.shutdown();
});

describe("world room through the real server", () => {
  it("welcomes a player with its actor id, world and tick, and shows the actor in the synced state", async () => {
    const a = await joinWorld(server.client(), { worldId: "lobby", name: "Ada" });
    expect(a.welcome.worldId).toBe("lobby");
    expect(a.welcome.actorId).toMatch(/^player-\d+$/);
    // Sent after the first tick that follows the join (README, "welcome").
    expect(a.welcome.tick).toBeGreaterThanOrEqual(1);
    const me = a.room.state.actors.get(a.welcome.actorId);
    expect(me).toMatchObject({ kind: "player", name: "Ada", x: 1, y: 1 });
    // Behaviours are a bitmask over the room's behaviour names (README, "Synced state").
    const names = [...a.room.state.behaviourNames];
    expect(names).toEqual(["Moveable", "Frightened", "Aggressive"]);
    expect(names.filter((_, k) => (me.behaviours & (1 << k)) !== 0)).toEqual(["Moveable"]);
    expect(me.owner.stats.get("attributes.health")).toBe(100);
    await a.room.leave();
  });

  it("a player pushes a line of NPCs and every client sees the new positions", async () => {
    const a = await joinWorld(server.client(), { worldId: "chain" });
    const b = await joinWorld(server.client(), { worldId: "chain" });
    expect(b.room.roomId).toBe(a.room.roomId);
    a.room.send("move", { dir: "E" });
    for (const { room } of [a, b]) {
      await waitFor(() => seenAt(room, "c3")?.[0] === 5, "c3 pushed to x=5");
      expect(seenAt(room, a.welcome.actorId)).toEqual([2, 1]);
      expect(seenAt(room, "c1")).toEqual([3, 1]);
      expect(seenAt(room, "c2")).toEqual([4, 1]);
    }
    await a.room.leave();
    await b.room.leave();
  });

  it("malformed messages get error replies while another client keeps receiving patches", async () => {
    const bad = await joinWorld(server.client(), { worldId: "lobby" });
    const good = await joinWorld(server.client(), { worldId: "lobby" });
    const sent: Array<[string, unknown]> = [["move", { dir: "X" }], ["move", "E"], ["move", {}], ["teleport", { x: 3 }]];
    for (const [type, payload] of sent) bad.room.send(type, payload);
    await waitFor(() => bad.errors.length >= sent.length, "four error replies");
    expect(bad.errors.map((e) => e.code)).toEqual(["command/invalid", "command/invalid", "command/invalid", "command/unknown-type"]);
    expect(bad.errors[0]!.message).toContain("dir");
    expect(bad.errors[3]!.message).toContain("teleport");
    await waitTicks(good.room, 3);
    expect(bad.leftWith).toBeUndefined();
    expect(seenAt(bad.room, bad.welcome.actorId)).toEqual([1, 1]);
    bad.room.send("move", { dir: "E", x: 4, y: 1 });
    await waitFor(() => seenAt(good.room, bad.welcome.actorId)?.[0] === 2, "the other client sees the move");
    await bad.room.leave();
    await good.room.leave();
  });

  it("a join to an unknown world or a full world fails with a clear error; the room keeps running", async () => {
    await expect((await signedInClient(server, { worldId: "atlantis" })).joinOrCreate("world", { worldId: "atlantis" })).rejects.toThrow(/world\/not-found.*atlantis/);
    await expect((await signedInClient(server, { worldId: 42 })).joinOrCreate("world", { worldId: 42 })).rejects.toThrow(/join options.*worldId/);
    const first = await joinWorld(server.client(), { worldId: "tiny" });
    await expect((await signedInClient(server, { worldId: "tiny" })).joinOrCreate("world", { worldId: "tiny" })).rejects.toThrow(/world\/no-free-spawn/);
    await waitTicks(first.room, 2);
    expect(first.leftWith).toBeUndefined();
    await first.room.leave();
  });

  it("a player who leaves disappears from the world", async () => {
    const a = await joinWorld(server.client(), { worldId: "lobby" });
    const b = await joinWorld(server.client(), { worldId: "lobby" });
    await a.room.leave();
    await waitFor(() => !b.room.state.actors.has(a.welcome.actorId), "the leaver's actor to vanish");
    await b.room.leave();
  });

  it("a flooding client is disconnected with close code 4002; others are unaffected", async () => {
    const flooder = await joinWorld(server.client(), { worldId: "lobby" });
    const calm = await joinWorld(server.client(), { worldId: "lobby" });
    for (let i = 0; i < 100; i++) flooder.room.send("move", { dir: i % 2 ? "E" : "W" });
    await waitFor(() => flooder.leftWith !== undefined, "the flooder to be disconnected");
    expect(flooder.leftWith).toBe(4002);
    await waitTicks(calm.room, 3);
    expect(calm.leftWith).toBeUndefined();
    await waitFor(() => !calm.room.state.actors.has(flooder.welcome.actorId), "the flooder's actor to leave");
    await calm.room.leave();
  });
});

describe("admin surfaces", () => {
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });

  it("the monitor answers 401 without credentials or with a wrong password", async () => {
    for (const path of ["/monitor", "/monitor/", "/monitor/api", "/monitor/api/room/call?roomId=x&method=disconnect&args=%5B%5D"]) {
      expect((await fetch(url(path))).status).toBe(401);
      expect((await fetch(url(path), { headers: basic("admin", "wrong") })).status).toBe(401);
    }
  });

  it("the monitor lists the running world rooms with credentials", async () => {
    const a = await joinWorld(server.client(), { worldId: "lobby" });
    const res = await fetch(url("/monitor/api"), { headers: basic("admin", TEST_ADMIN_PASSWORD) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rooms: Array<{ name: string; clients: number; metadata: { worldId: string } }> };
    expect(body.rooms.some((r) => r.name === "world" && r.metadata.worldId === "lobby" && r.clients === 1)).toBe(true);
    const page = await fetch(url("/monitor/"), { headers: basic("admin", TEST_ADMIN_PASSWORD) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    await a.room.leave();
  });

  it("health is served at /__healthcheck", async () => {
    expect((await fetch(url("/__healthcheck"))).status).toBe(200);
  });
});
