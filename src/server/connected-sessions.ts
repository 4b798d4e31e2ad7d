/**
 * Which sessions are connected to a world (a session plays in one world at a time, issue 8 §4),
 * behind one interface with a local and a Redis implementation (issue 14), as world claims are
 * (claims.ts):
 * - the process's own connected sessions are a map, read synchronously (session id → world id);
 * - {@link ConnectedSessions.reserve} and {@link ConnectedSessions.find} answer for every process.
 *   Locally they read the map. On Redis each connected session is the key
 *   `arbiter:session:<id>` holding its world id, written with the map, renewed every
 *   {@link SESSION_TTL_MS} / 3 by the process hosting it and deleted when it leaves; a join's
 *   admission reserves it first with `SET NX`, so two processes cannot admit one session at once.
 *   A dead process's sessions lapse within {@link SESSION_TTL_MS}.
 */
import { Redis } from "ioredis";

/** A connected session not renewed for this long lapses, ms (as world claims). */
export const SESSION_TTL_MS = 10_000;

const KEY_PREFIX = "arbiter:session:";

export interface ConnectedSessions {
  /** This process: is the session connected to one of its worlds? */
  has(sessionId: string): boolean;
  /** This process: the world the session is connected to, or undefined. */
  get(sessionId: string): string | undefined;
  /** This process's connected session ids. */
  keys(): IterableIterator<string>;
  /** Records a session connected to `worldId` in this process. */
  set(sessionId: string, worldId: string): void;
  /** Forgets a session of this process (it left). */
  delete(sessionId: string): void;
  /** Any process: the world the session is connected to, or undefined. */
  find(sessionId: string): Promise<string | undefined>;
  /**
   * Reserves the session for a join into `worldId`; resolves undefined when reserved, else the
   * world it is connected to (or being joined into) in some process.
   */
  reserve(sessionId: string, worldId: string): Promise<string | undefined>;
  /** Gives up a reservation whose join failed (nothing when the session is connected here). */
  release(sessionId: string): Promise<void>;
  close(): Promise<void>;
}

export class LocalConnectedSessions implements ConnectedSessions {
  protected readonly map = new Map<string, string>();
  has = (sessionId: string) => this.map.has(sessionId);
  get = (sessionId: string) => this.map.get(sessionId);
  keys = () => this.map.keys();
  set(sessionId: string, worldId: string): void {
    this.map.set(sessionId, worldId);
  }
  delete(sessionId: string): void {
    this.map.delete(sessionId);
  }
  async find(sessionId: string): Promise<string | undefined> {
    return this.map.get(sessionId);
  }
  /** Locally a join's admission and its room are in this process: the map is the whole answer. */
  async reserve(sessionId: string, _worldId: string): Promise<string | undefined> {
    return this.map.get(sessionId);
  }
  async release(_sessionId: string): Promise<void> {}
  async close(): Promise<void> {}
}

export class RedisConnectedSessions extends LocalConnectedSessions {
  private readonly redis: Redis;
  private readonly timer: NodeJS.Timeout;

  constructor(
    url: string,
    private readonly onError: (action: string, error: unknown) => void,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {
    super();
    this.redis = new Redis(url, { maxRetriesPerRequest: 2 });
    this.timer = setInterval(() => void this.renewAll(), Math.max(100, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  override set(sessionId: string, worldId: string): void {
    super.set(sessionId, worldId);
    this.redis.set(KEY_PREFIX + sessionId, worldId, "PX", this.ttlMs).catch((e: unknown) => this.onError("record a connected session", e));
  }

  override delete(sessionId: string): void {
    super.delete(sessionId);
    this.redis.del(KEY_PREFIX + sessionId).catch((e: unknown) => this.onError("forget a connected session", e));
  }

  override async find(sessionId: string): Promise<string | undefined> {
    return this.map.get(sessionId) ?? (await this.redis.get(KEY_PREFIX + sessionId)) ?? undefined;
  }

  override async reserve(sessionId: string, worldId: string): Promise<string | undefined> {
    const here = this.map.get(sessionId);
    if (here !== undefined) return here;
    const set = await this.redis.set(KEY_PREFIX + sessionId, worldId, "PX", this.ttlMs, "NX");
    return set === "OK" ? undefined : ((await this.redis.get(KEY_PREFIX + sessionId)) ?? undefined);
  }

  override async release(sessionId: string): Promise<void> {
    if (!this.map.has(sessionId)) await this.redis.del(KEY_PREFIX + sessionId);
  }

  private async renewAll(): Promise<void> {
    if (this.map.size === 0) return;
    const batch = this.redis.pipeline();
    for (const [sessionId, worldId] of this.map) batch.set(KEY_PREFIX + sessionId, worldId, "PX", this.ttlMs);
    await batch.exec().catch((e: unknown) => this.onError("renew connected sessions", e));
  }

  override async close(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.quit().catch(() => undefined);
  }
}
