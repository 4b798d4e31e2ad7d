/**
 * HTTP helpers for tests through the real server: `fetch` calls that keep status, headers and the
 * parsed body, the one error shape, and raw sockets for what `fetch` cannot do (a client that never
 * reads, a body that never ends).
 */
import net from "node:net";
import { expect } from "vitest";
import type { ErrorCode } from "../../src/errors.ts";
import { TEST_ADMIN_PASSWORD } from "./server.ts";

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: any;
  /** The raw text of the body. */
  text: string;
}

export const ADMIN_AUTH = `Basic ${Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString("base64")}`;

/** One request to `port`; a non-string `body` is sent as JSON. Redirects are not followed. */
export async function request(port: number, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  const isJson = (res.headers.get("content-type") ?? "").includes("json");
  return { status: res.status, headers: res.headers, body: text !== "" && isJson ? JSON.parse(text) : text, text };
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
