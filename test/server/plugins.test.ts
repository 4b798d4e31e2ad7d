/**
 * Plugins through the real server (issue 9 §3): a plugin's action kind is a message type, runs in
 * the tick and writes plugin state; its own event type reaches its subscriber; its route is served
 * under /api/<prefix>; a throwing method fails its action, rolls back its writes and leaves the
 * world ticking; world-file sections are validated by the plugin's schema; GET /api/plugins lists it
 * all; duplicate routes stop start-up naming both plugins.
 */
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineWorldRoom } from "../../rooms/world-room.ts";
import { createAppConfig } from "../../src/server/app.ts";
import { createServices, loadConfig } from "../../src/server/boot.ts";
import { bootTestServer, joinWorld, seenAt, TEST_ADMIN_PASSWORD, waitFor, writeWorlds, type TestServer } from "../support/server.ts";

const TICK_PLUGINS = fileURLToPath(new URL("../fixtures/plugins/tick", import.meta.url));
const CLASH_PLUGINS = fileURLToPath(new URL("../fixtures/plugins/clash", import.meta.url));
const SERVER_CLASH_PLUGINS = fileURLToPath(new URL("../fixtures/plugins/server-clash", import.meta.url));

const YARD = { map: ["#######", "#S...S#", "#.....#", "#######"], npcs: [{ id: "bell-post", name: "Post", at: [3, 2], behaviours: [], plugins: { bell: { tone: "low" } } }] };

let server: TestServer;
const faultLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) faultLines.push(JSON.parse(line));
      done();
    },
  });
  server = await bootTestServer(writeWorlds({ yard: YARD }), { PLUGINS_DIR: TICK_PLUGINS }, undefined, pino({ level: "info" }, sink));
});

afterAll(async () => {
  await server?.shutdown();
});

const get = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** An actor's plugin state (not part of the synced state), read through the running world. */
const pluginStateOf = (actorId: string) => server.services.runtimes.get("yard")!.world.byId.get(actorId)?.pluginState ?? null;

describe("plugins in a running server", () => {
  it("GET /api/plugins lists each plugin in load order with what it registered", async () => {
    const { status, body } = await get("/api/plugins");
    expect(status).toBe(200);
    const plugins = body.plugins as Array<Record<string, unknown>>;
    expect(plugins.map((p) => [p.id, p.version, p.state, p.order])).toEqual([
      ["bell", "1.2.0", "enabled", 1],
      ["faulty", "0.1.0", "enabled", 2],
    ]);
    expect(plugins[0]).toMatchObject({
      permissions: ["actions:register", "events:subscribe", "world-state", "http:routes"],
      routes: [{ method: "GET", path: "/api/bell/rings" }],
      actionKinds: ["bell:ring"],
      eventSubscriptions: ["bell:rang"],
      reason: null,
    });
    expect(plugins[1]).toMatchObject({ actionKinds: ["faulty:explode"], eventSubscriptions: ["moved"], dependencies: { bell: "^1.0.0" } });
  });

  it("a plugin's action kind is a message type: validated by its schema, run in the tick, its event heard, its route serving the count", async () => {
    const a = await joinWorld(server.client(), { worldId: "yard" });
    a.room.send("bell:ring", { times: 9 });
    await waitFor(() => a.errors.length === 1, "the invalid ring refused");
    expect(a.errors[0]).toMatchObject({ code: "command/invalid" });
    expect(a.errors[0]!.message).toMatch(/^bell:ring: times: /);
    a.room.send("bell:ring", { times: 2 });
    await waitFor(() => pluginStateOf(a.welcome.actorId) !== null, "the ring to land in the tick");
    expect(Object.fromEntries(pluginStateOf(a.welcome.actorId)!)).toEqual({ bell: { rings: 2 } });
    expect((await get("/api/bell/rings")).body).toEqual({ rings: 2 });
    // The time the plugins spent in the tick reaches /metrics, per world and plugin.
    const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString("base64")}` } })).text();
    expect(metrics).toMatch(/^arbiter_plugin_tick_seconds_count\{world="yard",plugin="bell"\} [1-9]\d*$/m);
    // The reference lists the plugin's route.
    const reference = await (await fetch(`http://127.0.0.1:${server.port}/api/reference`)).text();
    expect(reference).toContain("/api/bell/rings");
    a.room.send("teleport", {});
    await waitFor(() => a.errors.length === 2, "the unknown type refused");
    expect(a.errors[1]!.message).toBe('unknown message type "teleport"; expected one of: move, bell:ring, faulty:explode');
    await a.room.leave();
  });

  it("a plugin method or handler that throws is logged; the action fails with reason fault and rolls back; the world keeps ticking", async () => {
    const a = await joinWorld(server.client(), { worldId: "yard" });
    const b = await joinWorld(server.client(), { worldId: "yard" });
    a.room.send("faulty:explode", {});
    await waitFor(() => faultLines.some((l) => l.action === "faulty:explode"), "the action's fault to be logged");
    const actionFault = faultLines.find((l) => l.action === "faulty:explode")!;
    expect(actionFault).toMatchObject({ level: 50, plugin: "faulty", world: "yard", actor: a.welcome.actorId, msg: "plugin faulty failed in action faulty:explode; the world keeps ticking" });
    expect(actionFault.tick as number).toBeGreaterThan(a.welcome.tick);
    expect(pluginStateOf(a.welcome.actorId)).toBeNull();
    const [x, y] = seenAt(b.room, b.welcome.actorId)!;
    b.room.send("move", { dir: x < 3 ? "E" : "W" });
    await waitFor(() => seenAt(b.room, b.welcome.actorId)![0] !== x, "the other player's move");
    expect(seenAt(b.room, b.welcome.actorId)).toEqual([x < 3 ? x + 1 : x - 1, y]);
    await waitFor(() => faultLines.some((l) => l.event === "moved"), "the handler's fault to be logged");
    expect(faultLines.find((l) => l.event === "moved")).toMatchObject({ plugin: "faulty", world: "yard", msg: "plugin faulty failed in event moved; the world keeps ticking" });
    expect(a.leftWith).toBeUndefined();
    await a.room.leave();
    await b.room.leave();
  });
});

