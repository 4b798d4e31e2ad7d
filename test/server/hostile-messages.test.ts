/**
 * Issue 8 §1: no client message, and no exception in a handler, hook, tick or timer, ends the
 * process. Each case goes through the real server with real SDK clients; after each, the health
 * check answers 200 and another client still sees patches and moves.
 */
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorldRoom } from "../../rooms/world-room.ts";
import { createLogLimiter } from "../../src/server/log-limiter.ts";
import { bootTestServer, joinWorld, seenAt, waitFor, waitTicks, writeWorlds, type JoinedClient, type TestServer } from "../support/server.ts";

let server: TestServer;
/** Every JSON line the server's fault log wrote. */
const faultLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const dataDir = writeWorlds({ yard: { map: ["#########", "#S.....S#", "#S.....S#", "#########"] } });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) faultLines.push(JSON.parse(line));
      done();
    },
  });
  // No plugins: the replies below list the core's action kinds only.
  server = await bootTestServer(dataDir, { PLUGINS_DIR: fileURLToPath(new URL("../fixtures/plugins/none", import.meta.url)) }, (services) => {
    services.faults = createLogLimiter(pino({ level: "info" }, sink));
  });
});

afterAll(async () => {
  await server?.shutdown();
});

async function healthy(): Promise<number> {
  return (await fetch(`http://127.0.0.1:${server.port}/__healthcheck`)).status;
}

/** A well-behaved client moves once, and the hostile client's sends changed nothing for it. */
async function expectWorldStillPlays(good: JoinedClient): Promise<void> {
  expect(await healthy()).toBe(200);
  const [x, y] = seenAt(good.room, good.welcome.actorId)!;
  const dir = x <= 3 ? "E" : "W";
  good.room.send("move", { dir });
  await waitFor(() => seenAt(good.room, good.welcome.actorId)?.[0] === (dir === "E" ? x + 1 : x - 1), "the good client's move to show in a patch");
  expect(seenAt(good.room, good.welcome.actorId)).toEqual([dir === "E" ? x + 1 : x - 1, y]);
  expect(good.leftWith).toBeUndefined();
}

