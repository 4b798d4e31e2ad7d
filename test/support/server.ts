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
/** The token secret of test servers (one per process, as @colyseus/auth's settings are: accounts.ts). */
export const TEST_AUTH_SECRET = "test-auth-secret-test-auth-secret-0123456789";

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
  // Tests send many requests and sign in many players from one loopback address: no per-address
  // or per-account limit unless a test sets one.
  const port = testPort();
  const config = loadConfig({
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    AUTH_SECRET: TEST_AUTH_SECRET,
    LOG_LEVEL: "silent",
    HTTP_RATE_LIMIT: "0",
    AUTH_RATE_LIMIT: "0",
    ACCOUNT_RATE_LIMIT: "0",
    PORT: String(port),
    ...env,
  });
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
    client: () => newClient(endpoint),
    async shutdown() {
      await colyseus.shutdown();
      await services.plugins.host.disable();
      services.sessionExpiry.stop();
      services.store.close();
      services.metrics.stop();
    },
  };
}

/**
 * A new SDK client of `endpoint`, signed out. The SDK keeps the last token any client signed in with
 * in one storage per process (Node has no localStorage: its in-memory stand-in) and a new client
 * starts with it; tests stand for separate players, so each starts with none.
 */
export function newClient(endpoint: string): Client {
  const client = new Client(endpoint);
  client.auth.token = undefined as unknown as string;
  return client;
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

/** The token each session was created or last resumed with, so a test's later join resumes it as its owner. */
const ownerTokens = new Map<string, string>();

/** The token of the player who created or last joined session `sessionId` in this process, if any. */
export function sessionOwnerToken(sessionId: string): string | undefined {
  return ownerTokens.get(sessionId);
}

/** Records `token` as session `sessionId`'s owner's (a session created over HTTP). */
export function rememberSessionOwner(sessionId: string, token: string): void {
  ownerTokens.set(sessionId, token);
}

/**
 * Signs `client` in as a player, as a game client does before joining (issue 12: joins need a
 * token): with the token of the session it resumes (`options.sessionId`) when this process saw its
 * owner join, else anonymously when it has no token yet. Returns the token.
 */
export async function signIn(client: Client, options: Record<string, unknown> = {}): Promise<string> {
  const owner = typeof options.sessionId === "string" ? ownerTokens.get(options.sessionId) : undefined;
  if (owner !== undefined) client.auth.token = owner;
  else if (!client.auth.token) await client.auth.signInAnonymously();
  return client.auth.token!;
}

/** A new client of `server`, signed in for a join with `options` ({@link signIn}). */
export async function signedInClient(server: Pick<TestServer, "client">, options: Record<string, unknown> = {}): Promise<Client> {
  const client = server.client();
  await signIn(client, options);
  return client;
}

/** Joins a world (signed in: {@link signIn}) and waits for the `welcome` message and the first state. */
export async function joinWorld(client: Client, options: Record<string, unknown>): Promise<JoinedClient> {
  const token = await signIn(client, options);
  const room = await client.joinOrCreate("world", options);
  room.onMessage("welcome", (m: { sessionId?: string }) => {
    if (m.sessionId !== undefined) ownerTokens.set(m.sessionId, token);
  });
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
