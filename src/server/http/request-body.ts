/**
 * What a client may send over HTTP, checked before any route runs (issue 8 §3):
 * - a request that carries a body must say `Content-Type: application/json` (415
 *   `request/unsupported-media-type` otherwise), so an HTML form on another site cannot post to
 *   the API or the matchmaker: a cross-site JSON request needs a CORS preflight, which only
 *   `CORS_ORIGINS` pass;
 * - a body is read up to `HTTP_BODY_LIMIT` bytes and no further: a `Content-Length` over the
 *   limit is refused before reading, a streamed body the moment it passes it (413
 *   `request/too-large`, `Connection: close`); the rest is never buffered.
 */
import type { IncomingMessage } from "node:http";
import type { ErrorCode } from "../../errors.ts";

/** The outcome of reading a body: the bytes, or the error to answer with. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; code: ErrorCode; message: string };

/** True when the request announces a body (a non-zero `Content-Length`, or a `Transfer-Encoding`). */
export function carriesBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/** True for `application/json`, with or without parameters (`; charset=utf-8`), in any case. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * Reads the body of `req`, at most `limit` bytes. Without a body: an empty buffer. Not JSON:
 * `request/unsupported-media-type`. Over the limit: `request/too-large`, and `req` is paused (the
 * caller answers and closes the connection). A client that aborts gets `request/invalid`.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  if (!carriesBody(req)) return Promise.resolve({ ok: true, body: Buffer.alloc(0) });
  const contentType = req.headers["content-type"];
  if (!isJsonContentType(contentType)) {
    const got = contentType === undefined ? "no Content-Type" : `Content-Type "${contentType.slice(0, 100)}"`;
    return Promise.resolve({ ok: false, code: "request/unsupported-media-type", message: `request bodies must be JSON (Content-Type: application/json), got ${got}` });
  }
  const tooLarge = (size: string): BodyResult => ({ ok: false, code: "request/too-large", message: `the request body (${size}) is over the limit of ${limit} bytes` });
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > limit) return Promise.resolve(tooLarge(`${declared} bytes`));
  return collect(req, limit, tooLarge);
}

function collect(req: IncomingMessage, limit: number, tooLarge: (size: string) => BodyResult): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("aborted", onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) return void chunks.push(chunk);
      req.pause();
      finish(tooLarge(`more than ${limit} bytes`));
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ ok: false, code: "request/invalid", message: "the request body was not received in full" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("aborted", onAbort);
  });
}
