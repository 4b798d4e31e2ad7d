/**
 * Redis for the scale-out tests (issue 14): the server on 127.0.0.1:6379 that `.ci/run` makes sure
 * of (started, or installed, when it does not answer). Each vitest worker uses a database of its
 * own (1–15 by `VITEST_POOL_ID`), emptied before use, so test files running at once never see each
 * other's rooms and claims. Without Redis these tests fail saying so; they are never skipped.
 */
import { Redis } from "ioredis";

/** The test database's URL for this worker: `redis://127.0.0.1:6379/<1–15>`. */
export function testRedisUrl(): string {
  return `redis://127.0.0.1:6379/${1 + (Number(process.env.VITEST_POOL_ID ?? 0) % 15)}`;
}

/** Empties this worker's database; throws a clear error when Redis does not answer. */
export async function resetTestRedis(): Promise<Redis> {
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  try {
    await redis.connect();
    await redis.flushdb();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis does not answer on 127.0.0.1:6379 (${error instanceof Error ? error.message : String(error)}): start it as .ci/run does (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no)`);
  }
  return redis;
}
