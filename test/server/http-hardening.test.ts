/**
 * Issue 8 §2, §3 and §5 through the real server: responses of any size arrive whole and a client
 * that stops reading is cut off; request bodies, flags, customizations and names are bounded; CORS
 * follows `CORS_ORIGINS` on public routes and never reaches admin surfaces. Plain `fetch` where it
 * can, raw sockets where a client must misbehave.
 */
import { readFileSync } from "node:fs";
import type { Server as HttpServer } from "node:http";
import type { Socket } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_AUTH, connect, corsHeaderNames, expectError, largeStatsConfig, playerToken, readUntilClosed, request, type Reply } from "../support/http.ts";
import { signedInClient, joinWorld, startTestServer, type TestServer } from "../support/server.ts";
import { ensureWebBuild } from "../support/browser.ts";

const ORIGIN = "https://play.example.com";
const OTHER_ORIGIN = "http://localhost:5173";
const EVIL = "https://evil.example";
const LIMIT = 64 * 1024;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(
    {
      plaza: { map: ["#######", "#S...S#", "#.....#", "#######"], npcs: [{ id: "post", name: "Post", at: [3, 2], behaviours: ["Moveable"] }] },
      // 64 × 48 axes of 32 tiers: a valid stats config whose JSON is about 9 MB.
      vast: { map: ["####", "#S.#", "####"], stats: largeStatsConfig(64, 48) },
    },
    { DEFAULT_WORLD: "plaza", CORS_ORIGINS: `${ORIGIN},${OTHER_ORIGIN}`, HTTP_IDLE_TIMEOUT_MS: "2000" },
  );
});

afterAll(async () => {
  await server?.shutdown();
});

const call = (method: string, path: string, options?: Parameters<typeof request>[3]) => request(server.port, method, path, options);
const sessionCount = () => (server.services.store.db.prepare("SELECT COUNT(*) AS n FROM sessions").get() as { n: number }).n;
const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Rejects after `ms` naming `what`: a safety net, so a broken server fails the test instead of hanging it. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function createSession(body: object = { playerName: "Ada" }): Promise<any> {
  const reply = await call("POST", "/api/sessions", { body });
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}

describe("responses of any size (§2)", () => {
  it("GET /api/worlds/:id/stats-config answers a 9 MB stats config whole", async () => {
    const reply = await within(call("GET", "/api/worlds/vast/stats-config"), 20_000, "complete answer");
    expect(reply.status).toBe(200);
    expect(reply.text.length).toBeGreaterThan(8 * 1024 * 1024);
    expect(reply.body).toEqual({ worldId: "vast", ...server.services.worlds.byId.get("vast")!.stats });
  });

  it("a session with flags at every limit answers PATCH and GET in full (over 16 KB)", async () => {
    const created = await createSession();
    const flags = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`flag_${String(i).padStart(2, "0")}`, "v".repeat(242)]));
    expect(Buffer.byteLength(JSON.stringify(flags))).toBeLessThanOrEqual(16 * 1024);
    const patched = await within(call("PATCH", `/api/sessions/${created.id}`, { body: { flags } }), 10_000, "PATCH answer");
    expect(patched.status, patched.text.slice(0, 300)).toBe(200);
    expect(patched.text.length).toBeGreaterThan(16 * 1024);
    expect(patched.body.flags).toEqual(flags);
    expect((await within(call("GET", `/api/sessions/${created.id}`), 10_000, "GET answer")).body).toEqual(patched.body);
  });

  it("the monitor's panel script (800 KB), now served by the edge's adapter, arrives whole for the admin", async () => {
    const staticDir = resolve("node_modules/@colyseus/monitor/build/static");
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(readFileSync(resolve(staticDir, "index.html"), "utf8"))![1]!;
    const res = await within(fetch(`http://127.0.0.1:${server.port}/monitor/${script}`, { headers: { authorization: ADMIN_AUTH } }), 10_000, "panel script");
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(resolve(staticDir, script)))).toBe(true);
  });

  it("a client that stops reading a large answer is cut off after HTTP_IDLE_TIMEOUT_MS; others are served", async () => {
    const http = server.colyseus.server.transport.server as HttpServer;
    const accepted = new Promise<Socket>((resolve) => http.once("connection", resolve));
    const client = await connect(server.port);
    const serverSide = await accepted;
    client.pause();
    client.write("GET /api/worlds/vast/stats-config HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await within(new Promise((resolve) => serverSide.once("close", resolve)), 20_000, "server-side close of the stalled connection");
    const received = await readUntilClosed(client);
    expect(received.subarray(0, 15).toString()).toBe("HTTP/1.1 200 OK");
    expect(received.length).toBeLessThan(8 * 1024 * 1024);
    expect((await call("GET", "/__healthcheck")).status).toBe(200);
  });
});

