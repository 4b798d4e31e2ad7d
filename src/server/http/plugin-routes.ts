/**
 * Routes of plugins (issue 9 §3 "HTTP routes") and `GET /api/plugins`.
 *
 * A plugin with `http:routes` adds `method /api/<prefix><path>` through `ctx.http.route()`; each
 * becomes a better-call endpoint on the same router as the server's own, so it is served by the
 * same edge (limits, CORS, rate), listed in `/api/reference`, and answers errors in the standard
 * shape: an `ArbiterError` thrown by the handler answers its code and status, anything else 500
 * `internal` (logged). Two routes with the same method and path, from two plugins or a plugin and
 * the server, stop start-up with `plugin/duplicate-route` naming both (an object spread of
 * endpoints would silently keep the last).
 *
 * Access: an `admin` route requires the admin credentials; a route under the session resource
 * (`ctx.http.sessionRoute`, `/api/sessions/:sessionId/…`) requires the session's owner or the admin
 * (http/access.ts, issue 12), so no plugin can open a session to anyone by forgetting it.
 */
import { createEndpoint } from "@colyseus/better-call";
import { ArbiterError } from "../../errors.ts";
import type { HttpMethod, PluginRouteHandler } from "../../plugins/api.ts";
import type { ServerServices } from "../services.ts";
import { requireAdmin } from "./admin-auth.ts";
import { apiError } from "./errors.ts";
import { requireSessionAccess } from "./access.ts";

/** A route a plugin registered. */
export interface RegisteredRoute {
  pluginId: string;
  method: HttpMethod;
  /** Full path, `/api/<prefix>/…`. */
  path: string;
  handler: PluginRouteHandler;
  /** Requires the admin credentials (401 `auth/required` otherwise), like the server's admin routes. */
  admin: boolean;
}

/** A route of the server itself, for the duplicate check. */
export interface ServerRoute {
  method: string | readonly string[];
  path: string;
}

/**
 * Endpoints for the plugins' routes, keyed `plugin:<id>:<method> <path>`. Throws
 * `plugin/duplicate-route` when one clashes with another or with `serverRoutes`.
 */
export function pluginEndpoints(routes: readonly RegisteredRoute[], serverRoutes: readonly ServerRoute[], services: Pick<ServerServices, "accounts" | "adminPassword" | "sessions">) {
  const owners = new Map<string, string>();
  for (const route of serverRoutes) for (const method of [route.method].flat()) owners.set(`${method} ${route.path}`, "the server");
  const endpoints: Record<string, ReturnType<typeof toEndpoint>> = {};
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const owner = owners.get(key);
    if (owner) throw new ArbiterError("plugin/duplicate-route", `plugin ${route.pluginId}: route ${key} is already served by ${owner === "the server" ? owner : `plugin ${owner}`}`);
    owners.set(key, route.pluginId);
    endpoints[`plugin:${route.pluginId}:${key}`] = toEndpoint(route, services);
  }
  return endpoints;
}

/** The session resource's path prefix (`RouteRegistry.sessionRoute`). */
const SESSION_ROUTES = "/api/sessions/:sessionId/";

function toEndpoint(route: RegisteredRoute, services: Pick<ServerServices, "accounts" | "adminPassword" | "sessions">) {
  const use = route.admin ? [requireAdmin(services.adminPassword)] : route.path.startsWith(SESSION_ROUTES) ? [requireSessionAccess(services, "sessionId")] : [];
  return createEndpoint(route.path, { method: route.method, use, metadata: { openapi: { tags: [`plugin ${route.pluginId}`] } } }, async (ctx) => {
    const query = Object.fromEntries(Object.entries((ctx.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    try {
      return (await route.handler({ params: (ctx.params ?? {}) as Record<string, string>, query, body: ctx.body })) ?? null;
    } catch (error) {
      if (error instanceof ArbiterError) throw apiError(error.code, error.message, error.details);
      throw error;
    }
  });
}

/** `GET /api/plugins`: every plugin's record (id, version, state, reason, order, permissions, routes, action kinds, subscriptions). */
export function pluginListRoute(services: ServerServices) {
  return {
    listPlugins: createEndpoint("/api/plugins", { method: "GET" }, async () => ({ plugins: services.plugins.host.list() })),
  };
}
