import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/server/metrics.ts";
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

/** V8's `gc()` in a process started without --expose-gc: each call is a full (major) collection. */
function exposeGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** A label-less metric's value in Prometheus text; NaN when absent. */
const valueOf = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);

describe("memory after major GCs", () => {
  const gc = exposeGc();
  const scrape = async () => (await fetch(url("/metrics"), { headers: { authorization: `Bearer ${TOKEN}` } })).text();

  /** Runs a major GC and scrapes until the counter has moved past `count` (the observer runs in a later task). */
  async function collectAndScrape(count: number): Promise<string> {
    gc();
    for (let i = 0; i < 100; i++) {
      const text = await scrape();
      if (valueOf(text, "arbiter_major_gcs_total") > count) return text;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("arbiter_major_gcs_total did not move within 2 s of a major GC");
  }

  it("counts each major GC and reads the live set right after it: 64 MiB of live doubles dropped lower it by about that", async () => {
    const start = valueOf(await scrape(), "arbiter_major_gcs_total");
    let kept: number[] | undefined = new Array<number>(8 * 2 ** 20).fill(0.5); // 8 Mi unboxed doubles: 64 MiB
    const withArray = await collectAndScrape(start);
    expect(kept.length).toBe(8 * 2 ** 20); // still live at that GC
    kept = undefined;
    const withoutArray = await collectAndScrape(valueOf(withArray, "arbiter_major_gcs_total"));
    const heapWith = valueOf(withArray, "arbiter_heap_used_after_major_gc_bytes");
    const heapWithout = valueOf(withoutArray, "arbiter_heap_used_after_major_gc_bytes");
    expect(valueOf(withoutArray, "arbiter_major_gcs_total")).toBeGreaterThanOrEqual(start + 2);
    // The array's 64 MiB, give or take what the server allocated and freed in between (a few MiB).
    expect(heapWith - heapWithout).toBeGreaterThan(56 * 2 ** 20);
    expect(heapWith - heapWithout).toBeLessThan(72 * 2 ** 20);
    // The live set is in the heap V8 reserved, and in resident memory.
    expect(heapWithout).toBeGreaterThan(0);
    expect(heapWithout).toBeLessThanOrEqual(valueOf(withoutArray, "nodejs_heap_size_total_bytes"));
    expect(heapWith).toBeLessThan(valueOf(withArray, "arbiter_rss_after_major_gc_bytes"));
  });

  it("a stopped metrics' observer counts no more GCs (tests start several servers per process)", async () => {
    const stopped = createMetrics();
    const witness = createMetrics();
    const count = async (metrics: ReturnType<typeof createMetrics>) => valueOf(await metrics.registry.metrics(), "arbiter_major_gcs_total");
    const untilCounted = async (metrics: ReturnType<typeof createMetrics>, n: number) => {
      for (let i = 0; i < 100 && (await count(metrics)) < n; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    gc();
    await untilCounted(stopped, 1);
    const counted = await count(stopped);
    expect(counted).toBeGreaterThanOrEqual(1);
    stopped.stop();
    const witnessed = await count(witness);
    gc();
    await untilCounted(witness, witnessed + 1); // the GC reached the observers that still listen
    expect(await count(witness)).toBeGreaterThan(witnessed);
    expect(await count(stopped)).toBe(counted);
    witness.stop();
  });
});
