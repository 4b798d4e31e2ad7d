/**
 * Arbiter's Node adapter for better-call routers: an `IncomingMessage` (with its body already read
 * and bounded by the edge) becomes a fetch `Request`, and a fetch `Response` is written to a
 * `ServerResponse` with backpressure and then ended.
 *
 * Why not `@colyseus/better-call/node` (1.3.3), which Colyseus mounts its router with: its
 * `setResponse` calls `res.end()` inside the read loop, right after a write that the socket took
 * without backpressure, and nowhere after the loop. A body that fits in one write (under the
 * socket's 16 KB high-water mark) ends by luck; a larger one makes `write()` return false, the loop
 * waits for `drain`, reads `done`, breaks, and the response is never ended: status 200, then the
 * client waits forever. A body of several chunks is ended after the first and truncated.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** A fetch `Request` for a better-call router; `body` is ignored for GET and HEAD. */
export function toFetchRequest(req: IncomingMessage, url: URL, body: Buffer | undefined): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? "GET";
  const hasBody = body !== undefined && body.byteLength > 0 && method !== "GET" && method !== "HEAD";
  return new Request(url, { method, headers, ...(hasBody ? { body, duplex: "half" } : {}) } as RequestInit);
}

/**
 * Writes `response` (status, headers, body) to `res` and ends it. Each chunk waits for `drain`
 * when the socket buffer is full, so a slow reader holds at most the body's current chunk plus
 * the socket's buffer; if the client goes away, the body stream is cancelled and `res` destroyed.
 * Resolves once the body was handed to the socket (or the connection is gone); never rejects.
 */
export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  if (!copyHead(res, response)) return;
  if (!response.body || res.req.method === "HEAD") {
    await response.body?.cancel().catch(() => undefined);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed || (!res.write(value) && !(await drained(res)))) {
        await reader.cancel().catch(() => undefined);
        return;
      }
    }
    res.end();
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Status and headers; false (after answering 500) when a header cannot be set. */
function copyHead(res: ServerResponse, response: Response): boolean {
  try {
    for (const [key, value] of response.headers) {
      if (key === "set-cookie") continue;
      res.setHeader(key, value);
    }
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    res.statusCode = response.status;
    return true;
  } catch {
    res.statusCode = 500;
    res.end();
    return false;
  }
}

/** Resolves true on `drain`, false when the response closes first (the client went away). */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (ok: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(ok);
    };
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}
