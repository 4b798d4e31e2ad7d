/**
 * Reconnection (issue 12, rooms/reconnection.ts) through the real server with real SDK clients: a
 * dropped client comes back to the same actor, position, session, stats and inventory with its
 * reconnection token; meanwhile its actor stays, idle and pushable, and its session locked; after
 * the window the actor leaves and the session is saved as on any leave; a kicked client is offered
 * nothing; a silent drop (no FIN) is noticed by the transport's ping check and gets a window too.
 */
import { fileURLToPath } from "node:url";
import { ErrorCode, type Client, type Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorldRoom } from "../../rooms/world-room.ts";
import { marketDataDir, seenInventory } from "../support/items.ts";
import { bootTestServer, joinWorld, seenAt, signedInClient, waitFor, type JoinedClient, type TestServer } from "../support/server.ts";

const PLUGINS = fileURLToPath(new URL("../fixtures/plugins/items", import.meta.url));
const HEALTH = "attributes.health";
/** Spawns [2, 1] then [3, 1] in reading order ([1, 1] is free for a push west), then two more. */
const YARD = { map: ["#########", "#.SS....#", "#.....SS#", "#########"], npcs: [] };
/** A narrow view (radius 2, gone past 4 cells): spawns [1, 1] and [3, 1] see each other, [6, 1] is out of sight of [1, 1]. */
const FIELD = { map: ["##########", "#S.S.....#", "##########"], npcs: [], interestRadius: 2 };
const WINDOW_S = 20;

let server: TestServer;

beforeAll(async () => {
  // Players start with the porter's 60 health, 10 gold, 2 apples and a knife (test/support/items.ts).
  // Pings every second: a silent client is cut within 3 s.
  server = await bootTestServer(marketDataDir({ yard: YARD, field: FIELD }), { PLUGINS_DIR: PLUGINS, RECONNECT_WINDOW_S: String(WINDOW_S), PING_INTERVAL_MS: "1000" });
});

afterAll(async () => {
  await server?.shutdown();
});

const world = () => server.services.runtimes.get("yard")!.world;
/** Whether the world holds `actorId` (false once the room closed, with its last client). */
const inWorld = (actorId: string) => server.services.runtimes.get("yard")?.world.byId.has(actorId) ?? false;
const join = (options: Record<string, unknown> = {}) => joinWorld(server.client(), { worldId: "yard", ...options });
const stat = (room: Room, actorId: string, key: string) => room.state.actors.get(actorId)?.owner?.stats.get(key);
const counted = async (metric: "reconnections" | "reconnectWindowsExpired") => (await server.services.metrics[metric].get()).values.find((v) => v.labels.world === "yard")?.value ?? 0;

/** The `ws` socket under an SDK room (Node: the `ws` package's WebSocket) and its TCP socket. */
interface ClientSocket {
  _socket: { pause(): void; resume(): void; destroy(): void };
  close(code?: number, reason?: string): void;
}
function socketOf(room: Room): ClientSocket {
  return (room.connection as unknown as { transport: { ws: ClientSocket } }).transport.ws;
}

/** Turns off the SDK's own retries, so the test reconnects by hand (or not at all). */
function noAutoReconnect(joined: JoinedClient): JoinedClient {
  joined.room.reconnection.enabled = false;
  return joined;
}

/** Whether the server holds `room`'s seat for a reconnection with its token: the client dropped and its window is open. */
function inWindow(room: Room, token: string): boolean {
  const serverRoom = server.colyseus.getRoomById<WorldRoom>(room.roomId);
  return serverRoom.hasReservedSeat(room.sessionId, token.split(":")[1]) && !serverRoom.clients.some((c) => c.sessionId === room.sessionId);
}

/** Reconnects with `token` (`client.reconnect`) and waits for `welcome` and the state, as joinWorld does. */
async function reconnect(client: Client, token: string): Promise<JoinedClient> {
  const room = await client.reconnect(token);
  const joined: Partial<JoinedClient> & { errors: JoinedClient["errors"] } = { room, errors: [], leftWith: undefined };
  room.onMessage("welcome", (m) => (joined.welcome = m));
  room.onMessage("error", (m) => joined.errors.push(m));
  room.onMessage("*", () => {});
  room.onLeave((code) => (joined.leftWith = code));
  await waitFor(() => joined.welcome !== undefined && room.state?.actors?.size > 0, "welcome and state after the reconnection");
  return joined as JoinedClient;
}

