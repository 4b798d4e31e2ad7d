/**
 * Scale-out wiring (issue 14): with `REDIS_URL`, Colyseus's own Redis presence and driver (rooms,
 * seat reservations and remote room calls across processes) plus Redis world claims
 * (claims.ts); without it, the embedded defaults: Colyseus's local presence and driver and local
 * claims, exactly as one process always ran.
 */
import type { matchMaker, Presence } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import { CLAIM_TTL_MS, LocalWorldClaims, RedisWorldClaims, type WorldClaims } from "./claims.ts";
import type { ScaleConfig } from "./config.ts";
import { LocalConnectedSessions, RedisConnectedSessions, type ConnectedSessions } from "./connected-sessions.ts";
import type { Logger } from "./logger.ts";

export interface Scale {
  /** For Colyseus's server options; undefined: its local defaults. */
  readonly presence: Presence | undefined;
  readonly driver: matchMaker.MatchMakerDriver | undefined;
  /** Where clients reach this process (`PUBLIC_ADDRESS`), handed out with seat reservations. */
  readonly publicAddress: string | undefined;
  readonly claims: WorldClaims;
  /** Which sessions are connected, in this process and in any (connected-sessions.ts). */
  readonly sessions: ConnectedSessions;
  /** How long a dead process's claims and sessions take to lapse, ms (`CLAIM_TTL_MS`). */
  readonly claimTtlMs: number;
}

export function createScale(config: ScaleConfig | undefined, logger: Logger): Scale {
  if (config === undefined) return { presence: undefined, driver: undefined, publicAddress: undefined, claims: new LocalWorldClaims(), sessions: new LocalConnectedSessions(), claimTtlMs: CLAIM_TTL_MS };
  const claims = new RedisWorldClaims({
    url: config.redisUrl,
    ttlMs: config.claimTtlMs,
  });
  logger.info({ redis: redactUrl(config.redisUrl), publicAddress: config.publicAddress, owner: claims.owner }, "scale-out on Redis: presence, driver and world claims");
  const sessions = new RedisConnectedSessions(config.redisUrl, (action, error) => logger.error({ err: error }, `Redis: could not ${action}`), config.claimTtlMs);
  return { presence: new RedisPresence(config.redisUrl), driver: new RedisDriver(config.redisUrl), publicAddress: config.publicAddress, claims, sessions, claimTtlMs: config.claimTtlMs };
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
  return URL.canParse(url) ? Object.assign(new URL(url), { password: "" }).toString() : "(unparsable)";
}
