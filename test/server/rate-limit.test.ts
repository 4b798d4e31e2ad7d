/**
 * Per-address HTTP rate limits through the real server: requests per 10 s (`HTTP_RATE_LIMIT`) and
 * failed logins per 15 minutes (`AUTH_FAILURE_LIMIT`). Each case sends from its own loopback
 * address (127.0.0.x), so the cases do not share a budget.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { playerToken } from "../support/http.ts";
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ yard: { map: ["#####", "#S.S#", "#####"] } }, { HTTP_RATE_LIMIT: "5", AUTH_FAILURE_LIMIT: "3" });
});

afterAll(async () => {
  await server?.shutdown();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request sent from `from` (a loopback address) to the test server. */
function send(from: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: server.port, localAddress: from, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`admin:${password}`).toString("base64")}` });

describe("HTTP rate limits per client address", () => {
  it("the request over HTTP_RATE_LIMIT per 10 s answers 429 request/rate-limited with Retry-After; the health check never does", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send("127.0.0.2", "GET", "/api/worlds/yard/stats-config")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await send("127.0.0.2", "POST", "/api/sessions", { "content-type": "application/json" }, JSON.stringify({ playerName: "Ada" }));
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body).error.code).toBe("request/rate-limited");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(10);
    expect(server.services.store.db.prepare("SELECT count(*) FROM sessions").pluck().get()).toBe(0);
    expect((await send("127.0.0.2", "GET", "/__healthcheck")).status).toBe(200);
    // Another address has its own budget.
    expect((await send("127.0.0.3", "GET", "/api/worlds/yard/stats-config")).status).toBe(200);
  });

  it("matchmaking counts: a join storm from one address gets 429 past the limit", async () => {
    const body = JSON.stringify({ worldId: "yard" });
    const headers = { "content-type": "application/json", authorization: `Bearer ${await playerToken(server.port)}` };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send("127.0.0.4", "POST", "/matchmake/joinOrCreate/world", headers, body)).status);
    expect(statuses.slice(5)).toEqual([429]);
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
  });

  it("after AUTH_FAILURE_LIMIT failed logins an address is refused even with the right password", async () => {
    for (let i = 0; i < 3; i++) expect((await send("127.0.0.5", "GET", "/metrics", basic("wrong-password"))).status).toBe(401);
    const refused = await send("127.0.0.5", "GET", "/metrics", basic(TEST_ADMIN_PASSWORD));
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.code).toBe("request/rate-limited");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(60);
    // The admin from another address is unaffected.
    expect((await send("127.0.0.6", "GET", "/metrics", basic(TEST_ADMIN_PASSWORD))).status).toBe(200);
  });
});
