/**
 * The HTTP API (src/server/http/) through the real server: plain `fetch` for the routes, real SDK
 * clients over WebSockets where a route meets a running world. Every error is checked for its
 * status and its `{ error: { code, message, details? } }` body with a stable code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import type { ErrorCode } from "../../src/errors.ts";
import { publicTierOf } from "../../rooms/schema.ts";
import { joinWorld, seenAt, TEST_ADMIN_PASSWORD, waitFor, type JoinedClient, type TestServer } from "../support/server.ts";
import { request } from "../support/http.ts";
import { createSteppingClock, startTestServerWithCharacters } from "../support/server-with-characters.ts";

const npc = (id: string, at: [number, number], behaviours: string[], stats?: object) => ({ id, name: id, at, behaviours, ...(stats ? { stats } : {}) });

let server: TestServer;

beforeAll(async () => {
  server = await startTestServerWithCharacters(
    {
      worlds: {
        // Spawns are taken in cell order: a lone player starts at [1, 1], the guard just below.
        arena: {
          map: ["#########", "#S...S..#", "#.......#", "#########"],
          npcs: [
            npc("guard", [1, 2], ["Aggressive"], { combat_skills: { strength: 90 } }),
            npc("crate", [3, 2], ["Moveable"]),
            npc("statue", [7, 2], []),
          ],
        },
        // Nobody joins this world except where a test says so: its NPCs are read from storage.
        quiet: {
          scenario: "siege",
          map: ["#######", "#S...S#", "#.....#", "#######"],
          npcs: [npc("sentry", [3, 2], ["Aggressive"], { combat_skills: { defense: 85 } }), npc("barrel", [1, 2], ["Moveable"])],
        },
        // Joined only by the admin test of a running world's NPC tiers.
        yard: {
          map: ["#######", "#S...S#", "#.....#", "#######"],
          npcs: [npc("post", [3, 2], ["Moveable"])],
        },
      },
      characters: {
        scout: { name: "Scout", traits: ["quick"], defaultFor: ["default"], stats: { combat_skills: { agility: 70 } } },
        brute: { name: "Brute", traits: ["strong"], defaultFor: ["siege"], stats: { combat_skills: { strength: 70 } } },
      },
    },
    { env: { DEFAULT_WORLD: "arena" }, now: createSteppingClock() },
  );
});

afterAll(async () => {
  await server?.shutdown();
});

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

const ADMIN = { authorization: basic("admin", TEST_ADMIN_PASSWORD) };

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** One request; `body` is sent as JSON unless it is already a string (sent as is, as JSON). */
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(server.port, method, path, { body, headers });
}

/** Asserts the status, the one error shape and its code; the message must contain each fragment. */
function expectError(reply: Reply, status: number, code: ErrorCode, ...fragments: string[]): { code: string; message: string; details?: any } {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(Object.keys(reply.body)).toEqual(["error"]);
  const { error } = reply.body;
  expect(error).toMatchObject({ code, message: expect.any(String) });
  expect(Object.keys(error).every((k) => ["code", "message", "details"].includes(k)), `error keys: ${Object.keys(error).join(", ")}`).toBe(true);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}

