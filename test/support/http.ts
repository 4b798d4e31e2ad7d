/**
 * HTTP helpers for tests through the real server: `fetch` calls that keep status, headers and the
 * parsed body, the one error shape, and raw sockets for what `fetch` cannot do (a client that never
 * reads, a body that never ends).
 */
import net from "node:net";
import { expect } from "vitest";
import type { ErrorCode } from "../../src/errors.ts";
import { rememberSessionOwner, sessionOwnerToken, TEST_ADMIN_PASSWORD } from "./server.ts";

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: any;
  /** The raw text of the body. */
  text: string;
}

export const ADMIN_AUTH = `Basic ${Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString("base64")}`;

/** Each server's (by port) default player: an anonymous user signed in on first use. */
const defaultPlayers = new Map<number, Promise<string>>();

/** The token of `port`'s default test player (`POST /auth/anonymous` once per server). */
export function playerToken(port: number): Promise<string> {
  let token = defaultPlayers.get(port);
  if (token === undefined) {
    token = fetch(`http://127.0.0.1:${port}/auth/anonymous`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
      .then((res) => res.json())
      .then((body: { token: string }) => body.token);
    defaultPlayers.set(port, token);
  }
  return token;
}

/**
 * The `Authorization` a test player sends to `path` on `port` (issue 12: session routes need the
 * owner's token): for `/api/sessions/<id>…`, the token of the player who created or joined that
 * session in this process; otherwise, and for a session this process never saw, the server's
 * default player's.
 */
export async function playerAuthorization(port: number, path: string): Promise<string> {
  const sessionId = /^\/api\/sessions\/([^/?]+)/.exec(path)?.[1];
  const owner = sessionId === undefined ? undefined : sessionOwnerToken(decodeURIComponent(sessionId));
  return `Bearer ${owner ?? (await playerToken(port))}`;
}

/**
 * One request to `port`; a non-string `body` is sent as JSON. Redirects are not followed. A request
 * to `/api/sessions…` without an `authorization` header goes as a signed-in player
 * ({@link playerAuthorization}) unless `signedOut`; a session it creates is remembered as that
 * player's.
 */
export async function request(port: number, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; signedOut?: boolean } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const asPlayer = !options.signedOut && headers.authorization === undefined && path.startsWith("/api/sessions");
  if (asPlayer) headers.authorization = await playerAuthorization(port, path);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  const isJson = (res.headers.get("content-type") ?? "").includes("json");
  const reply = { status: res.status, headers: res.headers, body: text !== "" && isJson ? JSON.parse(text) : text, text };
  if (asPlayer && method === "POST" && path === "/api/sessions" && reply.status === 201) rememberSessionOwner(reply.body.id, headers.authorization!.slice(7));
  return reply;
}

/** Asserts the status and the one error body `{ error: { code, message } }`; the message contains each fragment. */
export function expectError(reply: Reply, status: number, code: ErrorCode, ...fragments: string[]): { code: string; message: string; details?: any } {
  expect(reply.status, reply.text.slice(0, 500)).toBe(status);
  expect(Object.keys(reply.body)).toEqual(["error"]);
  expect(reply.body.error).toMatchObject({ code, message: expect.any(String) });
  for (const fragment of fragments) expect(reply.body.error.message).toContain(fragment);
  return reply.body.error;
}

/** The names of every `Access-Control-*` header of a reply. */
export function corsHeaderNames(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => name.toLowerCase().startsWith("access-control-"));
}

/** A raw TCP connection to the server, for requests `fetch` cannot make. */
export async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return socket;
}

/** Reads from `socket` until the server closes it; resolves with everything received. */
export function readUntilClosed(socket: net.Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.resume();
  return new Promise((resolve) => socket.once("close", () => resolve(Buffer.concat(chunks))));
}

/**
 * A stats config of `definitions × axes` axes, each with 32 tiers of long ids: valid in a world
 * file, and about 2.8 KB of JSON per axis in `GET /api/worlds/:id/stats-config`.
 */
export function largeStatsConfig(definitions: number, axes: number): object {
  const tiers = Array.from({ length: 32 }, (_, i) => ({ id: `tier_${i}_${"t".repeat(56)}`, min: i * 10, max: i * 10 + 9 }));
  const axisMap = Object.fromEntries(Array.from({ length: axes }, (_, a) => [`axis_${a}`, { min: 0, max: 319, default: 0, tiers }]));
  const definitionMap = Object.fromEntries(Array.from({ length: definitions }, (_, d) => [`definition_${d}`, { axes: axisMap }]));
  return { definitions: definitionMap, creation: { pointBudget: 0, definitions: [] } };
}
