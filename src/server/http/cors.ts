/**
 * CORS (issue 8 §5). Colyseus answers every origin with `Access-Control-Allow-Origin: <origin>`
 * and `Access-Control-Allow-Credentials: true` on every path (its router's request listener, from
 * `matchMaker.controller.DEFAULT_CORS_HEADERS`), so any page an admin visits could drive the
 * monitor, `/metrics` and admin routes with the browser's cached basic-auth login. Arbiter's edge
 * replaces that listener and answers by route:
 * - `none`: admin surfaces (every route that requires admin credentials, the monitor, `/metrics`)
 *   and anything that is not a router route: never any `Access-Control-*` header;
 * - `public`: the public API: origins in `CORS_ORIGINS` get exactly their origin, no credentials;
 * - `credentialed`: `/matchmake/*`: the same origins, with `Allow-Credentials: true`, because the
 *   SDK's HTTP client sends `credentials: "include"` and a browser refuses such a response without
 *   it. Matchmaking reads no cookie and no basic auth, so the flag grants nothing else.
 * Without `CORS_ORIGINS`, browsers allow same-origin pages only.
 */

/** How a route may be reached from another origin. */
export type CorsAccess = "none" | "public" | "credentialed";

/** Request headers a cross-origin caller may send, by access (the SDK adds `Authorization: Bearer`). */
const ALLOWED_HEADERS: Record<Exclude<CorsAccess, "none">, string> = {
  public: "Content-Type",
  credentialed: "Content-Type, Authorization",
};

/** Seconds a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Headers of an actual (non-preflight) response: none for `none`; otherwise `Vary: Origin`, plus
 * the caller's exact origin when it is allowed (and `Allow-Credentials` for `credentialed`).
 */
export function corsHeaders(allowed: ReadonlySet<string>, origin: string | undefined, access: CorsAccess): Record<string, string> {
  if (access === "none") return {};
  const headers: Record<string, string> = { Vary: "Origin" };
  if (origin === undefined || !allowed.has(origin)) return headers;
  headers["Access-Control-Allow-Origin"] = origin;
  if (access === "credentialed") headers["Access-Control-Allow-Credentials"] = "true";
  return headers;
}

/**
 * Headers of a preflight (`OPTIONS` with `Access-Control-Request-Method`): for an allowed origin
 * and a route reachable with `access`, the origin, the one requested method, the allowed request
 * headers and a cache lifetime; otherwise no `Access-Control-*` header, and the browser refuses.
 */
export function preflightHeaders(allowed: ReadonlySet<string>, origin: string | undefined, access: CorsAccess, method: string): Record<string, string> {
  const headers = corsHeaders(allowed, origin, access);
  if (access === "none") return headers;
  headers.Vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
  if (headers["Access-Control-Allow-Origin"] === undefined) return headers;
  headers["Access-Control-Allow-Methods"] = method;
  headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS[access];
  headers["Access-Control-Max-Age"] = String(PREFLIGHT_MAX_AGE_S);
  return headers;
}
