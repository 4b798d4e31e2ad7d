/**
 * World claims (issue 14): a world runs in exactly one process at a time. A world's room claims it
 * before it opens the world, and gives the claim back once the world is closed (its last snapshot
 * written). Two implementations, as Colyseus's Presence has a local and a Redis one:
 * - {@link LocalWorldClaims}: one process (the embedded default): a map.
 * - {@link RedisWorldClaims}: every process sharing one Redis (`REDIS_URL`). A claim is the key
 *   `arbiter:world-claim:<worldId>` holding the owner's id, set with `SET NX PX` so two processes
 *   that claim in the same millisecond cannot both win. The owner renews each claim every
 *   {@link CLAIM_TTL_MS} / 3; a process that dies stops renewing, and its claims lapse at most
 *   {@link CLAIM_TTL_MS} after its last renewal, so another process may reopen the world from its
 *   snapshot and journal. Renewing and releasing compare the owner first (a Lua script), so a
 *   process never extends or removes a claim it lost.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Redis } from "ioredis";

/** A claim not renewed for this long lapses, ms: how long a dead process's worlds stay closed at most. */
export const CLAIM_TTL_MS = 10_000;

const KEY_PREFIX = "arbiter:world-claim:";

/** What a claim attempt gives: the claim, or who holds it. */
export type ClaimResult = { ok: true } | { ok: false; holder: string };

export interface WorldClaims {
  /** This process's owner id: `<host>:<pid>:<random>`. */
  readonly owner: string;
  /**
   * Claims `worldId` for one room of this process: refused (naming the holder) while any process,
   * this one included, holds it.
   */
  claim(worldId: string): Promise<ClaimResult>;
  /** Gives the claim back (nothing when this process does not hold it). */
  release(worldId: string): Promise<void>;
  /** The owner id holding `worldId`, or null. */
  holder(worldId: string): Promise<string | null>;
  /**
   * Calls `listener` when a claim this process held is lost: it lapsed (a stall longer than the TTL)
   * and may be another process's now, or Redis could not renew it for a whole TTL. The world must
   * stop writing at once (WorldRuntime.fence). Returns the unsubscribe function.
   */
  onLost(listener: (worldId: string, reason: string) => void): () => void;
  /** Stops renewing and releases every claim this process holds. */
  close(): Promise<void>;
}

/** A new owner id for this process. */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

export class LocalWorldClaims implements WorldClaims {
  private readonly held = new Set<string>();
  constructor(readonly owner = newOwnerId()) {}

  async claim(worldId: string): Promise<ClaimResult> {
    if (this.held.has(worldId)) return { ok: false, holder: this.owner };
    this.held.add(worldId);
    return { ok: true };
  }

  async release(worldId: string): Promise<void> {
    this.held.delete(worldId);
  }

  async holder(worldId: string): Promise<string | null> {
    return this.held.has(worldId) ? this.owner : null;
  }

  /** One process never loses a claim. */
  onLost(): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.held.clear();
  }
}

/** Extends the key's expiry when it still holds the owner: 1, else 0. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the key when it still holds the owner: 1, else 0. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface RedisClaimsOptions {
  /** `REDIS_URL`. */
  url: string;
  owner?: string;
  ttlMs?: number;
}

export class RedisWorldClaims implements WorldClaims {
  readonly owner: string;
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private readonly held = new Set<string>();
  /** Wall-clock ms of each held claim's last successful renewal (server code, not the core). */
  private readonly renewedAt = new Map<string, number>();
  private readonly listeners = new Set<(worldId: string, reason: string) => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(options: RedisClaimsOptions) {
    this.owner = options.owner ?? newOwnerId();
    this.ttlMs = options.ttlMs ?? CLAIM_TTL_MS;
    this.redis = new Redis(options.url, { maxRetriesPerRequest: 2 });
    this.timer = setInterval(() => void this.renewAll(), Math.max(100, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  async claim(worldId: string): Promise<ClaimResult> {
    if (this.held.has(worldId)) return { ok: false, holder: this.owner };
    const key = KEY_PREFIX + worldId;
    const set = await this.redis.set(key, this.owner, "PX", this.ttlMs, "NX");
    if (set === "OK") {
      this.hold(worldId);
      return { ok: true };
    }
    const holder = await this.redis.get(key);
    if (holder === this.owner) {
      // Ours, but no room of this process holds it (a release that did not reach Redis): take it again.
      await this.redis.pexpire(key, this.ttlMs);
      this.hold(worldId);
      return { ok: true };
    }
    // The claim lapsed between the two calls: try once more rather than refuse.
    if (holder === null) return this.claim(worldId);
    return { ok: false, holder };
  }

  private hold(worldId: string): void {
    this.held.add(worldId);
    this.renewedAt.set(worldId, Date.now());
  }

  onLost(listener: (worldId: string, reason: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private lose(worldId: string, reason: string): void {
    if (!this.held.delete(worldId)) return;
    this.renewedAt.delete(worldId);
    for (const listener of this.listeners) listener(worldId, reason);
  }

  async release(worldId: string): Promise<void> {
    this.held.delete(worldId);
    this.renewedAt.delete(worldId);
    await this.redis.eval(RELEASE, 1, KEY_PREFIX + worldId, this.owner);
  }

  holder(worldId: string): Promise<string | null> {
    return this.redis.get(KEY_PREFIX + worldId);
  }

  private async renewAll(): Promise<void> {
    for (const worldId of [...this.held]) {
      try {
        const renewed = await this.redis.eval(RENEW, 1, KEY_PREFIX + worldId, this.owner, String(this.ttlMs));
        if (renewed === 1) this.renewedAt.set(worldId, Date.now());
        else if (this.held.has(worldId)) this.lose(worldId, "the claim lapsed and another process may hold it now");
      } catch (error) {
        // Unrenewed for a whole TTL, the claim may have lapsed in Redis: stop as if it had.
        const since = Date.now() - (this.renewedAt.get(worldId) ?? 0);
        if (since >= this.ttlMs) this.lose(worldId, `Redis did not answer the renewals for ${since} ms: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const worldId of [...this.held]) await this.release(worldId).catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }
}
