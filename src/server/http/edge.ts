/**
 * The HTTP edge: the one `request` listener of the server (transport.ts installs it in place of
 * Colyseus's). Every request goes through the same steps:
 * 1. base headers: `nosniff`, no framing, no referrer, `Cache-Control: no-store`; an idle timeout
 *    (`HTTP_IDLE_TIMEOUT_MS`) that destroys a response making no progress, so a client that stops
 *    reading (or sending) cannot pin a connection and its buffers;
 * 2. `OPTIONS` is a CORS preflight, answered here (cors.ts);
 * 3. the body is read up to `HTTP_BODY_LIMIT` bytes, JSON only (request-body.ts);
 * 4. the first router with a matching route serves it through Arbiter's adapter (node-adapter.ts):
 *    the API and Colyseus's matchmaking and health check, then the monitor; anything else goes to
 *    the express app (`/metrics`, the 404 answer).
 * CORS headers follow the route: admin routes and express paths never get any.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { errorInfo, makeError, type ErrorCode } from "../../errors.ts";
import type { Logger } from "../logger.ts";
import { requiresAdmin } from "./admin-auth.ts";
import { corsHeaders, preflightHeaders, type CorsAccess } from "./cors.ts";
import { toFetchRequest, writeResponse } from "./node-adapter.ts";
import { createRateLimiter, type RateLimiter, type RateLimits } from "./rate-limit.ts";
import { readBody } from "./request-body.ts";

/** Colyseus's health check: never rate-limited (load balancers poll it). */
const HEALTHCHECK_PATH = "/__healthcheck";

/** What the edge needs of a better-call router. */
export interface RouteTable {
  handler(request: Request): Promise<Response>;
  findRoute(method: string, path: string): { data?: unknown } | undefined;
}

/** The edge's limits and CORS origins, from the environment (config.ts). */
export interface HttpPolicy {
  /** Largest request body, bytes (`HTTP_BODY_LIMIT`). */
  bodyLimitBytes: number;
  /** A response with no socket activity for this long is destroyed, ms (`HTTP_IDLE_TIMEOUT_MS`). */
  idleTimeoutMs: number;
  /** Exact origins allowed cross-origin on public routes and matchmaking (`CORS_ORIGINS`). */
  corsOrigins: ReadonlySet<string>;
  /** Per-address request and failed-login limits (rate-limit.ts). */
  rateLimits: RateLimits;
}

export interface HttpEdgeOptions extends HttpPolicy {
  /** Routers in order; the first with a route for the method and path serves the request. */
  routers: readonly RouteTable[];
  /** Everything no router serves (the express app). */
  fallback: (req: IncomingMessage, res: ServerResponse) => void;
  logger: Logger;
  /**
   * Checks a request's credentials against the route that will serve it (its endpoint, the router
   * route's `data`) before anything else reads the request, so a caller without them gets 401 and
   * never a validation answer; resolves the refusal, or undefined to go on (http/access.ts).
   */
  authorize?: (endpoint: unknown, authorization: string | undefined) => Promise<{ code: ErrorCode; headers?: Readonly<Record<string, string>> } | undefined>;
}

const BASE_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
} as const;

/** Builds the request listener. It never throws: a fault answers 500 `internal` and is logged. */
export function createHttpEdge(options: HttpEdgeOptions): RequestListener {
  const limiter = createRateLimiter(options.rateLimits);
  return (req, res) => {
    admit(limiter, req, res)
      .then((admitted) => (admitted ? serve(options, req, res) : undefined))
      .catch((error: unknown) => {
        options.logger.error({ err: error, method: req.method, url: req.url }, "unhandled error at the HTTP edge");
        if (!res.headersSent) sendError(res, "internal");
        else res.destroy();
      });
  };
}