describe("request bodies (§3)", () => {
  it("a body over HTTP_BODY_LIMIT answers 413 request/too-large on /api and /matchmake and creates nothing; one at the limit passes", async () => {
    const before = sessionCount();
    const over = await call("POST", "/api/sessions", { body: { playerName: "Big", pad: "x".repeat(LIMIT) } });
    expectError(over, 413, "request/too-large", `${LIMIT} bytes`);
    expect(over.headers.get("connection")).toBe("close");
    expectError(await call("POST", "/matchmake/joinOrCreate/world", { body: { worldId: "plaza", name: "x".repeat(10 * 1024 * 1024) } }), 413, "request/too-large");
    expect(sessionCount()).toBe(before);
    const exact = { playerName: "Edge", pad: "" };
    exact.pad = "x".repeat(LIMIT - Buffer.byteLength(JSON.stringify(exact)));
    expect((await call("POST", "/api/sessions", { body: exact })).status).toBe(201);
  });

  it("a streamed body is refused once it passes the limit: the answer comes while the client is still sending", async () => {
    const client = await connect(server.port);
    client.write(`POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${await playerToken(server.port)}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = "x".repeat(16 * 1024);
    for (let i = 0; i < 5; i++) client.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`); // never the final 0-chunk
    const answer = (await within(readUntilClosed(client), 10_000, "answer and close")).toString();
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(answer).toContain('"code":"request/too-large"');
  });

  it("a guarded route refuses a caller without credentials before reading its body: 401 while it still sends, then close", async () => {
    const client = await connect(server.port);
    client.write("POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    const chunk = "x".repeat(16 * 1024);
    for (let i = 0; i < 2; i++) client.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`); // never the final 0-chunk
    const answer = (await within(readUntilClosed(client), 10_000, "answer and close")).toString();
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(answer).toContain('"code":"auth/token-required"');
  });

  it("a body that is not JSON answers 415 request/unsupported-media-type and changes nothing", async () => {
    const created = await createSession({ playerName: "Fay" });
    const before = sessionCount();
    const json = JSON.stringify({ playerName: "Mallory" });
    const forms: Array<[string, string]> = [
      ["application/x-www-form-urlencoded", "playerName=Mallory"],
      ["multipart/form-data; boundary=b", '--b\r\nContent-Disposition: form-data; name="playerName"\r\n\r\nMallory\r\n--b--\r\n'],
      ["text/plain", json],
      ["application/jsonx", json],
    ];
    for (const [type, body] of forms) {
      expectError(await call("POST", "/api/sessions", { body, headers: { "content-type": type } }), 415, "request/unsupported-media-type", type);
      expectError(await call("PATCH", `/api/sessions/${created.id}`, { body, headers: { "content-type": type } }), 415, "request/unsupported-media-type");
      expectError(await call("POST", "/matchmake/joinOrCreate/world", { body, headers: { "content-type": type } }), 415, "request/unsupported-media-type");
    }
    const untyped = await fetch(`http://127.0.0.1:${server.port}/api/sessions`, { method: "POST", body: new TextEncoder().encode(json), headers: { authorization: `Bearer ${await playerToken(server.port)}` } });
    expect(untyped.status).toBe(415);
    expect(((await untyped.json()) as any).error.message).toContain("no Content-Type");
    expect(sessionCount()).toBe(before);
    expect((await call("GET", `/api/sessions/${created.id}`)).body.playerName).toBe("Fay");
    expect((await call("POST", "/api/sessions", { body: json, headers: { "content-type": "Application/JSON; charset=utf-8" } })).status).toBe(201);
  });

  it("a request whose Host is not a valid host answers 400 request/invalid", async () => {
    const client = await connect(server.port);
    client.write("GET /__healthcheck HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n");
    const answer = (await within(readUntilClosed(client), 10_000, "answer")).toString();
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"request/invalid"');
  });
});

describe("flags, customizations and names (§3)", () => {
  it("flags beyond a limit answer request/invalid naming the limit and the field; nothing changes", async () => {
    const created = await createSession({ playerName: "Gus" });
    const many = (n: number, value: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, value]));
    const cases: Array<[object, string]> = [
      [many(65, "x"), "flags: at most 64 keys, got 65"],
      [{ ["k".repeat(65)]: true }, `flags.${"k".repeat(65)}: flag names are 1–64 characters`],
      [{ note: "n".repeat(1100) }, "flags.note: a flag value may be at most 1024 bytes of JSON, got 1102"],
      [{ note: "\u0001".repeat(200) }, "flags.note: a flag value may be at most 1024 bytes of JSON, got 1202"],
      [many(64, "v".repeat(256)), "flags: flags may be at most 16384 bytes of JSON in all, got 16"],
    ];
    for (const [flags, message] of cases) expectError(await call("PATCH", `/api/sessions/${created.id}`, { body: { flags } }), 400, "request/invalid", message);
    expect((await call("GET", `/api/sessions/${created.id}`)).body).toEqual(created);
  });

  it("customizations: thousands of keys answer at once with the bound; unknown definitions and axes are named", async () => {
    const before = sessionCount();
    const thousands = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1]));
    const custom = (customizations: object) => call("POST", "/api/sessions", { body: { playerName: "Cy", character: { customizations } } });
    expectError(await within(custom(thousands), 10_000, "answer"), 400, "request/invalid", "character.customizations: at most 16 keys, got 5000");
    expectError(await custom({ combat_skills: thousands }), 400, "request/invalid", "character.customizations.combat_skills: at most 64 keys, got 5000");
    expectError(await custom({ magic: { fire: 5 } }), 400, "character/invalid", "character.customizations.magic");
    expectError(await custom({ combat_skills: { luck: 5 } }), 400, "character/invalid", "character.customizations.combat_skills.luck");
    expect(sessionCount()).toBe(before);
    await expect((await signedInClient(server, { character: { customizations: thousands } })).joinOrCreate("world", { character: { customizations: thousands } })).rejects.toThrow(/command\/invalid.*at most 16 keys, got 5000/);
  });

  it("names with control, bidirectional, zero-width or blank characters are refused everywhere a client names something", async () => {
    const created = await createSession({ playerName: "Hal" });
    const bad = ["\u202E", "\u202A", "\u2066", "\u2069", "\u200B", "\u200D", "\u200F", "\uFEFF", "\u2060", "\u00AD", "\u0007", "\u001B", "\u0085", "\u2028", "\u00A0", "\u3164"];
    for (const c of bad) {
      const name = `Ev${c}e`;
      expectError(await call("POST", "/api/sessions", { body: { playerName: name } }), 400, "request/invalid", "playerName", codePoint(c));
      expectError(await call("PATCH", `/api/sessions/${created.id}`, { body: { playerName: name } }), 400, "request/invalid", "playerName", codePoint(c));
      expectError(await call("POST", "/api/sessions", { body: { playerName: "Eve", character: { name } } }), 400, "request/invalid", "character.name", codePoint(c));
    }
    await expect((await signedInClient(server, { name: "Ev\u202Ee" })).joinOrCreate("world", { name: "Ev\u202Ee" })).rejects.toThrow(/command\/invalid.*name: must contain only printable characters: U\+202E/);
    expect((await call("GET", `/api/sessions/${created.id}`)).body.playerName).toBe("Hal");
    for (const name of ["Zoë Ōtake", "李小龍", "Ada 😀", "O'Neil-Smith"]) expect((await createSession({ playerName: name, character: { name } })).playerName).toBe(name);
  });
});

