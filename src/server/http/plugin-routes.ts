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
 * (http/access.ts, issue 12), so no plugin can open a session to anyone by forgetting it. A route
 * of a world another process hosts (a session's, an NPC's) runs in that process (issue 14,
 * plugin-route-forwarding.ts).
 */
import { createEndpoint } from "@colyseus/better-call";
import { ArbiterError } from "../../errors.ts";
import { runPluginHandler, worldOfRoute } from "../plugin-route-forwarding.ts";
import { worldPortOf } from "../world-ports.ts";
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
export function pluginEndpoints(routes: readonly RegisteredRoute[], serverRoutes: readonly ServerRoute[], services: RouteServices) {
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

type RouteServices = Pick<ServerServices, "accounts" | "adminPassword" | "sessions" | "connectedSessions" | "runtimes">;

function toEndpoint(route: RegisteredRoute, services: RouteServices) {
  const use = route.admin ? [requireAdmin(services.adminPassword)] : route.path.startsWith(SESSION_ROUTES) ? [requireSessionAccess(services, "sessionId")] : [];
  return createEndpoint(route.path, { method: route.method, use, metadata: { openapi: { tags: [`plugin ${route.pluginId}`] } } }, async (ctx) => {
    const query = Object.fromEntries(Object.entries((ctx.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    const call = { key: `${route.method} ${route.path}`, params: (ctx.params ?? {}) as Record<string, string>, query, body: ctx.body };
    // A route of a world another process hosts runs there (issue 14, plugin-route-forwarding.ts).
    const worldId = await worldOfRoute(route.path, call.params, services);
    const port = worldId === undefined || services.runtimes.has(worldId) ? undefined : await worldPortOf(services, worldId);
    const answer = port ? await port.pluginRoute(call) : await runPluginHandler(route.handler, call);
    if (!answer.ok) throw apiError(answer.code, answer.message, answer.details);
    return answer.body;
  });
}

/** `GET /api/plugins`: every plugin's record (id, version, state, reason, order, permissions, routes, action kinds, subscriptions). */
export function pluginListRoute(services: ServerServices) {
  return {
    listPlugins: createEndpoint("/api/plugins", { method: "GET" }, async () => ({ plugins: services.plugins.host.list() })),
  };
}