/** Applies the rate limits (rate-limit.ts); answers 429 and returns false when over one. */
async function admit(limiter: RateLimiter, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const address = req.socket.remoteAddress ?? "unknown";
  res.on("finish", () => {
    if (res.statusCode === 401) limiter.failedAuth(address);
  });
  if (req.url === HEALTHCHECK_PATH) return true;
  const waitS = await limiter.admit(address, req.method, (req.url ?? "").split("?")[0]);
  if (waitS === undefined) return true;
  res.setHeader("Retry-After", String(waitS));
  res.setHeader("Connection", "close");
  sendError(res, "request/rate-limited", `too many requests from ${address}; retry in ${waitS} s`);
  return false;
}

async function serve(options: HttpEdgeOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setTimeout(options.idleTimeoutMs, () => res.destroy());
  for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
  const url = requestUrl(req);
  if (!url) return sendError(res, "request/invalid", "the request target or the Host header is not a valid URL");
  const method = req.method ?? "GET";
  if (method === "OPTIONS") return answerPreflight(options, req, res, url.pathname);
  const found = findRoute(options.routers, method, url.pathname);
  setHeaders(res, corsHeaders(options.corsOrigins, req.headers.origin, accessOf(found?.route.data, url.pathname)));
  const refused = found && (await options.authorize?.(found.route.data, req.headers.authorization));
  if (refused) {
    // The body is never read: the connection closes after the answer, so its bytes cannot linger.
    setHeaders(res, { ...refused.headers, Connection: "close" });
    return sendError(res, refused.code);
  }
  const body = await readBody(req, options.bodyLimitBytes);
  if (!body.ok) {
    if (body.code === "request/too-large") res.setHeader("Connection", "close");
    return sendError(res, body.code, body.message);
  }
  if (!found) return options.fallback(req, res);
  await writeResponse(res, await found.router.handler(toFetchRequest(req, url, body.body)));
}

function answerPreflight(options: HttpEdgeOptions, req: IncomingMessage, res: ServerResponse, path: string): void {
  const requested = req.headers["access-control-request-method"];
  const route = requested === undefined ? undefined : findRoute(options.routers, requested, path)?.route;
  const access = route ? accessOf(route.data, path) : "none";
  setHeaders(res, preflightHeaders(options.corsOrigins, req.headers.origin, access, requested ?? ""));
  res.writeHead(204).end();
}

/** `none` for admin routes and non-router paths; `credentialed` for matchmaking; else `public`. */
function accessOf(endpoint: unknown, path: string): CorsAccess {
  if (endpoint === undefined || requiresAdmin(endpoint as Parameters<typeof requiresAdmin>[0])) return "none";
  return path.startsWith("/matchmake/") ? "credentialed" : "public";
}

function findRoute(routers: readonly RouteTable[], method: string, path: string) {
  for (const router of routers) {
    const route = router.findRoute(method, path);
    if (route?.data !== undefined) return { router, route };
  }
  return undefined;
}

/**
 * The request's URL: `Host` (which must be a bare host, no path or user info) plus the target as
 * sent, so its path never comes from the header and `//x/y` stays a path (not host `x`). The same
 * URL object routes the request and goes to the router. Undefined when they do not form a URL.
 */
function requestUrl(req: IncomingMessage): URL | undefined {
  const host = req.headers.host ?? "localhost";
  const target = req.url ?? "/";
  if (!/^[^\s/?#@\\]+$/.test(host) || !URL.canParse(`http://${host}`)) return undefined;
  const text = target.startsWith("/") ? `http://${host}${target}` : target;
  return URL.canParse(text) ? new URL(text) : undefined;
}

function setHeaders(res: ServerResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/** Answers the standard error body `{ error: { code, message } }` with the code's status (unless the client is gone). */
function sendError(res: ServerResponse, code: ErrorCode, message?: string): void {
  if (res.destroyed || res.headersSent) return;
  const body = JSON.stringify({ error: makeError(code, message) });
  res.writeHead(errorInfo(code).status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
