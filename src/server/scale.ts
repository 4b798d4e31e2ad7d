/**
 * Scale-out wiring (issue 14): with `REDIS_URL`, Colyseus's own Redis presence and driver (rooms,
 * seat reservations and remote room calls across processes) plus Redis world claims
 * (claims.ts); without it, the embedded defaults: Colyseus's local presence and driver and local
 * claims, exactly as one process always ran.
 */
import { matchMaker, type Presence } from "@colyseus/core";
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
  /** Which process opens a new world's room (Colyseus's option); undefined: its default. */
  readonly selectProcessIdToCreateRoom: matchMaker.SelectProcessIdCallback | undefined;
  readonly claims: WorldClaims;
  /** Which sessions are connected, in this process and in any (connected-sessions.ts). */
  readonly sessions: ConnectedSessions;
  /** How long a dead process's claims and sessions take to lapse, ms (`CLAIM_TTL_MS`). */
  readonly claimTtlMs: number;
}

export function createScale(config: ScaleConfig | undefined, logger: Logger): Scale {
  if (config === undefined) return { presence: undefined, driver: undefined, publicAddress: undefined, selectProcessIdToCreateRoom: undefined, claims: new LocalWorldClaims(), sessions: new LocalConnectedSessions(), claimTtlMs: CLAIM_TTL_MS };
  const claims = new RedisWorldClaims({
    url: config.redisUrl,
    ttlMs: config.claimTtlMs,
  });
  logger.info({ redis: redactUrl(config.redisUrl), publicAddress: config.publicAddress, owner: claims.owner }, "scale-out on Redis: presence, driver and world claims");
  const sessions = new RedisConnectedSessions(config.redisUrl, (action, error) => logger.error({ err: error }, `Redis: could not ${action}`), config.claimTtlMs);
  const presence = new RedisPresence(config.redisUrl);
  return {
    presence,
    driver: new RedisDriver(config.redisUrl),
    publicAddress: config.publicAddress,
    selectProcessIdToCreateRoom: createProcessTurns(presence),
    claims,
    sessions,
    claimTtlMs: config.claimTtlMs,
  };
}

/**
 * New worlds open in the live processes in turn (a counter in Redis, `arbiter:world-turn`). Colyseus's
 * default picks the process with the fewest rooms, but it counts a room only once its `onCreate` ran
 * and shares the counts at most once a second, so in a join storm every world opened in the same
 * process (the 2-process load test: 5 runs of 6).
 */
function createProcessTurns(presence: Presence): matchMaker.SelectProcessIdCallback {
  return async () => {
    const processes = (await matchMaker.stats.fetchAll()).map((stat) => stat.processId).sort();
    if (processes.length === 0) return matchMaker.processId;
    const turn = await presence.incr("arbiter:world-turn");
    return processes[(turn - 1) % processes.length]!;
  };
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
  return URL.canParse(url) ? Object.assign(new URL(url), { password: "" }).toString() : "(unparsable)";
}