function deepArray(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe("hostile messages through the real server", () => {
  it('send("*", { toString: 0 }) is refused as an unknown type "*"; the server stays up', async () => {
    const bad = await joinWorld(server.client(), { worldId: "yard" });
    const good = await joinWorld(server.client(), { worldId: "yard" });
    bad.room.send("*", { toString: 0 });
    bad.room.send("*", { a: 1 });
    await waitFor(() => bad.errors.length >= 2, "two error replies");
    expect(bad.errors.map((e) => e.code)).toEqual(["command/unknown-type", "command/unknown-type"]);
    expect(bad.errors[0]!.message).toBe('unknown message type "*"; expected one of: move');
    expect(bad.errors[1]!.message).toBe('unknown message type "*"; expected one of: move');
    await expectWorldStillPlays(good);
    expect(bad.leftWith).toBeUndefined();
    await bad.room.leave();
    await good.room.leave();
  });

  it("the stat-field check looks at the payload of a message typed \"*\"", async () => {
    const bad = await joinWorld(server.client(), { worldId: "yard" });
    bad.room.send("*", { health: 100 });
    await waitFor(() => bad.errors.length >= 1, "an error reply");
    expect(bad.errors[0]).toMatchObject({ code: "command/forbidden-field", details: { type: '"*"', fields: ["health"] } });
    await bad.room.leave();
  });

  it("types named after Object.prototype members and numeric types are unknown types", async () => {
    const bad = await joinWorld(server.client(), { worldId: "yard" });
    const good = await joinWorld(server.client(), { worldId: "yard" });
    const types: Array<string | number> = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", 0, 7, -1];
    for (const type of types) bad.room.send(type as string, { dir: "E" });
    await waitFor(() => bad.errors.length >= types.length, `${types.length} error replies`);
    expect(bad.errors.map((e) => e.message)).toEqual(types.map((t) => `unknown message type ${typeof t === "string" ? JSON.stringify(t) : t}; expected one of: move`));
    await expectWorldStillPlays(good);
    await bad.room.leave();
    await good.room.leave();
  });

  it("payloads with toString/valueOf that are not functions, and deeply nested arrays, get command/invalid", async () => {
    const bad = await joinWorld(server.client(), { worldId: "yard" });
    const good = await joinWorld(server.client(), { worldId: "yard" });
    const payloads: unknown[] = [
      { toString: 0, valueOf: 1 },
      { dir: { toString: 0, valueOf: "x" } },
      { dir: ["E"], toString: null },
      deepArray(1000),
      { dir: deepArray(500) },
    ];
    for (const payload of payloads) bad.room.send("move", payload);
    await waitFor(() => bad.errors.length >= payloads.length, `${payloads.length} error replies`);
    expect(bad.errors.map((e) => e.code)).toEqual(payloads.map(() => "command/invalid"));
    expect(bad.leftWith).toBeUndefined();
    await expectWorldStillPlays(good);
    await bad.room.leave();
    await good.room.leave();
  });

  it("a very long message type is cut to 64 characters in the reply", async () => {
    const bad = await joinWorld(server.client(), { worldId: "yard" });
    bad.room.send("x".repeat(200), {});
    await waitFor(() => bad.errors.length >= 1, "an error reply");
    expect(bad.errors[0]!.message).toBe(`unknown message type "${"x".repeat(64)}"…; expected one of: move`);
    await bad.room.leave();
  });
});

describe("hostile join options", () => {
  it("a join whose options are null, an array or a number answers 400 command/invalid; nothing is stored", async () => {
    const sessionsBefore = server.services.store.db.prepare("SELECT count(*) FROM sessions").pluck().get();
    for (const body of ["null", "[]", "5"]) {
      const res = await fetch(`http://127.0.0.1:${server.port}/matchmake/joinOrCreate/world`, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(/command\/invalid: join options/);
    }
    expect(server.services.store.db.prepare("SELECT count(*) FROM sessions").pluck().get()).toBe(sessionsBefore);
    expect(await healthy()).toBe(200);
  });
});

describe("exceptions inside the room never end the process", () => {
  /** The running room, with the private parts a test injects faults into. */
  type RoomInternals = { handleAction: (...args: unknown[]) => void; clock: WorldRoom["clock"] };
  const roomOf = (joined: JoinedClient) => server.colyseus.getRoomById(joined.room.roomId) as unknown as RoomInternals;

  it("a throwing message handler: the sender gets error internal, stays connected, one log line per interval", async () => {
    const bad = await joinWorld(server.client(), { worldId: "yard" });
    const good = await joinWorld(server.client(), { worldId: "yard" });
    const room = roomOf(bad);
    const original = room.handleAction;
    room.handleAction = (...args: unknown[]) => {
      if (args[0] && (args[0] as { sessionId: string }).sessionId === bad.room.sessionId) throw new Error("injected handler fault");
      original.apply(room, args);
    };
    const before = faultLines.length;
    for (let i = 0; i < 5; i++) bad.room.send("move", { dir: "E" });
    await waitFor(() => bad.errors.length >= 5, "five error replies");
    expect(bad.errors.map((e) => e.code)).toEqual(["internal", "internal", "internal", "internal", "internal"]);
    expect(bad.errors[0]!.message).toBe('the server failed to handle message "move"; it was dropped and nothing changed');
    await expectWorldStillPlays(good);
    room.handleAction = original;
    const lines = faultLines.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, method: "onMessage", type: '"move"', client: bad.room.sessionId, room: bad.room.roomId, world: "yard" });
    expect(bad.leftWith).toBeUndefined();
    await bad.room.leave();
    await good.room.leave();
  });

  it("a throwing tick and a throwing timer are logged; the world keeps ticking", async () => {
    const good = await joinWorld(server.client(), { worldId: "yard" });
    const room = roomOf(good);
    const world = server.services.runtimes.get("yard")!;
    const tick = world.tick;
    let thrown = 0;
    world.tick = () => {
      if (thrown++ === 0) throw new Error("injected tick fault");
      return tick();
    };
    room.clock.setTimeout(() => {
      throw new Error("injected timer fault");
    }, 1);
    await waitTicks(good.room, 5);
    expect(thrown).toBeGreaterThan(1);
    await expectWorldStillPlays(good);
    const methods = faultLines.filter((l) => String(l.msg).includes("injected")).map((l) => l.method);
    expect(methods).toContain("setFixedTimestep");
    expect(methods).toContain("setTimeout");
    await good.room.leave();
  });
});
