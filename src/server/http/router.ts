/**
 * Arbiter's HTTP API on Colyseus 0.18's router (better-call), which also serves the OpenAPI
 * reference at `/api/reference`. Bodies and queries are zod schemas (validated once, at the edge);
 * every error answers `{ error: { code, message, details? } }` (errors.ts).
 */
import { createEndpoint, createRouter } from "@colyseus/better-call";
import type { ServerServices } from "../services.ts";
import { authRoutes } from "./auth-routes.ts";
import { apiError, createErrorHandler } from "./errors.ts";
import { pluginEndpoints, pluginListRoute } from "./plugin-routes.ts";
import { replayRoutes } from "./replay-routes.ts";
import { sessionRoutes } from "./session-routes.ts";
import { worldRoutes } from "./world-routes.ts";

/** The API router: the server's routes, `GET /api/plugins`, then the plugins' routes (plugin-routes.ts). */
export function createApiRouter(services: ServerServices) {
  const own = { ...authRoutes(services), ...sessionRoutes(services), ...worldRoutes(services), ...replayRoutes(services), ...pluginListRoute(services) };
  const serverRoutes = Object.values(own).map((endpoint) => ({ method: endpoint.options.method, path: endpoint.path }));
  return createRouter(
    { ...own, ...pluginEndpoints(services.plugins.routes, serverRoutes, services), noRoute },
    {
      openapi: { path: "/api/reference" },
      onError: createErrorHandler(services.logger),
    },
  );
}

/** Any other `/api/…` request: 404 in the standard error shape (not the HTML page of Express). */
const noRoute = createEndpoint("/api/**", { method: ["GET", "POST", "PUT", "PATCH", "DELETE"] }, async (ctx) => {
  throw apiError("request/no-route", `no route ${ctx.request?.method ?? ""} ${ctx.path}`.replace("  ", " "));
});
