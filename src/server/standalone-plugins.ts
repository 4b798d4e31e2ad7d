/**
 * A plugin directory loaded outside a running server, for benchmarks and offline checks: the same
 * wiring as the server (src/server/plugin-wiring.ts) over an in-memory database and session store,
 * with a silent log. `services` is what a world runtime needs; `close()` disables the plugins in
 * reverse order and closes the database.
 */
import { resolve } from "node:path";
import { pino } from "pino";
import { Registry } from "prom-client";
import { createLogLimiter } from "./log-limiter.ts";
import { loadServerPlugins, type ServerPlugins } from "./plugin-wiring.ts";
import { createSessionStore } from "./session-store.ts";
import { openStore } from "./store.ts";
import type { RuntimeServices } from "./world-runtime.ts";
import { LocalConnectedSessions } from "./connected-sessions.ts";

export interface StandalonePlugins {
  plugins: ServerPlugins;
  services: RuntimeServices;
  close(): Promise<void>;
}

/** Loads `dir`'s plugins (hooks within `hookTimeoutMs`, default 10 000); throws their coded errors. */
export async function loadStandalonePlugins(dir: string, hookTimeoutMs = 10_000, dataDir = resolve("data")): Promise<StandalonePlugins> {
  const silent = pino({ level: "silent" });
  const faults = createLogLimiter(silent);
  const store = await openStore(":memory:");
  let sessionNo = 0;
  const sessions = createSessionStore(store.db, { now: () => "2026-01-01T00:00:00.000Z", newId: () => `session-${++sessionNo}`, statsConfigFor: () => undefined });
  const runtimes = new Map();
  const plugins = await loadServerPlugins({ dir, hookTimeoutMs, db: store.db, sessions, logger: silent, faults, runtimes, worlds: () => undefined, dataDir, registry: new Registry() });
  return {
    plugins,
    services: { sessions, store, connectedSessions: new LocalConnectedSessions(), faults, plugins, runtimes },
    async close() {
      await plugins.host.disable();
      store.close();
    },
  };
}
