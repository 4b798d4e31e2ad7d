/**
 * Boots the real Arbiter server (the same app config `npm start` uses) on a per-worker port with
 * its own temporary data directory, for tests with real SDK clients over WebSockets.
 */
import "../../src/server/node-compat.ts";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boot, type ColyseusTestServer } from "@colyseus/testing";
import { Client, type Room } from "@colyseus/sdk";
import { defineWorldRoom } from "../../rooms/world-room.ts";
import { createAppConfig } from "../../src/server/app.ts";
import { createServices, loadConfig } from "../../src/server/boot.ts";
import type { Logger } from "../../src/server/logger.ts";
import type { ServerServices } from "../../src/server/services.ts";

export const TEST_ADMIN_PASSWORD = "test-admin-password";

export interface TestServer {
  colyseus: ColyseusTestServer;
  services: ServerServices;
  dataDir: string;
  port: number;
  endpoint: string;
  /** A new SDK client for this server. */
  client(): Client;
  shutdown(): Promise<void>;
}

/**
 * A port per vitest worker, so test files running in parallel never collide. `TEST_PORT_BASE`
 * (default 23000) moves the whole range, for two test runs on one machine.
 */
export function testPort(offset = 0): number {
  return Number(process.env.TEST_PORT_BASE ?? 23_000) + Number(process.env.VITEST_POOL_ID ?? 0) * 10 + offset;
}

/** Writes world files (`{ id: json }`) into `<dataDir>/worlds`; returns the data dir. */
export function writeWorlds(worlds: Record<string, object>, dataDir = mkdtempSync(join(tmpdir(), "arbiter-test-"))): string {
  mkdirSync(join(dataDir, "worlds"), { recursive: true });
  for (const [id, world] of Object.entries(worlds)) {
    writeFileSync(join(dataDir, "worlds", `${id}.json`), JSON.stringify({ id, name: id, tickRate: 20, seed: 7, ...world }));
  }
  return dataDir;
}

export async function startTestServer(worlds: Record<string, object>, env: Record<string, string> = {}): Promise<TestServer> {
  return bootTestServer(writeWorlds(worlds), env);
}

/**
 * Boots the real app over `dataDir` (worlds, and optionally characters, already written), as
 * main.ts does: services, the app, then the plugins' `onEnable`. `adjust` may swap services before
 * boot (a test clock for sessions, …); `logger` replaces the silent one (to read what is logged).
 */
export async function bootTestServer(dataDir: string, env: Record<string, string> = {}, adjust?: (services: ServerServices) => void, logger?: Logger): Promise<TestServer> {
  // Tests send many requests from one loopback address: no per-address limit unless a test sets one.
  const port = testPort();
  const config = loadConfig({ DATA_DIR: dataDir, ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LOG_LEVEL: "silent", HTTP_RATE_LIMIT: "0", PORT: String(port), ...env });
  const services = await createServices(config, logger);
  adjust?.(services);
  const colyseus = await boot(createAppConfig(services, { world: defineWorldRoom(services) }), port);
  await services.plugins.host.enable();
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
      await services.plugins.host.disable();
      services.sessionExpiry.stop();
      services.store.close();
    },
  };
}

/** Polls `condition` every 10 ms until it holds; rejects after `ms` naming `what`. */
export async function waitFor(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface JoinedClient {
  room: Room;
  welcome: { actorId: string; worldId: string; tick: number; sessionId?: string };
  errors: Array<{ code: string; message: string }>;
  leftWith: number | undefined;
}

/** Joins a world and waits for the `welcome` message and the first state. */
export async function joinWorld(client: Client, options: Record<string, unknown>): Promise<JoinedClient> {
  const room = await client.joinOrCreate("world", options);
  const joined: Partial<JoinedClient> & { errors: JoinedClient["errors"] } = { room, errors: [], leftWith: undefined };
  room.onMessage("welcome", (m) => (joined.welcome = m));
  room.onMessage("error", (m) => joined.errors.push(m));
  room.onLeave((code) => (joined.leftWith = code));
  await waitFor(() => joined.welcome !== undefined && room.state?.actors?.size > 0, "welcome and first state");
  return joined as JoinedClient;
}

/** `[x, y]` of an actor in a client's synced state. */
export function seenAt(room: Room, actorId: string): [number, number] | undefined {
  const actor = room.state.actors.get(actorId);
  return actor ? [actor.x, actor.y] : undefined;
}

/** Waits until the client's synced tick advanced by `n`. */
export async function waitTicks(room: Room, n: number): Promise<void> {
  const start = room.state.tick as number;
  await waitFor(() => (room.state.tick as number) >= start + n, `${n} ticks`);
}
