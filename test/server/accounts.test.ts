/**
 * Accounts (issue 12) through the real server: @colyseus/auth's standard routes as the SDK's
 * `client.auth` calls them, the token secret, and the sign-in limits per address and per account.
 */
import { request as httpRequest } from "node:http";
import { statSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AUTH_SECRET_FILE } from "../../src/server/accounts.ts";
import { expectError, request } from "../support/http.ts";
import { bootTestServer, startTestServer, writeWorlds, type TestServer } from "../support/server.ts";

const WORLD = { map: ["#####", "#S..#", "#####"], npcs: [] };

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.shutdown();
});

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer({ quay: WORLD }, env);
  servers.push(server);
  return server;
}

/** A JSON POST to `server` from the loopback address `localAddress` (127.0.0.x): the status and Retry-After. */
function postFrom(server: TestServer, localAddress: string, path: string, body: unknown): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: server.port, method: "POST", path, localAddress, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, retryAfter: res.headers["retry-after"] as string | undefined }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("accounts on @colyseus/auth's routes", () => {
  it("an anonymous sign-in through the SDK gives a token the server knows", async () => {
    const server = await start();
    const client = server.client();
    const signedIn = await client.auth.signInAnonymously();
    expect(signedIn.user).toEqual({ id: expect.any(String), anonymous: true });
    expect(client.auth.token).toBe(signedIn.token);
    const me = await client.auth.getUserData();
    expect(me.user).toEqual(signedIn.user);
    expect(server.services.accounts.get((signedIn.user as { id: string }).id)).toEqual(signedIn.user);
  });

  it("registers with email and password, logs in, and refuses a wrong password or a taken email", async () => {
    const server = await start();
    const registered = await server.client().auth.registerWithEmailAndPassword("ada@example.com", "correct horse");
    expect(registered.user).toEqual({ id: expect.any(String), email: "ada@example.com", anonymous: false });
    const login = await request(server.port, "POST", "/auth/login", { body: { email: "ADA@example.com", password: "correct horse" } });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual(registered.user);
    const wrong = await request(server.port, "POST", "/auth/login", { body: { email: "ada@example.com", password: "wrong horse" } });
    expect([wrong.status, wrong.body]).toEqual([401, { error: "invalid_credentials" }]);
    const taken = await request(server.port, "POST", "/auth/register", { body: { email: "ada@example.com", password: "another one" } });
    expect([taken.status, taken.body]).toEqual([401, { error: "email_already_in_use" }]);
    // The stored password is the package's salted scrypt hash, never the password.
    const stored = server.services.store.db.prepare("SELECT password FROM users WHERE email = ?").pluck().get("ada@example.com") as string;
    expect(stored).not.toContain("correct horse");
    expect(stored.split("$")).toHaveLength(3);
  });

  it("an anonymous player who registers keeps its user id; a body cannot claim another's", async () => {
    const server = await start();
    const client = server.client();
    const anonymous = await client.auth.signInAnonymously();
    const upgraded = await client.auth.registerWithEmailAndPassword("bo@example.com", "secret words");
    expect(upgraded.user).toEqual({ id: (anonymous.user as { id: string }).id, email: "bo@example.com", anonymous: false });
    // Without a token, an upgrade claimed in the body is ignored: a new user is made.
    const victim = await server.client().auth.signInAnonymously();
    const claimed = await request(server.port, "POST", "/auth/register", {
      body: { email: "eve@example.com", password: "secret words", options: { upgradingToken: { id: (victim.user as { id: string }).id, anonymous: true } } },
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body.user.id).not.toBe((victim.user as { id: string }).id);
    expect(server.services.accounts.get((victim.user as { id: string }).id)).toEqual(victim.user);
  });

  it("without AUTH_SECRET a secret is generated once into DATA_DIR (mode 0600), never logged, and survives a restart", async () => {
    const dataDir = writeWorlds({ quay: WORLD });
    const lines: string[] = [];
    const logger = (await import("pino")).pino({ level: "warn" }, { write: (line: string) => void lines.push(line) });
    const first = await bootTestServer(dataDir, { AUTH_SECRET: "" }, undefined, logger);
    servers.push(first);
    const path = join(dataDir, AUTH_SECRET_FILE);
    const secret = readFileSync(path, "utf8").trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(lines.some((line) => line.includes("generated a development secret"))).toBe(true);
    expect(lines.some((line) => line.includes(secret))).toBe(false);
    const token = (await first.client().auth.signInAnonymously()).token;
    await first.shutdown();
    servers.splice(servers.indexOf(first), 1);

    const second = await bootTestServer(dataDir, { AUTH_SECRET: "" });
    servers.push(second);
    expect(readFileSync(path, "utf8").trim()).toBe(secret);
    const userdata = await request(second.port, "GET", "/auth/userdata", { headers: { authorization: `Bearer ${token}` } });
    expect(userdata.status).toBe(200);
  });
});

describe("sign-in limits", () => {
  it("a burst of sign-ins from one address is cut off with 429 and Retry-After; another address is not", async () => {
    const server = await start({ AUTH_RATE_LIMIT: "3" });
    const burst = [];
    for (let i = 0; i < 5; i++) burst.push(await postFrom(server, "127.0.0.1", "/auth/anonymous", {}));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(Number(burst[3]!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(burst[3]!.retryAfter)).toBeLessThanOrEqual(60);
    expect((await postFrom(server, "127.0.0.2", "/auth/anonymous", {})).status).toBe(200);
    // Registrations are counted apart from sign-ins.
    expect((await postFrom(server, "127.0.0.1", "/auth/register", { email: "cy@example.com", password: "long enough" })).status).toBe(200);
  });

  it("logins for one account are cut off with 429; another account's are not", async () => {
    const server = await start({ ACCOUNT_RATE_LIMIT: "3" });
    for (const email of ["dee@example.com", "eli@example.com"]) await server.client().auth.registerWithEmailAndPassword(email, "long enough");
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(server.port, "POST", "/auth/login", { body: { email: "dee@example.com", password: i === 0 ? "wrong one" : "long enough" } })).status);
    expect(statuses).toEqual([401, 200, 200, 429]);
    const limited = await request(server.port, "POST", "/auth/login", { body: { email: "DEE@example.com", password: "long enough" } });
    expectError(limited, 429, "request/rate-limited", "logins for DEE@example.com");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await request(server.port, "POST", "/auth/login", { body: { email: "eli@example.com", password: "long enough" } })).status).toBe(200);
  });
});