async function createSession(body: Record<string, unknown> = { playerName: "Ada" }): Promise<any> {
  const reply = await call("POST", "/api/sessions", body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

/** Polls an async condition until it holds (outcome only: the deadline is a safety net). */
async function eventually(condition: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function leave(joined: JoinedClient, sessionId?: string): Promise<void> {
  await joined.room.leave();
  if (sessionId) await eventually(async () => (await call("GET", `/api/sessions/${sessionId}`)).body.connected === false, "the session to disconnect");
}

/** The public tier id of `actorId`'s axis `key` as `joined`'s client decodes it (the synced field holds the tier's index). */
const tier = (joined: JoinedClient, actorId: string, key: string): string | undefined => {
  const actor = joined.room.state.actors.get(actorId);
  return actor === undefined ? undefined : publicTierOf(joined.room.state, actor, key);
};

describe("POST /api/sessions", () => {
  it("creates a session in the default world with the scenario's default character and normalized stats", async () => {
    const reply = await call("POST", "/api/sessions", { playerName: "Ada" });
    expect(reply.status).toBe(201);
    const session = reply.body;
    expect(session).toMatchObject({
      id: expect.any(String),
      playerName: "Ada",
      worldId: "arena",
      character: { template: "scout", name: "Scout", traits: ["quick"], stats: { combat_skills: { agility: 70 } }, customizations: {} },
      flags: {},
      position: null,
      connected: false,
    });
    expect(session.stats).toEqual({
      attributes: { health: 100, healthTierId: "healthy", stamina: 100, staminaTierId: "fresh" },
      combat_skills: { strength: 50, strengthTierId: "adept", agility: 70, agilityTierId: "adept", defense: 50, defenseTierId: "adept" },
      relationships: {},
    });
    expect((await call("GET", `/api/sessions/${session.id}`)).body).toEqual(session);
  });

  it("picks the default template of the world's scenario", async () => {
    const session = await createSession({ playerName: "Bo", worldId: "quiet" });
    expect(session.worldId).toBe("quiet");
    expect(session.character).toMatchObject({ template: "brute", name: "Brute" });
    expect(session.stats.combat_skills).toMatchObject({ strength: 70, strengthTierId: "adept" });
  });

  it("applies a named template and customizations within the point budget", async () => {
    expect(DEFAULT_STATS_CONFIG.creation.pointBudget).toBe(20);
    const session = await createSession({
      playerName: "Grog",
      character: { template: "brute", name: "Grog the Strong", customizations: { combat_skills: { strength: 15, defense: 5 } } },
    });
    expect(session.worldId).toBe("arena");
    expect(session.character).toEqual({
      template: "brute",
      name: "Grog the Strong",
      traits: ["strong"],
      stats: { combat_skills: { strength: 85, defense: 55 } },
      customizations: { combat_skills: { strength: 15, defense: 5 } },
    });
    expect(session.stats.combat_skills).toEqual({ strength: 85, strengthTierId: "expert", agility: 50, agilityTierId: "adept", defense: 55, defenseTierId: "adept" });
  });

  it("refuses an invalid character with character/invalid naming each character.… field", async () => {
    const cases: Array<[object, string[], string]> = [
      [{ customizations: { combat_skills: { agility: 15, defense: 10 } } }, ["character.customizations"], "over the budget of 20"],
      [{ template: "wizard" }, ["character.template"], "wizard"],
      [{ customizations: { combat_skills: { luck: 5 } } }, ["character.customizations.combat_skills.luck"], "luck"],
      [{ customizations: { attributes: { health: 5 } } }, ["character.customizations.attributes"], "cannot be customized"],
      [{ template: "brute", customizations: { combat_skills: { strength: 40 } } }, ["character.customizations.combat_skills.strength"], "70 + 40 = 110 is above the axis max 100"],
      [{ customizations: { combat_skills: { strength: 2.5, defense: -1 } } }, ["character.customizations.combat_skills.strength", "character.customizations.combat_skills.defense"], "must be an integer"],
    ];
    for (const [character, fields, fragment] of cases) {
      const error = expectError(await call("POST", "/api/sessions", { playerName: "Cy", character }), 400, "character/invalid", fragment, fields[0]!);
      expect(error.details.problems.map((p: { field: string }) => p.field)).toEqual(fields);
    }
  });

  it("refuses a bad body with request/invalid naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{}, "playerName"],
      [{ playerName: 42 }, "playerName"],
      [{ playerName: "   " }, "playerName"],
      [{ playerName: "Dee", worldId: 7 }, "worldId"],
      [{ playerName: "Dee", character: { template: 5 } }, "character.template"],
      [{ playerName: "Dee", character: { customizations: { combat_skills: { strength: "lots" } } } }, "character.customizations.combat_skills.strength"],
      [{ playerName: "Dee", character: { power: 9000 } }, "power"],
    ];
    for (const [body, field] of cases) {
      const error = expectError(await call("POST", "/api/sessions", body), 400, "request/invalid", field);
      expect(JSON.stringify(error.details?.problems ?? error.message)).toContain(field);
    }
  });

  it("answers request/malformed-json for a body that is not JSON", async () => {
    expectError(await call("POST", "/api/sessions", '{"playerName": "Ada",'), 400, "request/malformed-json");
  });

  it("answers world/not-found for an unknown world", async () => {
    expectError(await call("POST", "/api/sessions", { playerName: "Eve", worldId: "atlantis" }), 404, "world/not-found", "atlantis");
  });
});

describe("GET, PATCH and DELETE /api/sessions/:id", () => {
  it("answers session/not-found for an unknown id, on every verb", async () => {
    expectError(await call("GET", "/api/sessions/no-such-session"), 404, "session/not-found", "no-such-session");
    expectError(await call("PATCH", "/api/sessions/no-such-session", { playerName: "X" }), 404, "session/not-found");
    expectError(await call("DELETE", "/api/sessions/no-such-session"), 404, "session/not-found");
    expectError(await call("POST", "/api/sessions/no-such-session/actions", { type: "move", dir: "E" }), 404, "session/not-found");
  });

  it("PATCH changes playerName and flags and moves updatedAt; nothing else changes", async () => {
    const created = await createSession({ playerName: "Fay" });
    const reply = await call("PATCH", `/api/sessions/${created.id}`, { playerName: "Faye", flags: { tutorialDone: true, visits: 3, title: "Ranger" } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ playerName: "Faye", flags: { tutorialDone: true, visits: 3, title: "Ranger" } });
    expect(reply.body.updatedAt > created.updatedAt).toBe(true);
    const { playerName: _p, flags: _f, updatedAt: _u, ...rest } = reply.body;
    const { playerName: _p0, flags: _f0, updatedAt: _u0, ...before } = created;
    expect(rest).toEqual(before);
    expect((await call("GET", `/api/sessions/${created.id}`)).body).toEqual(reply.body);
    const renamed = await call("PATCH", `/api/sessions/${created.id}`, { playerName: "Fae" });
    expect(renamed.body).toMatchObject({ playerName: "Fae", flags: { tutorialDone: true, visits: 3, title: "Ranger" } });
  });

  it("PATCH refuses stats, character, worldId and bad flags with request/invalid naming the field, and changes nothing", async () => {
    const created = await createSession({ playerName: "Gus" });
    const cases: Array<[object, string]> = [
      [{ stats: { attributes: { health: 1 } } }, "stats"],
      [{ playerName: "Hacker", stats: { combat_skills: { strength: 100 } } }, "stats"],
      [{ character: { template: "brute" } }, "character"],
      [{ worldId: "quiet" }, "worldId"],
      [{ playerName: "Gus2", position: [3, 1] }, "position"],
      [{ flags: { cursed: { deep: true } } }, "flags.cursed"],
      [{ playerName: "" }, "playerName"],
    ];
    for (const [body, field] of cases) expectError(await call("PATCH", `/api/sessions/${created.id}`, body), 400, "request/invalid", field);
    expect((await call("GET", `/api/sessions/${created.id}`)).body).toEqual(created);
  });

  it("DELETE answers 204, after which the session is gone", async () => {
    const created = await createSession({ playerName: "Hal" });
    const reply = await call("DELETE", `/api/sessions/${created.id}`);
    expect(reply.status).toBe(204);
    expect(reply.body).toBe("");
    expectError(await call("GET", `/api/sessions/${created.id}`), 404, "session/not-found");
    expectError(await call("DELETE", `/api/sessions/${created.id}`), 404, "session/not-found");
  });

  it("DELETE of a connected session answers session/already-connected and keeps it; after leaving it deletes", async () => {
    const created = await createSession({ playerName: "Ivy" });
    const joined = await joinWorld(server.client(), { worldId: "arena", sessionId: created.id });
    expect((joined.welcome as { sessionId?: string }).sessionId).toBe(created.id);
    expectError(await call("DELETE", `/api/sessions/${created.id}`), 409, "session/already-connected", created.id);
    expect((await call("GET", `/api/sessions/${created.id}`)).body).toMatchObject({ id: created.id, connected: true });
    await leave(joined, created.id);
    expect((await call("DELETE", `/api/sessions/${created.id}`)).status).toBe(204);
    expectError(await call("GET", `/api/sessions/${created.id}`), 404, "session/not-found");
  });
});

describe("POST /api/sessions/:id/actions", () => {
  it("answers session/not-in-world while the session is not connected", async () => {
    const created = await createSession({ playerName: "Jo" });
    expectError(await call("POST", `/api/sessions/${created.id}/actions`, { type: "move", dir: "E" }), 409, "session/not-in-world", created.id);
  });

  it("a move answers after its tick with the new position and events; the WebSocket client sees the same position", async () => {
    const created = await createSession({ playerName: "Kit" });
    const joined = await joinWorld(server.client(), { worldId: "arena", sessionId: created.id });
    const me = joined.welcome.actorId;
    expect(seenAt(joined.room, me)).toEqual([1, 1]);
    const reply = await call("POST", `/api/sessions/${created.id}/actions`, { type: "move", dir: "E" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ sessionId: created.id, worldId: "arena", tick: expect.any(Number), moved: true, position: [2, 1] });
    expect(reply.body.tick).toBeGreaterThan(joined.welcome.tick);
    expect(reply.body.events).toContainEqual({ type: "moved", actorId: me, fromX: 1, fromY: 1, x: 2, y: 1 });
    await waitFor(() => (joined.room.state.tick as number) >= reply.body.tick, "the client to reach the action's tick");
    expect(seenAt(joined.room, me)).toEqual([2, 1]);

    const blocked = await call("POST", `/api/sessions/${created.id}/actions`, { type: "move", dir: "N" });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ moved: false, position: [2, 1] });
    expect(blocked.body.events.some((e: { type: string; actorId: string }) => e.type === "blocked" && e.actorId === me)).toBe(true);
    await leave(joined, created.id);
    expect((await call("GET", `/api/sessions/${created.id}`)).body.position).toEqual([2, 1]);
    expectError(await call("POST", `/api/sessions/${created.id}/actions`, { type: "move", dir: "E" }), 409, "session/not-in-world");
  });

  it("of several actions submitted before one tick, the latest wins; the earlier ones answer command/superseded", async () => {
    const created = await createSession({ playerName: "Nell" });
    const joined = await joinWorld(server.client(), { worldId: "arena", sessionId: created.id });
    const world = server.services.runtimes.get("arena")!;
    // Two calls in the same turn of the event loop: both land before the next tick, deterministically.
    const [first, second] = [world.performAction(created.id, "move", { dir: "N" }), world.performAction(created.id, "move", { dir: "E" })];
    expect(await first).toMatchObject({ ok: false, code: "command/superseded" });
    const won = await second;
    expect(won.ok && won.value.moved).toBe(true);
    expect(won.ok && won.value.position).toEqual([2, 1]);
    await leave(joined, created.id);
  });

  it("a push into an Aggressive NPC answers moved: false with the retaliation", async () => {
    const created = await createSession({ playerName: "Lux" });
    const joined = await joinWorld(server.client(), { worldId: "arena", sessionId: created.id });
    const me = joined.welcome.actorId;
    expect(seenAt(joined.room, me)).toEqual([1, 1]);
    const reply = await call("POST", `/api/sessions/${created.id}/actions`, { type: "move", dir: "S" });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ moved: false, position: [1, 1] });
    expect(reply.body.events).toContainEqual({ type: "retaliated", actorId: "guard", targetId: me, damage: 12 });
    await waitFor(() => joined.room.state.actors.get(me)?.owner?.stats.get("attributes.health") === 88, "own health 88");
    await leave(joined, created.id);
  });

  it("a bad action answers request/invalid naming the field and moves nothing", async () => {
    const created = await createSession({ playerName: "Max" });
    const joined = await joinWorld(server.client(), { worldId: "arena", sessionId: created.id });
    const me = joined.welcome.actorId;
    const start = seenAt(joined.room, me);
    expectError(await call("POST", `/api/sessions/${created.id}/actions`, { type: "move", dir: "X" }), 400, "request/invalid", "dir");
    expectError(await call("POST", `/api/sessions/${created.id}/actions`, { type: "move" }), 400, "request/invalid", "dir");
    expectError(await call("POST", `/api/sessions/${created.id}/actions`, { type: "teleport", dir: "E" }), 400, "request/invalid", "type");
    expectError(await call("POST", `/api/sessions/${created.id}/actions`, "{"), 400, "request/malformed-json");
    const tick = joined.room.state.tick as number;
    await waitFor(() => (joined.room.state.tick as number) >= tick + 3, "three ticks");
    expect(seenAt(joined.room, me)).toEqual(start);
    await leave(joined, created.id);
  });
});

