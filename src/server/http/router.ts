/**
 * Arbiter's HTTP API on Colyseus 0.18's router (better-call), which also serves the OpenAPI
 * reference at `/api/reference`. Bodies and queries are zod schemas (validated once, at the edge);
 * every error answers `{ error: { code, message, details? } }` (errors.ts).
 */
import { createRouter } from "@colyseus/better-call";
import type { ServerServices } from "../services.ts";
import { createErrorHandler } from "./errors.ts";
import { metricsRoutes } from "./metrics-route.ts";
import { sessionRoutes } from "./session-routes.ts";
import { worldRoutes } from "./world-routes.ts";

export function createApiRouter(services: ServerServices) {
  return createRouter(
    { ...sessionRoutes(services), ...worldRoutes(services), ...metricsRoutes(services) },
    {
      openapi: { path: "/api/reference" },
      onError: createErrorHandler(services.logger),
    },
  );
}