describe("session creation limits", () => {
  it("one user's session creations are cut off with 429; another user's are not", async () => {
    const server = await start({ ACCOUNT_RATE_LIMIT: "2" });
    const [ann, bo] = await Promise.all([server.client().auth.signInAnonymously(), server.client().auth.signInAnonymously()]);
    const create = (token: string) => request(server.port, "POST", "/api/sessions", { body: { playerName: "P" }, headers: { authorization: `Bearer ${token}` } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await create(ann.token)).status);
    expect(statuses).toEqual([201, 201, 429]);
    const limited = await create(ann.token);
    expectError(limited, 429, "request/rate-limited", "session creations for this user");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await create(bo.token)).status).toBe(201);
    expect(server.services.store.db.prepare("SELECT count(*) FROM sessions").pluck().get()).toBe(3);
  });
});

describe("a session is its owner's", () => {
  /** A new client signed in as a new anonymous user, and its bearer header. */
  async function player(server: TestServer): Promise<{ client: ReturnType<TestServer["client"]>; auth: { authorization: string } }> {
    const client = server.client();
    const { token } = await client.auth.signInAnonymously();
    return { client, auth: { authorization: `Bearer ${token}` } };
  }

  it("joining with another user's session is refused with 403 session/forbidden; the owner resumes it", async () => {
    const server = await start();
    const ann = await player(server);
    const room = await ann.client.joinOrCreate("world", { worldId: "quay" });
    const welcome = await new Promise<{ sessionId: string }>((resolve) => room.onMessage("welcome", resolve));
    expect(server.services.sessions.get(welcome.sessionId)!.userId).toBe(server.services.accounts.get((await ann.client.auth.getUserData()).user.id as string)!.id);
    await room.leave();
    const bo = await player(server);
    await expect(bo.client.joinOrCreate("world", { sessionId: welcome.sessionId })).rejects.toThrow(/session\/forbidden: session ".*" belongs to another user/);
    const again = await ann.client.joinOrCreate("world", { sessionId: welcome.sessionId });
    const resumed = await new Promise<{ sessionId: string }>((resolve) => again.onMessage("welcome", resolve));
    expect(resumed.sessionId).toBe(welcome.sessionId);
    await again.leave();
  });

  it("session routes answer its owner and the admin; another user gets 403, no token 401, a forged one 401", async () => {
    const server = await start();
    const ann = await player(server);
    const bo = await player(server);
    const created = await request(server.port, "POST", "/api/sessions", { body: { playerName: "Ann" }, headers: ann.auth });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.userId).toBe(server.services.sessions.get(id)!.userId);
    const path = `/api/sessions/${id}`;
    expect((await request(server.port, "GET", path, { headers: ann.auth })).body.playerName).toBe("Ann");
    expect((await request(server.port, "GET", path, { headers: { authorization: `Basic ${Buffer.from("admin:test-admin-password").toString("base64")}` } })).status).toBe(200);
    for (const [method, route, body] of [["GET", path], ["PATCH", path, { playerName: "Eve" }], ["DELETE", path], ["POST", `${path}/actions`, { type: "move", dir: "E" }], ["GET", `${path}/inventory`]] as const) {
      expectError(await request(server.port, method, route, { headers: bo.auth, ...(body ? { body } : {}) }), 403, "session/forbidden");
      expectError(await request(server.port, method, route, { signedOut: true, ...(body ? { body } : {}) }), 401, "auth/token-required");
      expectError(await request(server.port, method, route, { headers: { authorization: "Bearer not.a.token" }, ...(body ? { body } : {}) }), 401, "auth/invalid-token");
    }
    // Nothing changed: still Ann's, still named Ann.
    expect(server.services.sessions.get(id)!.playerName).toBe("Ann");
    expect((await request(server.port, "POST", "/api/sessions", { body: { playerName: "Nobody" }, signedOut: true })).status).toBe(401);
  });

  it("a session from before accounts is claimed by the first signed-in player who resumes it", async () => {
    const server = await start();
    const character = { ...server.services.sessions.get((await request(server.port, "POST", "/api/sessions", { body: { playerName: "Tmp" } })).body.id)!.character };
    const legacy = server.services.sessions.create({ playerName: "Old", worldId: "quay", character });
    expect(legacy.userId).toBeNull();
    const cy = await player(server);
    const room = await cy.client.joinOrCreate("world", { sessionId: legacy.id });
    await new Promise((resolve) => room.onMessage("welcome", resolve));
    expect(server.services.sessions.get(legacy.id)!.userId).toBe((await cy.client.auth.getUserData()).user.id);
    await room.leave();
    const dee = await player(server);
    await expect(dee.client.joinOrCreate("world", { sessionId: legacy.id })).rejects.toThrow(/session\/forbidden/);
  });
});
