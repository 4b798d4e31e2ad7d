/**
 * Boots the real Arbiter server like {@link startTestServer}, but with character templates in
 * `<dataDir>/characters/` (written before boot, since templates are read at start-up) and an
 * injectable session clock, so tests of `createdAt`/`updatedAt` assert outcomes, not timings.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSessionStore } from "../../src/server/session-store.ts";
import { bootTestServer, writeWorlds, type TestServer } from "./server.ts";

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
  return bootTestServer(dataDir, options.env, (services) => {
    if (!options.now) return;
    const { worlds } = services;
    services.sessions = createSessionStore(services.store.db, {
      now: options.now,
      newId: () => crypto.randomUUID(),
      statsConfigFor: (worldId) => worlds.byId.get(worldId)?.stats,
    });
  });
}
