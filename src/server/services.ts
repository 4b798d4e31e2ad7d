/** What the rooms and routes of one server process share. Built once at start-up (main.ts, tests). */
import type { AccountStore } from "./accounts.ts";
import type { AttemptLimiter } from "./http/rate-limit.ts";
import type { LogLimiter } from "./log-limiter.ts";
import type { HttpPolicy } from "./http/edge.ts";
import type { Logger } from "./logger.ts";
import type { WorldRuntime } from "./world-runtime.ts";
import type { ServerPlugins } from "./plugin-wiring.ts";
import type { Metrics } from "./metrics.ts";
import type { SessionExpiry } from "./session-expiry.ts";
import type { SessionStore } from "./session-store.ts";
import type { Store } from "./store.ts";
import type { PersistenceOptions } from "./world-host.ts";
import type { WorldRegistry } from "./world-loader.ts";
import type { Scale } from "./scale.ts";
import type { ConnectedSessions } from "./connected-sessions.ts";

export interface ServerServices {
  worlds: WorldRegistry;
  store: Store;
  logger: Logger;
  /** The loaded plugins: their host (lifecycle, records), the world rules and what they subscribe to. */
  plugins: ServerPlugins;
  /** Rate-limited log for faults and client-caused errors (one line per key and interval). */
  faults: LogLimiter;
  persistence: PersistenceOptions;
  /** Admin credentials for the monitor (user `admin`). */
  adminPassword: string;
  /** Running worlds of this process by world id (a world never runs twice): their typed ports (world-runtime.ts). */
  runtimes: Map<string, WorldRuntime>;
  sessions: SessionStore;
  /** The users players sign in as (accounts.ts); each session belongs to one. */
  accounts: AccountStore;
  /** The secret player tokens are signed with (`AUTH_SECRET`, else `DATA_DIR/.auth-secret`). */
  authSecret: string;
  /**
   * Per-account limits, `ACCOUNT_RATE_LIMIT` per 15 minutes each: logins and registrations per
   * email (http/auth-routes.ts), session creations per user (http/session-routes.ts).
   */
  accountLimits: { login: AttemptLimiter; register: AttemptLimiter; sessions: AttemptLimiter };
  /** The periodic deletion of idle sessions (`SESSION_TTL_HOURS`); stop it before closing the store. */
  sessionExpiry: SessionExpiry;
  metrics: Metrics;
  /** Bearer token that also opens `/metrics` (scrapers), or undefined for admin credentials only. */
  metricsToken: string | undefined;
  /** Largest WebSocket send queue a client may hold after a tick, bytes (`SEND_QUEUE_LIMIT`, rooms/slow-clients.ts). */
  sendQueueLimitBytes: number;
  /** Seconds a dropped client may reconnect to its actor, 0 = never (`RECONNECT_WINDOW_S`, rooms/reconnection.ts). */
  reconnectWindowS: number;
  /** The WebSocket transport's ping interval, ms (`PING_INTERVAL_MS`): a silent drop is noticed within 3 × this. */
  pingIntervalMs: number;
  /**
   * Connections waiting in this process's accept queue (src/server/accept-queue.mjs: Linux only,
   * null elsewhere or before the server listens on `PORT`), read at most once a second and shared by
   * every room's patch pacer (rooms/patch-pacer.ts) and `/metrics`.
   */
  acceptQueue: () => number | null;
  /**
   * Scale-out (issue 14): Colyseus's presence and driver for the server's options, this process's
   * public address, and the world claims (one process hosts a world at a time: claims.ts).
   */
  scale: Scale;
  /** Sessions connected to a world: this process's (synchronously) and any process's (connected-sessions.ts). */
  connectedSessions: ConnectedSessions;
  /** Limits and CORS origins of the HTTP edge (`HTTP_BODY_LIMIT`, `HTTP_IDLE_TIMEOUT_MS`, `CORS_ORIGINS`). */
  http: HttpPolicy;
}
