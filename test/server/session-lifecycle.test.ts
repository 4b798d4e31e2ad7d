/**
 * Issue 8 §4, through the real server: a session is stored only when its join succeeds, and idle
 * sessions expire after SESSION_TTL_HOURS while connected ones stay.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../support/http.ts";
import { signedInClient, joinWorld, waitFor, type TestServer } from "../support/server.ts";
import { createSteppingClock, startTestServerWithCharacters } from "../support/server-with-characters.ts";

let server: TestServer;
const START = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

beforeAll(async () => {
  server = await startTestServerWithCharacters(
    { worlds: { tiny: { map: ["#####", "#S.S#", "#####"] }, yard: { map: ["#######", "#S...S#", "#######"] } } },
    { env: { SESSION_TTL_HOURS: "24" }, now: createSteppingClock(START) },
  );
});

afterAll(async () => {
  await server?.shutdown();
});

const sessionCount = () => server.services.store.db.prepare("SELECT count(*) FROM sessions").pluck().get() as number;

describe("sessions are stored only for joins that succeed", () => {
  it("a storm of joins on a world with 2 spawn points stores exactly 2 sessions", async () => {
    const before = sessionCount();
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, async () => (await signedInClient(server, { worldId: "tiny" })).joinOrCreate("world", { worldId: "tiny" })));
    const joined = attempts.filter((a) => a.status === "fulfilled");
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(joined).toHaveLength(2);
    expect(refused).toHaveLength(6);
    for (const r of refused) expect(String(r.reason)).toMatch(/world\/no-free-spawn/);
    expect(sessionCount()).toBe(before + 2);
    for (const a of joined) await a.value.leave();
  });

  it("a join refused for its character stores nothing", async () => {
    const before = sessionCount();
    await expect((await signedInClient(server, { worldId: "yard", character: { template: "dragon" } })).joinOrCreate("world", { worldId: "yard", character: { template: "dragon" } })).rejects.toThrow(/character\/invalid/);
    expect(sessionCount()).toBe(before);
  });
});

describe("idle sessions expire", () => {
  it("deletes sessions unused for SESSION_TTL_HOURS, keeps recent and connected ones", async () => {
    server.services.store.db.exec("DELETE FROM sessions");
    const create = async (playerName: string) => {
      const res = await request(server.port, "POST", "/api/sessions", { body: { playerName, worldId: "yard" } });
      expect(res.status).toBe(201);
      return (res.body as { id: string }).id;
    };
    const idle = await create("Idle");
    const connectedId = await create("Connected");
    const joined = await joinWorld(server.client(), { sessionId: connectedId });
    const lastUse = (id: string) => Date.parse(server.services.sessions.get(id)!.updatedAt);
    const fresh = await create("Fresh");

    // At exactly the TTL after its last use a session is kept; one ms later it is deleted.
    expect(server.services.sessionExpiry.run(lastUse(idle) + 24 * HOUR)).toBe(0);
    expect(server.services.sessionExpiry.run(lastUse(idle) + 24 * HOUR + 1)).toBe(1);
    expect(server.services.sessions.get(idle)).toBeUndefined();
    expect((await request(server.port, "GET", `/api/sessions/${idle}`)).status).toBe(404);

    // Far in the future every idle session goes, but never a connected one.
    expect(server.services.sessionExpiry.run(START + 1000 * HOUR)).toBe(1);
    expect(server.services.sessions.get(fresh)).toBeUndefined();
    expect(server.services.sessions.get(connectedId)?.playerName).toBe("Connected");
    await joined.room.leave();
    await waitFor(() => !server.services.connectedSessions.has(connectedId), "the session to be released");
    expect(server.services.sessionExpiry.run(START + 1000 * HOUR)).toBe(1);
    expect(sessionCount()).toBe(0);
  });

  it("deletes a backlog larger than one batch", () => {
    const insert = server.services.store.db.prepare(
      "INSERT INTO sessions (id, player_name, world_id, character, stats, flags, created_at, updated_at) VALUES (?, 'p', 'yard', '{}', '{}', '{}', ?, ?)",
    );
    const old = new Date(START).toISOString();
    server.services.store.db.transaction(() => {
      for (let i = 0; i < 1234; i++) insert.run(`old-${i}`, old, old);
    })();
    expect(server.services.sessionExpiry.run(START + 25 * HOUR)).toBe(1234);
    expect(sessionCount()).toBe(0);
  });

  it("SESSION_TTL_HOURS must be a whole number of hours, 1 or more", async () => {
    const { loadConfig } = await import("../../src/server/boot.ts");
    expect(loadConfig({}).sessionTtlHours).toBe(168);
    expect(() => loadConfig({ SESSION_TTL_HOURS: "0" })).toThrow(/SESSION_TTL_HOURS/);
    expect(() => loadConfig({ SESSION_TTL_HOURS: "1.5" })).toThrow(/SESSION_TTL_HOURS/);
  });
});