describe("CORS and admin surfaces (§5)", () => {
  const preflight = (path: string, method: string, origin: string) =>
    call("OPTIONS", path, { headers: { origin, "access-control-request-method": method, "access-control-request-headers": "content-type, authorization" } });
  const admin = { authorization: ADMIN_AUTH };

  it("admin surfaces answer no Access-Control-* header, to preflights and requests, from any origin", async () => {
    const adminRoutes: Array<[string, string]> = [["/monitor/api", "GET"], ["/monitor/", "GET"], ["/monitor", "GET"], ["/metrics", "GET"], ["/api/npcs/post/stats/attributes?worldId=plaza", "PATCH"]];
    for (const origin of [ORIGIN, EVIL]) {
      for (const [path, method] of adminRoutes) expect(corsHeaderNames((await preflight(path, method, origin)).headers), `${method} ${path} from ${origin}`).toEqual([]);
      const answers: Reply[] = [
        await call("GET", "/metrics", { headers: { ...admin, origin } }),
        await call("GET", "/monitor/api", { headers: { ...admin, origin } }),
        await call("PATCH", "/api/npcs/post/stats/attributes?worldId=plaza", { body: { health: 90 }, headers: { ...admin, origin } }),
        await call("GET", "/monitor/api", { headers: { origin } }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 401]);
      for (const answer of answers) expect(corsHeaderNames(answer.headers)).toEqual([]);
    }
  });

  it("an allowed origin gets exactly that origin on public routes, without credentials", async () => {
    const checks: Array<[string, string, string]> = [["/api/sessions", "POST", ORIGIN], ["/api/sessions/any-id", "PATCH", OTHER_ORIGIN], ["/api/npcs/post/stats/attributes", "GET", ORIGIN]];
    for (const [path, method, origin] of checks) {
      const reply = await preflight(path, method, origin);
      expect(reply.status).toBe(204);
      expect(reply.headers.get("access-control-allow-origin")).toBe(origin);
      expect(reply.headers.get("access-control-allow-methods")).toBe(method);
      expect(reply.headers.get("access-control-allow-headers")).toBe("Content-Type");
      expect(reply.headers.get("access-control-allow-credentials")).toBeNull();
    }
    const created = await call("POST", "/api/sessions", { body: { playerName: "Ida" }, headers: { origin: ORIGIN } });
    expect(created.status).toBe(201);
    expect(created.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(created.headers.get("access-control-allow-credentials")).toBeNull();
    expect(created.headers.get("vary")).toContain("Origin");
  });

  it("any other origin gets no Access-Control-* header", async () => {
    for (const origin of [EVIL, "null", `${ORIGIN}.evil.example`, "http://play.example.com"]) {
      expect(corsHeaderNames((await preflight("/api/sessions", "POST", origin)).headers)).toEqual([]);
      expect(corsHeaderNames((await call("GET", "/api/worlds/plaza/stats-config", { headers: { origin } })).headers)).toEqual([]);
    }
  });

  it("matchmaking follows CORS_ORIGINS and allows the SDK's credentialed requests; the Node SDK (no Origin) joins", async () => {
    const allowed = await preflight("/matchmake/joinOrCreate/world", "POST", ORIGIN);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    expect(allowed.headers.get("access-control-allow-headers")).toBe("Content-Type, Authorization");
    expect(corsHeaderNames((await preflight("/matchmake/joinOrCreate/world", "POST", EVIL)).headers)).toEqual([]);
    const seat = await call("POST", "/matchmake/joinOrCreate/world", { body: { worldId: "plaza" }, headers: { origin: ORIGIN, authorization: `Bearer ${await playerToken(server.port)}` } });
    expect(seat.status, seat.text).toBe(200);
    expect(seat.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(seat.headers.get("access-control-allow-credentials")).toBe("true");
    const joined = await joinWorld(server.client(), { worldId: "plaza" });
    expect(joined.welcome.worldId).toBe("plaza");
    await joined.room.leave();
  });

  it("GET /monitor answers 401 without credentials instead of redirecting; the admin is redirected to /monitor/", async () => {
    const anonymous = await call("GET", "/monitor");
    expectError(anonymous, 401, "auth/required");
    expect(anonymous.headers.get("location")).toBeNull();
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    const redirected = await call("GET", "/monitor?tab=rooms", { headers: admin });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("location")).toBe("/monitor/?tab=rooms");
    expectError(await call("GET", "/monitor/"), 401, "auth/required");
  });

  it("no answer names the framework or its version; every answer forbids sniffing and framing", async () => {
    // `/` is the web client's page (Arbiter's, not Colyseus's banner); an unknown path is Arbiter's 404.
    await ensureWebBuild();
    const root = await call("GET", "/");
    expect(root.status).toBe(200);
    expect(root.text).toContain("<title>Arbiter</title>");
    expect(root.text).not.toMatch(/colyseus/i);
    const unknown = await call("GET", "/nothing");
    expectError(unknown, 404, "request/no-route");
    expect(unknown.text).not.toMatch(/colyseus/i);
    for (const path of ["/", "/nothing", "/__healthcheck", "/api/worlds/plaza/stats-config", "/metrics", "/monitor/"]) {
      const reply = await call("GET", path);
      expect(reply.headers.get("x-powered-by"), path).toBeNull();
      expect(reply.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(reply.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });
});
