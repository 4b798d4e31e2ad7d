/**
 * Fencing (issue 14): when a world's claim lapses while its process runs it (a stall longer than
 * `CLAIM_TTL_MS`, and another process took the world), the room stops writing at once, journal,
 * snapshots and sessions alike, and closes its clients with 4012 so they join the world where it
 * runs now. Through the real server with Colyseus's Redis presence and driver.
 */
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOSE_CODES } from "../../src/errors.ts";
import { resetTestRedis, testRedisUrl } from "../support/redis.ts";
import { joinWorld, startTestServer, waitFor, type TestServer } from "../support/server.ts";

let redis: Redis;
let server: TestServer;
beforeAll(async () => {
  redis = await resetTestRedis();
  server = await startTestServer({ quay: { map: ["#####", "#S..#", "#####"], npcs: [] } }, { REDIS_URL: testRedisUrl(), CLAIM_TTL_MS: "600", SNAPSHOT_EVERY_TICKS: "20" });
});
afterAll(async () => {
  await server?.shutdown();
  await redis?.quit();
});

const lastJournalTick = (): number => (server.services.store.db.prepare("SELECT MAX(tick) AS tick FROM journal WHERE world_id = 'quay'").get() as { tick: number }).tick;

describe("a world whose claim lapsed", () => {
  it("stops writing and closes its clients with 4012 world-moved", async () => {
    const joined = await joinWorld(server.client(), { worldId: "quay", name: "Fen" });
    const closed = new Promise<number>((resolve) => joined.room.onLeave(resolve));
    await waitFor(() => lastJournalTick() > 5, "a few journaled ticks");
    expect(await redis.get("arbiter:world-claim:quay")).toBe(server.services.scale.claims.owner);
    await redis.set("arbiter:world-claim:quay", "another-process", "PX", 60_000); // another process took the world
    expect(await closed).toBe(CLOSE_CODES.worldMoved);
    const fencedAt = lastJournalTick();
    const session = server.services.sessions.get(joined.welcome.sessionId!)!;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lastJournalTick()).toBe(fencedAt);
    expect(server.services.sessions.get(session.id)!.updatedAt).toBe(session.updatedAt);
    expect(await redis.get("arbiter:world-claim:quay")).toBe("another-process");
    await waitFor(() => !server.services.runtimes.has("quay"), "the room to close");
  });
});
