/**
 * Redis for the scale-out tests (issue 14): the server on 127.0.0.1:6379 that `.ci/run` makes sure
 * of (started, or installed, when it does not answer). Each vitest worker uses a database of its
 * own ({@link testRedisUrl}), emptied before use, so test files running at once never see each
 * other's rooms and claims. Without Redis these tests fail saying so; they are never skipped.
 */
import { Redis } from "ioredis";

/**
 * The test database's URL for this worker: `redis://127.0.0.1:6379/<1–12>`, by `VITEST_POOL_ID` and
 * `TEST_PORT_BASE` (as test ports are), so test files running at once, and two test runs with
 * different port bases, never share one. Database 0 is `npm run cluster`'s default and 13–15 are the
 * load tools' (the load-test runner takes 13).
 */
export function testRedisUrl(): string {
  const run = Math.floor(Number(process.env.TEST_PORT_BASE ?? 23_000) / 1000);
  return `redis://127.0.0.1:6379/${1 + ((run + Number(process.env.VITEST_POOL_ID ?? 0)) % 12)}`;
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
