/**
 * The routes the web client reads (issue 13), through the real server: the world list and a world's
 * detail, the signed-in user's sessions, a session's live relationships, the admin watch routes,
 * and the pages themselves (`/`, `/watch`, `/assets/*`).
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mountWebClient, WEB_DIR } from "../../src/server/http/web-client.ts";
import { ensureWebBuild } from "../support/browser.ts";
import { ADMIN_AUTH, expectError, request } from "../support/http.ts";
import { bootTestServer, joinWorld, waitFor, writeWorlds, type JoinedClient, type TestServer } from "../support/server.ts";
import { writeCharacters } from "../support/server-with-characters.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";

const chat = { slotId: "chat", interactionId: "talk", config: { affinityGain: 3, dailyCap: 9 } };
const PIER = {
  name: "The Pier",
  scenario: "harbour",
  interestRadius: 6,
  map: ["######", "#S...#", "#..S.#", "######"],
  npcs: [{ id: "keeper", name: "Keeper", at: [2, 1], behaviours: [], plugins: { interactions: { slots: [chat] } } }],
};
const QUAY = { name: "The Quay", map: ["#####", "#S..#", "#####"], npcs: [] };

let server: TestServer;
beforeAll(async () => {
  const dataDir = makeTempDir();
  mkdirSync(join(dataDir, "narrative"));
  writeFileSync(join(dataDir, "narrative", "default.json"), JSON.stringify({ talk: { lines: ["{npc} nods."] } }));
  writeCharacters(dataDir, {
    sailor: { name: "Sailor", traits: ["salty"], defaultFor: ["harbour"], stats: { attributes: { health: 90 } } },
    clerk: { name: "Clerk", traits: [], defaultFor: ["default"], stats: {} },
  });
  mkdirSync(join(dataDir, "items"));
  writeFileSync(join(dataDir, "items", "pear.json"), JSON.stringify({ id: "pear", name: "Pear", value: 2, use: [{ stat: "attributes.health", value: 5 }] }));
  writeFileSync(join(dataDir, "items", "hook.json"), JSON.stringify({ id: "hook", name: "Hook", description: "Sharp.", value: 9, stackable: false, slot: "hand", equip: [{ stat: "combat_skills.strength", value: 3 }] }));
  writeWorlds({ pier: PIER, quay: QUAY }, dataDir);
  server = await bootTestServer(dataDir, { DEFAULT_WORLD: "pier" });
  await ensureWebBuild();
});
afterAll(async () => {
  await server?.shutdown();
  removeTempDirs();
});

const get = (path: string, headers: Record<string, string> = {}) => request(server.port, "GET", path, { headers });

describe("world routes", () => {
  it("GET /api/worlds lists every world with its players online, whether it runs, and the default", async () => {
    expect((await get("/api/worlds")).body).toEqual({
      worlds: [
        { id: "pier", name: "The Pier", playersOnline: 0, running: false, isDefault: true },
        { id: "quay", name: "The Quay", playersOnline: 0, running: false, isDefault: false },
      ],
    });
    const joined = await joinWorld(server.client(), { worldId: "quay", name: "Q" });
    await waitFor(() => server.services.runtimes.has("quay"), "the quay's room");
    const listed = await get("/api/worlds");
    expect(listed.body.worlds[1]).toEqual({ id: "quay", name: "The Quay", playersOnline: 1, running: true, isDefault: false });
    await joined.room.leave();
  });

  it("GET /api/worlds/:id gives the map (spawn points as floor), its size, tick rate, radius and templates, default first", async () => {
    const reply = await get("/api/worlds/pier");
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: "pier", name: "The Pier", tickRate: 20, width: 6, height: 4, interestRadius: 6, map: ["######", "#....#", "#....#", "######"], isDefault: true });
    expect(reply.body.characters).toEqual([
      { id: "sailor", name: "Sailor", traits: ["salty"], stats: { attributes: { health: 90 } }, isDefault: true },
      { id: "clerk", name: "Clerk", traits: [], stats: {}, isDefault: false },
    ]);
    expectError(await get("/api/worlds/nowhere"), 404, "world/not-found", 'no world "nowhere"');
  });
});

describe("the item catalog", () => {
  it("GET /api/inventory/items lists each item's name, description, value, slot and whether it can be used, by id", async () => {
    expect((await get("/api/inventory/items")).body).toEqual({
      items: [
        { id: "hook", name: "Hook", description: "Sharp.", value: 9, stackable: false, slot: "hand", usable: false },
        { id: "pear", name: "Pear", description: "", value: 2, stackable: true, slot: null, usable: true },
      ],
    });
  });
});

describe("sessions of the signed-in user", () => {
  it("GET /api/sessions lists only the caller's sessions, most recently used first; signed out it is 401", async () => {
    const token = async () => (await request(server.port, "POST", "/auth/anonymous", { body: {} })).body.token as string;
    const [mine, theirs] = [await token(), await token()];
    const create = (auth: string, playerName: string) =>
      request(server.port, "POST", "/api/sessions", { body: { playerName, worldId: "quay" }, headers: { authorization: `Bearer ${auth}` } });
    const first = (await create(mine, "First")).body;
    const second = (await create(mine, "Second")).body;
    await create(theirs, "Theirs");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const renamed = await request(server.port, "PATCH", `/api/sessions/${first.id}`, { body: { playerName: "Renamed" }, headers: { authorization: `Bearer ${mine}` } });
    const listed = await get("/api/sessions", { authorization: `Bearer ${mine}` });
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toEqual([
      { id: first.id, playerName: "Renamed", worldId: "quay", template: "clerk", connected: false, updatedAt: renamed.body.updatedAt },
      { id: second.id, playerName: "Second", worldId: "quay", template: "clerk", connected: false, updatedAt: second.updatedAt },
    ]);
    expectError(await request(server.port, "GET", "/api/sessions", { signedOut: true }), 401, "auth/token-required");
  });

  it("GET /api/sessions/:id/interactions/relationships answers the live values and tiers to the owner, 403 to another player", async () => {
    const sam: JoinedClient = await joinWorld(server.client(), { worldId: "pier", name: "Sam" });
    const sessionId = sam.welcome.sessionId!;
    const path = `/api/sessions/${sessionId}/interactions/relationships`;
    expect((await get(path)).body).toEqual({ sessionId, worldId: "pier", relationships: {} });
    const replies: unknown[] = [];
    sam.room.onMessage("interaction", (m) => replies.push(m));
    sam.room.send("interact", { targetId: "keeper", slotId: "chat" });
    await waitFor(() => replies.length === 1, "the keeper's reply");
    const answer = (await get(path)).body;
    expect(answer.relationships["npc:keeper"].affinity).toEqual({ value: 3, tier: "stranger" });
    const stranger = (await request(server.port, "POST", "/auth/anonymous", { body: {} })).body.token as string;
    expectError(await get(path, { authorization: `Bearer ${stranger}` }), 403, "session/forbidden");
    await sam.room.leave();
  });
});

describe("admin watch routes", () => {
  it("GET /api/admin/worlds and /actors need the admin; they answer each room's figures and every actor", async () => {
    expectError(await get("/api/admin/worlds"), 401, "auth/required");
    expectError(await get("/api/admin/worlds/pier/actors"), 401, "auth/required");
    const ann = await joinWorld(server.client(), { worldId: "pier", name: "Ann" });
    await waitFor(() => server.services.runtimes.has("pier"), "the pier's room");
    const world = server.services.runtimes.get("pier")!.world;
    const listed = await get("/api/admin/worlds", { authorization: ADMIN_AUTH });
    expect(listed.body.worlds[0]).toMatchObject({ id: "pier", running: true, clients: 1, playersOnline: 1, isDefault: true });
    expect(listed.body.worlds[0].tick).toBeGreaterThanOrEqual(1);
    const watched = await get("/api/admin/worlds/pier/actors", { authorization: ADMIN_AUTH });
    expect(watched.status).toBe(200);
    const me = watched.body.actors.find((a: { id: string }) => a.id === ann.welcome.actorId);
    expect(me).toEqual({ id: ann.welcome.actorId, kind: "player", name: "Ann", x: 1, y: 1, downed: false, tiers: { "attributes.health": "healthy" } });
    expect(watched.body.actors.find((a: { id: string }) => a.id === "keeper")).toEqual({ id: "keeper", kind: "npc", name: "Keeper", x: 2, y: 1, downed: false, tiers: { "attributes.health": "healthy" } });
    expect(watched.body.actors).toHaveLength(world.order.length);
    await ann.room.leave();
    await waitFor(() => !server.services.runtimes.has("pier"), "the pier's room to close");
    expectError(await get("/api/admin/worlds/pier/actors", { authorization: ADMIN_AUTH }), 409, "world/not-running", 'world "pier" has no open room');
    expectError(await get("/api/admin/worlds/nowhere/actors", { authorization: ADMIN_AUTH }), 404, "world/not-found");
  });
});

describe("hostile input on the client's routes", () => {
  it("odd ids are answered with their code, change nothing, and the server keeps answering", async () => {
    expectError(await get(`/api/worlds/${"x".repeat(2000)}`), 404, "world/not-found");
    expectError(await get("/api/worlds/%2E%2E%2F%2E%2E%2Fetc"), 404, "world/not-found");
    expectError(await get("/api/admin/worlds/%00/actors", { authorization: ADMIN_AUTH }), 404, "world/not-found");
    expectError(await get("/api/sessions/%27%20OR%201%3D1--/interactions/relationships"), 404, "session/not-found");
    expectError(await get("/api/sessions/nobody/interactions/relationships", { authorization: "Bearer not-a-token" }), 401, "auth/invalid-token");
    expect((await get("/api/inventory/items?limit=-1&__proto__=x")).body.items).toHaveLength(2);
    expect((await get("/api/worlds")).body.worlds.map((w: { id: string }) => w.id)).toEqual(["pier", "quay"]);
  });
});

describe("the pages", () => {
  it("/ is the play page with a same-origin content policy; its bundles are cached for good", async () => {
    const page = await get("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toBe("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    expect(page.text).toContain('<canvas id="view"');
    const bundle = readdirSync(join(WEB_DIR, "assets")).find((f) => /^play-.*\.js$/.test(f))!;
    expect(page.text).toContain(`/assets/${bundle}`);
    const asset = await get(`/assets/${bundle}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expectError(await get("/assets/nothing.js"), 404, "request/no-route");
  });

  it("/watch needs the admin credentials; the built watch.html is not reachable on its own", async () => {
    const refused = expectError(await get("/watch"), 401, "auth/required");
    expect(refused.message).toBe("the watch view needs the admin credentials");
    expect((await get("/watch")).headers.get("www-authenticate")).toBe('Basic realm="Arbiter admin", charset="UTF-8"');
    const page = await get("/watch", { authorization: ADMIN_AUTH });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<canvas id="world-view"');
    expectError(await get("/watch.html", { authorization: ADMIN_AUTH }), 404, "request/no-route");
  });

  it("before the client is built, / answers 503 web/not-built naming the command", async () => {
    const app = express();
    mountWebClient(app, server.services, join(makeTempDir(), "web"));
    const listening = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => listening.once("listening", resolve));
    const port = (listening.address() as { port: number }).port;
    const reply = await fetch(`http://127.0.0.1:${port}/`);
    expect(reply.status).toBe(503);
    expect((await reply.json()).error).toMatchObject({ code: "web/not-built", message: expect.stringContaining('run "npm run build:web"') });
    listening.close();
  });
});
