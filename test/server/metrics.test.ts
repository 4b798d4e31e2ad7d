import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinWorld, startTestServer, TEST_ADMIN_PASSWORD, waitTicks, type TestServer } from "../support/server.ts";

const TOKEN = "metrics-token-for-tests-0123456789";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(
    { ring: { map: ["########", "#S.....#", "########"], npcs: [{ id: "m", name: "m", at: [4, 1], behaviours: ["Moveable"] }] } },
    { METRICS_TOKEN: TOKEN },
  );
});

afterAll(async () => {
  await server?.shutdown();
});

const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`admin:${password}`).toString("base64")}` });

describe("metrics and monitor metadata", () => {
  it("/metrics answers 401 without credentials, with a wrong password or a wrong token", async () => {
    expect((await fetch(url("/metrics"))).status).toBe(401);
    expect((await fetch(url("/metrics"), { headers: basic("wrong-password") })).status).toBe(401);
    expect((await fetch(url("/metrics"), { headers: { authorization: "Bearer not-the-token" } })).status).toBe(401);
  });

  it("/metrics serves Prometheus text with per-world tick, pipeline, client and byte figures", async () => {
    const a = await joinWorld(server.client(), { worldId: "ring" });
    a.room.send("move", { dir: "E" });
    a.room.send("move", { dir: "E" });
    await waitTicks(a.room, 5);
    for (const headers of [basic(TEST_ADMIN_PASSWORD), { authorization: `Bearer ${TOKEN}` }]) {
      const res = await fetch(url("/metrics"), { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const text = await res.text();
      expect(text).toMatch(/arbiter_tick_duration_seconds_count\{world="ring"\} [1-9]/);
      expect(text).toMatch(/arbiter_actions_total\{world="ring"\} [1-9]/);
      expect(text).toMatch(/arbiter_connected_clients\{world="ring"\} 1\b/);
      expect(text).toMatch(/arbiter_bytes_sent_total\{world="ring"\} [1-9]/);
      expect(text).toContain("process_cpu_seconds_total");
      expect(text).toContain("process_resident_memory_bytes");
      expect(text).toContain("nodejs_eventloop_lag_seconds");
      // The server finds its own listening socket, and nobody waits to be accepted: this request's
      // connection already was (Linux only: /proc/net/tcp).
      if (process.platform === "linux") {
        expect(server.services.acceptQueue()).toBe(0);
        expect(text).toMatch(/^arbiter_accept_queue_connections 0$/m);
      }
    }
    await a.room.leave();
  });

  it("the monitor lists each world room with its actor count and average tick time", async () => {
    const a = await joinWorld(server.client(), { worldId: "ring" });
    await waitTicks(a.room, 25);
    const res = await fetch(url("/monitor/api"), { headers: basic(TEST_ADMIN_PASSWORD) });
    const body = (await res.json()) as { columns: unknown[]; rooms: Array<{ metadata: { worldId: string; actors: number; tickMs: number } }> };
    const room = body.rooms.find((r) => r.metadata.worldId === "ring")!;
    expect(room.metadata.actors).toBe(2);
    // A moving average of real step times: above 0 once 25 ticks ran.
    expect(room.metadata.tickMs).toBeGreaterThan(0);
    expect(body.columns).toContainEqual({ metadata: "tickMs" });
    expect(body.columns).toContainEqual({ metadata: "actors" });
    await a.room.leave();
  });
});