/** The SDK's error for a refused reconnection: the seat is no longer held for the token. */
const EXPIRED = { code: ErrorCode.MATCHMAKE_EXPIRED, message: expect.stringMatching(/reconnection token invalid or expired/) };

describe("reconnection", () => {
  it("a dropped client reconnects with its token to the same actor, position, session, stats and inventory; meanwhile its actor stays, can be pushed, and its session cannot be joined", async () => {
    const a = noAutoReconnect(await join());
    const b = await join();
    const me = a.welcome.actorId;
    const sessionId = a.welcome.sessionId!;
    expect(seenAt(b.room, me)).toEqual([2, 1]);
    expect(seenAt(b.room, b.welcome.actorId)).toEqual([3, 1]);
    // Progress the reconnection must keep: an apple eaten (health 60 → 75, one apple left).
    a.room.send("use", { itemId: "apple" });
    await waitFor(() => stat(a.room, me, HEALTH) === 75 && seenInventory(a.room, me).items["apple"] === 1, "the apple eaten");
    const reconnectionsBefore = await counted("reconnections");

    // The connection is lost: the socket is destroyed, no leave is sent.
    const token = a.room.reconnectionToken;
    socketOf(a.room)._socket.destroy();
    await waitFor(() => a.leftWith !== undefined, "the client to see its connection lost");
    await waitFor(() => inWindow(a.room, token), "the server to open a reconnection window");
    expect(world().byId.get(me)).toMatchObject({ x: 2, y: 1 });
    expect(server.services.connectedSessions.get(sessionId)).toBe("yard");
    // Not even by its owner.
    await expect((await signedInClient(server, { sessionId })).joinOrCreate("world", { sessionId })).rejects.toThrow(/session\/already-connected/);

    // The idle actor can still be pushed: b walks west into it.
    b.room.send("move", { dir: "W" });
    await waitFor(() => seenAt(b.room, me)?.[0] === 1, "the dropped actor pushed to x=1");
    expect(seenAt(b.room, b.welcome.actorId)).toEqual([2, 1]);

    const back = await reconnect(server.client(), token);
    expect(back.welcome).toMatchObject({ actorId: me, worldId: "yard", sessionId });
    expect(back.room.sessionId).toBe(a.room.sessionId);
    expect(seenAt(back.room, me)).toEqual([1, 1]);
    expect(seenAt(back.room, b.welcome.actorId)).toEqual([2, 1]);
    await waitFor(() => stat(back.room, me, HEALTH) === 75, "the owner's stats after the reconnection");
    await waitFor(() => seenInventory(back.room, me).gold === 10, "the owner's inventory after the reconnection");
    expect(seenInventory(back.room, me)).toEqual({ gold: 10, items: { apple: 1, knife: 1 }, equipped: {} });
    expect(await counted("reconnections")).toBe(reconnectionsBefore + 1);

    // It controls its actor again, and others see it move.
    back.room.send("move", { dir: "S" });
    await waitFor(() => seenAt(b.room, me)?.[1] === 2, "the reconnected actor's move, seen by the other client");
    expect(seenAt(back.room, me)).toEqual([1, 2]);
    expect(back.errors).toEqual([]);
    await back.room.leave();
    await waitFor(() => !inWorld(me), "the actor to leave on a consented leave");
    expect(server.services.sessions.get(sessionId)?.position).toEqual([1, 2]);
    await b.room.leave();
  });

  it("the SDK's own retry after a lost connection comes back to the same actor in the same room object", async () => {
    const a = await join();
    const me = a.welcome.actorId;
    a.room.reconnection.minUptime = 0;
    let reconnected = false;
    a.room.onReconnect(() => (reconnected = true));
    socketOf(a.room)._socket.destroy();
    await waitFor(() => reconnected, "the SDK to reconnect by itself", 10_000);
    expect(a.leftWith).toBeUndefined();
    a.room.send("move", { dir: "S" });
    await waitFor(() => seenAt(a.room, me)?.[1] === 2, "a move after the SDK's reconnection");
    expect(world().byId.get(me)).toMatchObject({ x: 2, y: 2 });
    await a.room.leave();
    await waitFor(() => !inWorld(me), "the actor to leave");
  });

  it("after the window the token is refused, the actor has left and the session is saved where it stood", async () => {
    server.services.reconnectWindowS = 1;
    try {
      const a = noAutoReconnect(await join());
      const keep = await join(); // keeps the room open
      const me = a.welcome.actorId;
      const sessionId = a.welcome.sessionId!;
      a.room.send("move", { dir: "S" });
      await waitFor(() => seenAt(a.room, me)?.[1] === 2, "a step south");
      const expiredBefore = await counted("reconnectWindowsExpired");
      const token = a.room.reconnectionToken;
      socketOf(a.room)._socket.destroy();
      await waitFor(() => inWindow(a.room, token), "the reconnection window to open");
      await waitFor(() => !inWorld(me), "the window to run out and the actor to leave", 10_000);
      await waitFor(() => !keep.room.state.actors.has(me), "the other client to see it leave");
      expect(server.services.connectedSessions.has(sessionId)).toBe(false);
      expect(server.services.sessions.get(sessionId)?.position).toEqual([2, 2]);
      expect(await counted("reconnectWindowsExpired")).toBe(expiredBefore + 1);
      await expect(server.client().reconnect(token)).rejects.toMatchObject(EXPIRED);
      // The session is free again, and resumes where it was saved.
      const again = await join({ sessionId });
      expect(again.welcome.actorId).not.toBe(me);
      expect(seenAt(again.room, again.welcome.actorId)).toEqual([2, 2]);
      await again.room.leave();
      await keep.room.leave();
    } finally {
      server.services.reconnectWindowS = WINDOW_S;
    }
  });

  it("a client disconnected for flooding (4002) is offered no reconnection: its actor leaves at once", async () => {
    const flooder = noAutoReconnect(await join());
    const calm = await join();
    const me = flooder.welcome.actorId;
    const token = flooder.room.reconnectionToken;
    for (let i = 0; i < 100; i++) flooder.room.send("move", { dir: i % 2 ? "E" : "W" });
    await waitFor(() => flooder.leftWith !== undefined, "the flooder to be disconnected");
    expect(flooder.leftWith).toBe(4002);
    await waitFor(() => !inWorld(me), "the flooder's actor to leave");
    expect(server.services.connectedSessions.has(flooder.welcome.sessionId!)).toBe(false);
    await expect(server.client().reconnect(token)).rejects.toMatchObject(EXPIRED);
    await calm.room.leave();
  });

  // A kicked client that never answers the close frame, then vanishes, ends as 1006 on the server,
  // like a lost connection; it is still a kick.
  it.each([
    ["bad MessagePack (Colyseus closes with 4002)", new Uint8Array([13, 0xa4, 0x6d, 0x6f, 0x76, 0x65, 0xc1, 0xc1]), 4002],
    ["a frame over the 4 KB limit (ws closes with 1009)", new Uint8Array(8 * 1024).fill(13, 0, 1), 1009],
  ])("a client kicked for %s that never answers the close frame is offered no reconnection", async (_what, frame, code) => {
    const bad = noAutoReconnect(await join());
    const calm = await join(); // keeps the room open
    const me = bad.welcome.actorId;
    const token = bad.room.reconnectionToken;
    const ws = socketOf(bad.room);
    // Instead of answering the server's close frame, the client's socket just goes away.
    ws.close = () => ws._socket.destroy();
    (bad.room.connection as unknown as { send(data: Uint8Array): void }).send(frame);
    await waitFor(() => bad.leftWith !== undefined, "the server to close the connection");
    expect(bad.leftWith).toBe(code);
    await waitFor(() => !inWorld(me), "the kicked client's actor to leave");
    expect(server.services.connectedSessions.has(bad.welcome.sessionId!)).toBe(false);
    await expect(server.client().reconnect(token)).rejects.toMatchObject(EXPIRED);
    await calm.room.leave();
  });

  it.each([["client.reconnect(token)", false], ["the SDK's own retry", true]])("a client back through %s sees the world as it is now: who left its view while it was away is gone", async (_how, auto) => {
    const a = await joinWorld(server.client(), { worldId: "field" });
    const b = await joinWorld(server.client(), { worldId: "field" });
    const me = a.welcome.actorId;
    const other = b.welcome.actorId;
    await waitFor(() => seenAt(a.room, other) !== undefined, "the other actor in view");
    const token = a.room.reconnectionToken;
    // The SDK's retry is held until the other actor has walked away.
    let retry: (() => void) | undefined;
    if (auto) {
      a.room.reconnection.minUptime = 0;
      const connection = a.room.connection as unknown as { reconnect(params: unknown): void };
      const reconnectNow = connection.reconnect.bind(connection);
      connection.reconnect = (params) => (retry = () => reconnectNow(params));
    } else noAutoReconnect(a);
    socketOf(a.room)._socket.destroy();
    await waitFor(() => inWindow(a.room, token), "the reconnection window to open");
    for (let x = 4; x <= 6; x++) {
      b.room.send("move", { dir: "E" });
      await waitFor(() => seenAt(b.room, other)?.[0] === x, `the other actor at x=${x}`);
    }
    let back: JoinedClient;
    if (auto) {
      let reconnected = false;
      a.room.onReconnect(() => (reconnected = true));
      await waitFor(() => retry !== undefined, "the SDK's retry");
      retry!();
      await waitFor(() => reconnected, "the SDK to reconnect");
      back = a;
    } else back = await reconnect(server.client(), token);
    // Two patches after the reconnection, the client holds the world as it is.
    const now = server.services.runtimes.get("field")!.world.tick;
    await waitFor(() => (back.room.state.tick as number) >= now + 2, "two patches after the reconnection");
    expect(seenAt(back.room, me)).toEqual([1, 1]);
    expect(seenAt(back.room, other)).toBeUndefined();
    // The other actor walks back into view, one step a tick.
    for (let x = 5; x >= 3; x--) {
      b.room.send("move", { dir: "W" });
      await waitFor(() => seenAt(b.room, other)?.[0] === x, `the other actor back at x=${x}`);
    }
    await waitFor(() => seenAt(back.room, other)?.[0] === 3, "the other actor back in view at x=3");
    expect([...back.room.state.actors.keys()].sort()).toEqual([me, other].sort());
    expect(back.leftWith).toBeUndefined();
    await back.room.leave();
    await b.room.leave();
  });

  it("a room that closes ends its open windows: the dropped player's session is saved and released, and the last snapshot holds no player", async () => {
    const a = noAutoReconnect(await joinWorld(server.client(), { worldId: "field" }));
    const me = a.welcome.actorId;
    const sessionId = a.welcome.sessionId!;
    a.room.send("move", { dir: "E" });
    await waitFor(() => seenAt(a.room, me)?.[0] === 2, "a step east");
    const token = a.room.reconnectionToken;
    socketOf(a.room)._socket.destroy();
    await waitFor(() => inWindow(a.room, token), "the reconnection window to open");
    await server.colyseus.getRoomById<WorldRoom>(a.room.roomId).disconnect();
    await waitFor(() => !server.services.runtimes.has("field"), "the room to close");
    expect(server.services.connectedSessions.has(sessionId)).toBe(false);
    expect(server.services.sessions.get(sessionId)?.position).toEqual([2, 1]);
    expect(server.services.store.latestSnapshot("field")?.snapshot.actors.filter((actor) => actor.kind === "player")).toEqual([]);
  });

  it("a silent drop (the socket stops answering, no FIN) is noticed by the ping check and gets a reconnection window", async () => {
    const a = noAutoReconnect(await join());
    const me = a.welcome.actorId;
    const sessionId = a.welcome.sessionId!;
    const token = a.room.reconnectionToken;
    // The client stops reading: it answers no ping; the server sees nothing else.
    socketOf(a.room)._socket.pause();
    await waitFor(() => inWindow(a.room, token), "the server to notice the silent client and open a window", 20_000);
    expect(inWorld(me)).toBe(true);
    expect(server.services.connectedSessions.get(sessionId)).toBe("yard");
    // The client reads again and finds its connection cut.
    socketOf(a.room)._socket.resume();
    await waitFor(() => a.leftWith !== undefined, "the client to see its connection cut");
    const back = await reconnect(server.client(), token);
    expect(back.welcome).toMatchObject({ actorId: me, sessionId });
    expect(seenAt(back.room, me)).toEqual([2, 1]);
    await back.room.leave();
    await waitFor(() => !inWorld(me), "the actor to leave");
  }, 30_000);
});