describe("GET /api/npcs/:id/stats/:type", () => {
  it("answers an NPC's normalized stats while its world's room is running", async () => {
    const created = await createSession({ playerName: "Ned" });
    const joined = await joinWorld(server.client(), { worldId: "arena", sessionId: created.id });
    expect(server.services.runtimes.get("arena")?.worldId).toBe(joined.welcome.worldId);
    const reply = await call("GET", "/api/npcs/guard/stats/combat_skills?worldId=arena");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      worldId: "arena",
      npcId: "guard",
      type: "combat_skills",
      stats: { strength: 90, strengthTierId: "expert", agility: 50, agilityTierId: "adept", defense: 50, defenseTierId: "adept" },
    });
    // The default world is used when no worldId is given.
    expect((await call("GET", "/api/npcs/guard/stats/combat_skills")).body).toEqual(reply.body);
    // A player's actor is not an NPC.
    expectError(await call("GET", `/api/npcs/${joined.welcome.actorId}/stats/attributes?worldId=arena`), 404, "npc/not-found");
    await leave(joined, created.id);
  });

  it("answers an NPC's normalized stats from storage when nobody is in its world", async () => {
    expect(server.services.runtimes.has("quiet")).toBe(false);
    const reply = await call("GET", "/api/npcs/sentry/stats/combat_skills?worldId=quiet");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      worldId: "quiet",
      npcId: "sentry",
      type: "combat_skills",
      stats: { strength: 50, strengthTierId: "adept", agility: 50, agilityTierId: "adept", defense: 85, defenseTierId: "expert" },
    });
    const attributes = await call("GET", "/api/npcs/barrel/stats/attributes?worldId=quiet");
    expect(attributes.body.stats).toEqual({ health: 100, healthTierId: "healthy", stamina: 100, staminaTierId: "fresh" });
  });

  it("answers npc/not-found, stats/unknown-type and world/not-found", async () => {
    expectError(await call("GET", "/api/npcs/ghost/stats/combat_skills?worldId=quiet"), 404, "npc/not-found", "ghost");
    expectError(await call("GET", "/api/npcs/guard/stats/combat_skills?worldId=quiet"), 404, "npc/not-found", "guard");
    expectError(await call("GET", "/api/npcs/sentry/stats/magic?worldId=quiet"), 404, "stats/unknown-type", "magic");
    expectError(await call("GET", "/api/npcs/sentry/stats/relationships?worldId=quiet"), 404, "stats/unknown-type", "relationships");
    for (const inherited of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expectError(await call("GET", `/api/npcs/sentry/stats/${inherited}?worldId=quiet`), 404, "stats/unknown-type");
    }
    expectError(await call("GET", "/api/npcs/sentry/stats/combat_skills?worldId=atlantis"), 404, "world/not-found", "atlantis");
  });
});

