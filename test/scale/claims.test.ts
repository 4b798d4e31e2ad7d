/**
 * World claims on Redis (issue 14, src/server/claims.ts): of two processes claiming one world at
 * the same moment exactly one wins, every time; a held claim is renewed while its process lives;
 * a dead process's claim lapses after its TTL; a process never releases a claim it does not hold.
 */
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalWorldClaims, RedisWorldClaims } from "../../src/server/claims.ts";
import { resetTestRedis, testRedisUrl } from "../support/redis.ts";

let redis: Redis;
const made: RedisWorldClaims[] = [];
const claimsOf = (owner: string, ttlMs = 10_000) => {
  const claims = new RedisWorldClaims({ url: testRedisUrl(), owner, ttlMs });
  made.push(claims);
  return claims;
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redis = await resetTestRedis();
});
afterAll(async () => {
  for (const claims of made) await claims.close();
  await redis?.quit();
});

describe("Redis world claims", () => {
  it("of two processes claiming one world at the same moment, exactly one wins (200 worlds)", async () => {
    const [a, b] = [claimsOf("process-a"), claimsOf("process-b")];
    for (let i = 0; i < 200; i++) {
      const worldId = `w-${i}`;
      const [ra, rb] = await Promise.all([a.claim(worldId), b.claim(worldId)]);
      const winner = ra.ok ? "process-a" : "process-b";
      expect([ra.ok, rb.ok].filter(Boolean), worldId).toHaveLength(1);
      expect(ra.ok ? rb : ra).toEqual({ ok: false, holder: winner });
      expect(await redis.get(`arbiter:world-claim:${worldId}`)).toBe(winner);
    }
  });

  it("a claim is exclusive within its process too, and released it can be claimed again", async () => {
    const a = claimsOf("process-c");
    expect(await a.claim("solo")).toEqual({ ok: true });
    expect(await a.claim("solo")).toEqual({ ok: false, holder: "process-c" });
    await a.release("solo");
    expect(await a.holder("solo")).toBeNull();
    expect(await a.claim("solo")).toEqual({ ok: true });
  });

  it("a living process renews its claim past the TTL; a dead one's lapses and another may claim", async () => {
    const live = claimsOf("process-live", 300);
    const other = claimsOf("process-other", 300);
    expect(await live.claim("kept")).toEqual({ ok: true });
    await pause(1000); // over three TTLs: renewed every 100 ms
    expect(await other.claim("kept")).toEqual({ ok: false, holder: "process-live" });
    // A process that died holding a claim: its key, with no one renewing it.
    await redis.set("arbiter:world-claim:orphan", "process-dead", "PX", 300);
    expect(await other.claim("orphan")).toEqual({ ok: false, holder: "process-dead" });
    await pause(400);
    expect(await other.claim("orphan")).toEqual({ ok: true });
  });

  it("a claim taken over in Redis is reported lost at the next renewal, once", async () => {
    const a = claimsOf("process-stalled", 300);
    const lost: Array<[string, string]> = [];
    const unsubscribe = a.onLost((worldId, reason) => lost.push([worldId, reason]));
    expect(await a.claim("taken")).toEqual({ ok: true });
    await redis.set("arbiter:world-claim:taken", "process-new", "PX", 5000);
    await pause(500);
    expect(lost).toEqual([["taken", "the claim lapsed and another process may hold it now"]]);
    expect(await a.holder("taken")).toBe("process-new");
    unsubscribe();
  });

  it("a process never releases a claim another holds", async () => {
    const [a, b] = [claimsOf("process-x"), claimsOf("process-y")];
    expect(await a.claim("theirs")).toEqual({ ok: true });
    await b.release("theirs");
    expect(await b.holder("theirs")).toBe("process-x");
  });
});

describe("local world claims (one process)", () => {
  it("one room at a time per world", async () => {
    const claims = new LocalWorldClaims("here");
    expect(await claims.claim("docks")).toEqual({ ok: true });
    expect(await claims.claim("docks")).toEqual({ ok: false, holder: "here" });
    await claims.release("docks");
    expect(await claims.claim("docks")).toEqual({ ok: true });
  });
});
