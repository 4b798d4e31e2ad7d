/**
 * Start-up: configuration, worlds, database and services, in that order, each failing with a coded
 * error that names what is wrong. Shared by `main.ts` and the tests.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { loadConfig, type ServerConfig } from "./config.ts";
import { createLogLimiter } from "./log-limiter.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { ServerServices } from "./services.ts";
import { createMetrics } from "./metrics.ts";
import { startSessionExpiry } from "./session-expiry.ts";
import { createSessionStore } from "./session-store.ts";
import { openStore } from "./store.ts";
import { loadWorld } from "./world-host.ts";
import { loadWorlds } from "./world-loader.ts";

/** Builds every service from a validated config. Throws ArbiterError on bad worlds or a bad database. */
export async function createServices(config: ServerConfig, logger: Logger = createLogger(config.logLevel)): Promise<ServerServices> {
  const worlds = loadWorlds(config.dataDir, config.defaultWorld);
  const store = await openStore(config.databasePath);
  try {
    for (const def of worlds.byId.values()) loadWorld(def, store);
  } catch (e) {
    store.close();
    throw e;
  }
  const sessions = createSessionStore(store.db, {
    now: () => new Date().toISOString(),
    newId: () => randomUUID(),
    statsConfigFor: (worldId) => worlds.byId.get(worldId)?.stats,
  });
  const connectedSessions = new Map<string, string>();
  return {
    worlds,
    store,
    logger,
    faults: createLogLimiter(logger),
    persistence: {
      snapshotEveryTicks: config.snapshotEveryTicks,
      journalFlushTicks: config.journalFlushTicks,
      journalRetentionTicks: config.journalRetentionTicks,
    },
    adminPassword: config.adminPassword ?? generateAdminPassword(logger),
    hostedWorlds: new Set(),
    sessions,
    sessionExpiry: startSessionExpiry({ sessions, connected: () => connectedSessions.keys(), logger }, { ttlHours: config.sessionTtlHours }),
    connectedSessions,
    metrics: createMetrics(),
    metricsToken: config.metricsToken,
    http: { bodyLimitBytes: config.httpBodyLimitBytes, idleTimeoutMs: config.httpIdleTimeoutMs, corsOrigins: new Set(config.corsOrigins),
      rateLimits: { requestsPer10s: config.httpRateLimit, authFailuresPer15min: config.authFailureLimit },
    },
  };
}

function generateAdminPassword(logger: Logger): string {
  const password = randomBytes(18).toString("base64url");
  logger.warn({ user: "admin", password }, "ADMIN_PASSWORD is unset: generated an admin password for this run (shown once)");
  return password;
}

export { loadConfig };