describe("plugins at start-up", () => {
  const boot = (worlds: Record<string, object>, pluginsDir: string) =>
    createServices(loadConfig({ DATA_DIR: writeWorlds(worlds), DATABASE_PATH: ":memory:", ADMIN_PASSWORD: "start-up-admin", LOG_LEVEL: "silent", PLUGINS_DIR: pluginsDir }));

  it("a world file's plugin section is validated by the plugin's schema, naming file and field", async () => {
    const bad = { ...YARD, npcs: [{ ...YARD.npcs[0], plugins: { bell: { tone: "loud" } } }] };
    await expect(boot({ yard: bad }, TICK_PLUGINS)).rejects.toThrow(/yard\.json: invalid world file\n {2}- npcs\[0\]\.plugins\.bell\.tone: /);
    const unknown = { ...YARD, npcs: [{ ...YARD.npcs[0], plugins: { gong: {} } }] };
    await expect(boot({ yard: unknown }, TICK_PLUGINS)).rejects.toThrow(/npcs\[0\]\.plugins\.gong: no loaded plugin "gong" takes a npc section here \(have: bell\)/);
    const wanderer = { ...YARD, npcs: [{ id: "w", name: "W", at: [2, 2], behaviours: [], ai: "wander" }] };
    await expect(boot({ yard: wanderer }, TICK_PLUGINS)).rejects.toThrow(/npcs\[0\]\.ai: no AI kind "wander" \(registered: none\)/);
  });

  it("two plugins serving one route stop start-up with plugin/duplicate-route naming both", async () => {
    await expect(boot({ yard: YARD }, CLASH_PLUGINS)).rejects.toMatchObject({ code: "plugin/duplicate-route", message: "plugin two: route GET /api/shared/status is already served by plugin one" });
  });

  it("a plugin route clashing with a server route stops start-up naming both", async () => {
    const services = await boot({ yard: { map: YARD.map } }, SERVER_CLASH_PLUGINS);
    expect(() => createAppConfig(services, { world: defineWorldRoom(services) })).toThrow("plugin lister: route GET /api/plugins is already served by the server");
    await services.plugins.host.disable();
    services.sessionExpiry.stop();
    services.store.close();
  });
});
