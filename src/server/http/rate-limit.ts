/**
 * Per-address HTTP rate limits (issue 8: everything a client sends is bounded in rate), on
 * rate-limiter-flexible's in-memory limiter (its Redis limiter takes the same calls when Arbiter
 * scales out):
 * - requests: at most `HTTP_RATE_LIMIT` requests per client address per 10 s, on every path but
 *   `/__healthcheck` (matchmaking included: each join is one request); over it, 429
 *   `request/rate-limited` with `Retry-After` (s). 0 turns the limit off (for load tests on
 *   loopback, or behind a proxy that limits; behind a proxy every client shares its address).
 * - failed logins: a client address that got `AUTH_FAILURE_LIMIT` answers of 401 within 15 minutes
 *   is refused (429) on every path for the rest of that window, so the admin password cannot be
 *   guessed at HTTP speed.
 * - sign-ins, registrations and session creations (issue 12): at most `AUTH_RATE_LIMIT` of each
 *   kind per client address per minute (`POST /auth/anonymous` and `/auth/login` are sign-ins,
 *   `POST /auth/register` registrations, `POST /api/sessions` session creations); 0 = no limit.
 *   Per account (per email, per user) the routes themselves count with {@link createAttemptLimiter}.
 * The address is the socket's: `X-Forwarded-For` is not trusted (anyone can send it).
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/** Window of the request limit, s. */
const REQUEST_WINDOW_S = 10;
/** Window (and block) of the failed-login limit, s. */
const AUTH_WINDOW_S = 15 * 60;
/** Window of the per-address sign-in, registration and session-creation limits, s. */
const ATTEMPT_WINDOW_S = 60;

/** The account requests counted per address, by method and path. */
const ATTEMPT_KINDS: ReadonlyMap<string, string> = new Map([
  ["POST /auth/anonymous", "sign-in"],
  ["POST /auth/login", "sign-in"],
  ["POST /auth/register", "registration"],
  ["POST /api/sessions", "session"],
]);

export interface RateLimits {
  /** Requests per client address per 10 s; 0 = no limit (`HTTP_RATE_LIMIT`). */
  requestsPer10s: number;
  /** 401 answers per client address per 15 minutes before it is refused (`AUTH_FAILURE_LIMIT`). */
  authFailuresPer15min: number;
  /** Sign-ins, registrations and session creations (each kind apart) per client address per minute; 0 = no limit (`AUTH_RATE_LIMIT`). */
  accountAttemptsPerMinute: number;
}

export interface RateLimiter {
  /**
   * Counts a request for `method` and `path` from `address`; resolves to the seconds to wait when
   * it is over a limit, else undefined.
   */
  admit(address: string, method?: string, path?: string): Promise<number | undefined>;
  /** Counts a 401 answered to `address`. */
  failedAuth(address: string): void;
}

export function createRateLimiter(limits: RateLimits): RateLimiter {
  const requests = createAttemptLimiter(limits.requestsPer10s, REQUEST_WINDOW_S);
  const failures = new RateLimiterMemory({ points: limits.authFailuresPer15min, duration: AUTH_WINDOW_S });
  const attempts = createAttemptLimiter(limits.accountAttemptsPerMinute, ATTEMPT_WINDOW_S);
  return {
    async admit(address, method, path) {
      const failed = await failures.get(address);
      if (failed && failed.consumedPoints >= limits.authFailuresPer15min) return secondsOf(failed.msBeforeNext);
      const kind = ATTEMPT_KINDS.get(`${method} ${path}`);
      if (kind !== undefined) {
        const waitS = await attempts.attempt(`${kind} ${address}`);
        if (waitS !== undefined) return waitS;
      }
      return requests.attempt(address);
    },
    failedAuth(address) {
      failures.penalty(address).catch(() => undefined);
    },
  };
}

/** Attempts per key within a fixed window (issue 12's account limits). */
export interface AttemptLimiter {
  /** Counts an attempt by `key`; resolves to the seconds to wait when it is over the limit, else undefined. */
  attempt(key: string): Promise<number | undefined>;
}

/** At most `points` attempts per key per `windowS` seconds; `points` 0 admits everything. */
export function createAttemptLimiter(points: number, windowS: number): AttemptLimiter {
  if (points === 0) return { attempt: async () => undefined };
  const limiter = new RateLimiterMemory({ points, duration: windowS });
  return {
    async attempt(key) {
      try {
        await limiter.consume(key);
        return undefined;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return secondsOf(refusal.msBeforeNext);
        throw refusal;
      }
    },
  };
}

function secondsOf(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
