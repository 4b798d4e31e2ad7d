/**
 * Start-up: configuration, database, plugins, worlds and services, in that order, each failing
 * with a coded error that names what is wrong. Plugins load before the worlds: their AI kinds and
 * world-file sections are part of what a world file is checked against; the database opens first,
 * for the plugins' storage and sessions capabilities. Shared by `main.ts` and the tests.
 */
import { resolve } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { acceptQueue } from "./accept-queue.mjs";
import { loadConfig, type ServerConfig } from "./config.ts";
import { createAccountStore, loadAuthSecret } from "./accounts.ts";
import { createAttemptLimiter } from "./http/rate-limit.ts";
import { createLogLimiter } from "./log-limiter.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { ServerServices } from "./services.ts";
import { createMetrics } from "./metrics.ts";
import { startSessionExpiry } from "./session-expiry.ts";
import { createSessionStore } from "./session-store.ts";
import { loadServerPlugins, type ServerPlugins } from "./plugin-wiring.ts";
import { openStore } from "./store.ts";
import { loadWorld } from "./world-host.ts";
import { loadWorlds, type WorldRegistry } from "./world-loader.ts";
import { createScale } from "./scale.ts";
import { registerClusterMetrics } from "./cluster-metrics.ts";

/** Builds every service from a validated config. Throws ArbiterError on bad worlds or a bad database. */
export async function createServices(config: ServerConfig, logger: Logger = createLogger(config.logLevel)): Promise<ServerServices> {
  const faults = createLogLimiter(logger);
  // The world files' own fields first, so a bad file stops start-up before a database is created;
  // their AI kinds and plugin sections are checked again once the plugins are loaded.
  loadWorlds(config.dataDir, config.defaultWorld);
  const store = await openStore(config.databasePath);
  let worlds: WorldRegistry | undefined;
  const sessions = createSessionStore(store.db, {
    now: () => new Date().toISOString(),
    newId: () => randomUUID(),
    statsConfigFor: (worldId) => worlds?.byId.get(worldId)?.stats,
  });
  let plugins: ServerPlugins | undefined;
  const runtimes: ServerServices["runtimes"] = new Map();
  const readAcceptQueue = readAtMostEvery(ACCEPT_QUEUE_READ_MS, () => acceptQueue(config.port));
  const metrics = createMetrics(readAcceptQueue);
  registerClusterMetrics(metrics.registry);
  try {
    plugins = await loadServerPlugins({ dir: config.pluginsDir, dataDir: resolve(config.dataDir), registry: metrics.registry, hookTimeoutMs: config.pluginHookTimeoutMs, db: store.db, sessions, logger, faults, runtimes, worlds: () => worlds?.byId });
    logger.info({ plugins: plugins.host.startup.loaded }, plugins.host.startup.message);
    if (plugins.host.startup.warning) logger.warn({ skipped: plugins.host.startup.skipped }, plugins.host.startup.warning);
    worlds = loadWorlds(config.dataDir, config.defaultWorld, plugins.extensions);
    for (const def of worlds.byId.values()) loadWorld(def, store, plugins.rules);
  } catch (e) {
    await plugins?.host.disable();
    store.close();
    throw e;
  }
  const scale = createScale(config.scale, logger);
  // A world whose claim lapsed stops writing and its room closes (issue 14: another process may host it now).
  scale.claims.onLost((worldId, reason) => {
    logger.error({ world: worldId, reason }, "lost the claim on a world: fencing it");
    runtimes.get(worldId)?.fence(reason);
  });
  const connectedSessions = scale.sessions;
  const accountLimit = (): ReturnType<typeof createAttemptLimiter> => createAttemptLimiter(config.accountRateLimit, ACCOUNT_WINDOW_S);
  return {
    worlds,
    store,
    logger,
    faults,
    plugins,
    persistence: {
      snapshotEveryTicks: config.snapshotEveryTicks,
      journalFlushTicks: config.journalFlushTicks,
      journalRetentionTicks: config.journalRetentionTicks,
    },
    adminPassword: config.adminPassword ?? generateAdminPassword(logger),
    runtimes,
    sessions,
    accounts: createAccountStore(store.db, { now: () => new Date().toISOString() }),
    authSecret: loadAuthSecret(config.authSecret, config.dataDir, logger),
    accountLimits: { login: accountLimit(), register: accountLimit(), sessions: accountLimit() },
    sessionExpiry: startSessionExpiry({ sessions, connected: () => connectedSessions.keys(), logger }, { ttlHours: config.sessionTtlHours }),
    connectedSessions,
    scale,
    metrics,
    metricsToken: config.metricsToken,
    sendQueueLimitBytes: config.sendQueueLimitBytes,
    reconnectWindowS: config.reconnectWindowS,
    pingIntervalMs: config.pingIntervalMs,
    acceptQueue: readAcceptQueue,
    http: { bodyLimitBytes: config.httpBodyLimitBytes, idleTimeoutMs: config.httpIdleTimeoutMs, corsOrigins: new Set(config.corsOrigins),
      rateLimits: { requestsPer10s: config.httpRateLimit, authFailuresPer15min: config.authFailureLimit, accountAttemptsPerMinute: config.authRateLimit },
    },
  };
}

/** Window of the per-account limits (`ACCOUNT_RATE_LIMIT`), s. */
const ACCOUNT_WINDOW_S = 15 * 60;

/** How old the accept queue's reading may be, ms: every room's pacer (once a second) and `/metrics` share one. */
const ACCEPT_QUEUE_READ_MS = 1_000;

/** `read`, called at most once per `ms` of wall-clock time; in between, its last result. */
function readAtMostEvery<T>(ms: number, read: () => T): () => T {
  let at = -Infinity;
  let value!: T;
  return () => {
    const now = Date.now();
    if (now - at >= ms) {
      value = read();
      at = now;
    }
    return value;
  };
}

function generateAdminPassword(logger: Logger): string {
  const password = randomBytes(18).toString("base64url");
  logger.warn({ user: "admin", password }, "ADMIN_PASSWORD is unset: generated an admin password for this run (shown once)");
  return password;
}

export { loadConfig };
