/**
 * Boots the real Arbiter server like {@link startTestServer}, but with character templates in
 * `<dataDir>/characters/` (written before boot, since templates are read at start-up) and an
 * injectable session clock, so tests of `createdAt`/`updatedAt` assert outcomes, not timings.
 */
import "../../src/server/node-compat.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { boot } from "@colyseus/testing";
import { Client } from "@colyseus/sdk";
import { createAppConfig } from "../../src/server/app.ts";
import { createServices, loadConfig } from "../../src/server/boot.ts";
import { createSessionStore } from "../../src/server/session-store.ts";
import { TEST_ADMIN_PASSWORD, testPort, writeWorlds, type TestServer } from "./server.ts";

export interface TestContent {
  /** World files, `{ id: json }` (as {@link writeWorlds}). */
  worlds: Record<string, object>;
  /** Character templates, `{ id: json }`, written to `<dataDir>/characters/<id>.json`. */
  characters?: Record<string, object>;
}

export interface TestServerOptions {
  /** Extra environment (DEFAULT_WORLD, …). */
  env?: Record<string, string>;
  /** The session store's clock (ISO-8601); default: the wall clock. */
  now?: () => string;
}

/** Writes character templates into `<dataDir>/characters`; returns the data dir. */
export function writeCharacters(dataDir: string, characters: Record<string, object>): string {
  mkdirSync(join(dataDir, "characters"), { recursive: true });
  for (const [id, template] of Object.entries(characters)) {
    writeFileSync(join(dataDir, "characters", `${id}.json`), JSON.stringify({ id, name: id, ...template }));
  }
  return dataDir;
}

/** A clock that moves one second forward on every reading, from 2026-01-01T00:00:00Z. */
export function createSteppingClock(start = Date.UTC(2026, 0, 1)): () => string {
  let readings = 0;
  return () => new Date(start + 1000 * readings++).toISOString();
}

export async function startTestServerWithCharacters(content: TestContent, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = writeCharacters(writeWorlds(content.worlds), content.characters ?? {});
  const config = loadConfig({ DATA_DIR: dataDir, ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LOG_LEVEL: "silent", ...options.env });
  const services = await createServices(config);
  if (options.now) {
    const { worlds } = services;
    services.sessions = createSessionStore(services.store.db, {
      now: options.now,
      newId: () => crypto.randomUUID(),
      statsConfigFor: (worldId) => worlds.byId.get(worldId)?.stats,
    });
  }
  const port = testPort();
  const colyseus = await boot(createAppConfig(services), port);
  const endpoint = `ws://127.0.0.1:${port}`;
  return {
    colyseus,
    services,
    dataDir,
    port,
    endpoint,
    client: () => new Client(endpoint),
    async shutdown() {
      await colyseus.shutdown();
      services.store.close();
    },
  };
}