describe("PATCH /api/npcs/:id/stats/:type (admin)", () => {
  const patch = (path: string, body: unknown, headers: Record<string, string> = ADMIN) => call("PATCH", path, body, headers);

  it("answers auth/required with a challenge without credentials or with wrong ones, and changes nothing", async () => {
    const path = "/api/npcs/barrel/stats/attributes?worldId=quiet";
    const attempts: Array<Record<string, string>> = [{}, { authorization: basic("admin", "wrong") }, { authorization: basic("root", TEST_ADMIN_PASSWORD) }, { authorization: "Bearer token" }];
    for (const headers of attempts) {
      const reply = await patch(path, { health: 1 }, headers);
      expectError(reply, 401, "auth/required");
      expect(reply.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    }
    expect((await call("GET", path)).body.stats.health).toBe(100);
  });

  it("sets a stored world's NPC stat; a later GET and a later join both see it", async () => {
    expect(server.services.runtimes.has("quiet")).toBe(false);
    const reply = await patch("/api/npcs/barrel/stats/attributes?worldId=quiet", { health: 30 });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toEqual({ worldId: "quiet", npcId: "barrel", type: "attributes", stats: { health: 30, healthTierId: "wounded", stamina: 100, staminaTierId: "fresh" } });
    expect((await call("GET", "/api/npcs/barrel/stats/attributes?worldId=quiet")).body).toEqual(reply.body);
    const created = await createSession({ playerName: "Oz", worldId: "quiet" });
    const joined = await joinWorld(server.client(), { worldId: "quiet", sessionId: created.id });
    expect(tier(joined, "barrel", "attributes.health")).toBe("wounded");
    await leave(joined, created.id);
  });

  it("sets a running world's NPC stat; a connected client sees the NPC's new public tier", async () => {
    const created = await createSession({ playerName: "Pia", worldId: "yard" });
    const joined = await joinWorld(server.client(), { worldId: "yard", sessionId: created.id });
    expect(tier(joined, "post", "attributes.health")).toBe("healthy");
    const reply = await patch("/api/npcs/post/stats/attributes?worldId=yard", { health: 10 });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.stats).toMatchObject({ health: 10, healthTierId: "critical" });
    await waitFor(() => tier(joined, "post", "attributes.health") === "critical", "the post's health tier to be critical");
    expect(joined.room.state.actors.get("post").stats?.size ?? 0).toBe(0);
    expect((await call("GET", "/api/npcs/post/stats/attributes?worldId=yard")).body.stats).toMatchObject({ health: 10, healthTierId: "critical" });
    await leave(joined, created.id);
  });

  it("refuses an unknown stat or an out-of-range value with stats/invalid naming it, and changes nothing", async () => {
    const path = "/api/npcs/sentry/stats/combat_skills?worldId=quiet";
    const before = (await call("GET", path)).body;
    expectError(await patch(path, { luck: 5 }), 400, "stats/invalid", "combat_skills.luck");
    expectError(await patch(path, { strength: 150 }), 400, "stats/invalid", "combat_skills.strength", "[0, 100]");
    expectError(await patch(path, { strength: -1 }), 400, "stats/invalid", "[0, 100]");
    expectError(await patch(path, { strength: 60, luck: 5 }), 400, "stats/invalid", "luck");
    expect((await call("GET", path)).body).toEqual(before);
  });

  it("refuses a body that is not integers by stat with request/invalid", async () => {
    const path = "/api/npcs/sentry/stats/combat_skills?worldId=quiet";
    const before = (await call("GET", path)).body;
    expectError(await patch(path, { strength: 1.5 }), 400, "request/invalid", "strength");
    expectError(await patch(path, { strength: "high" }), 400, "request/invalid", "strength");
    expectError(await patch(path, {}), 400, "request/invalid");
    expectError(await patch(path, "{oops"), 400, "request/malformed-json");
    expect((await call("GET", path)).body).toEqual(before);
  });

  it("answers npc/not-found, stats/unknown-type and world/not-found", async () => {
    expectError(await patch("/api/npcs/ghost/stats/attributes?worldId=quiet", { health: 5 }), 404, "npc/not-found", "ghost");
    expectError(await patch("/api/npcs/sentry/stats/magic?worldId=quiet", { power: 5 }), 404, "stats/unknown-type", "magic");
    expectError(await patch("/api/npcs/sentry/stats/attributes?worldId=atlantis", { health: 5 }), 404, "world/not-found", "atlantis");
  });
});

describe("GET /api/worlds/:id/stats-config and /api/reference", () => {
  it("answers a world's stat definitions and creation rules", async () => {
    const reply = await call("GET", "/api/worlds/quiet/stats-config");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ worldId: "quiet", definitions: DEFAULT_STATS_CONFIG.definitions, creation: { pointBudget: 20, definitions: ["combat_skills"] } });
  });

  it("answers world/not-found for an unknown world", async () => {
    expectError(await call("GET", "/api/worlds/atlantis/stats-config"), 404, "world/not-found", "atlantis");
  });

  it("serves the OpenAPI reference page", async () => {
    const reply = await call("GET", "/api/reference");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toContain("text/html");
  });
});

describe("unknown API routes", () => {
  it("answer 404 request/no-route in the standard error shape, for any method", async () => {
    expectError(await call("GET", "/api/nothing"), 404, "request/no-route", "/api/nothing");
    expectError(await call("PUT", "/api/sessions/x", {}), 404, "request/no-route", "PUT");
  });
});
