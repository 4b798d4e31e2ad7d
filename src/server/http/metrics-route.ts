/**
 * `GET /metrics`: Prometheus text format, for the admin (basic auth) or a scraper holding
 * `METRICS_TOKEN` (`Authorization: Bearer <token>`). Anyone else gets 401 `auth/required`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createEndpoint } from "@colyseus/better-call";
import type { ServerServices } from "../services.ts";
import { isAdminAuthorization } from "./admin-auth.ts";
import { apiError } from "./errors.ts";

export function metricsRoutes(services: ServerServices) {
  return {
    metrics: createEndpoint("/metrics", { method: "GET" }, async (ctx) => {
      const header = ctx.getHeader("authorization");
      if (!isAdminAuthorization(header, services.adminPassword) && !isMetricsToken(header, services.metricsToken)) {
        throw apiError("auth/required", "metrics need the admin credentials or the METRICS_TOKEN bearer token", undefined, { "WWW-Authenticate": 'Basic realm="Arbiter admin", charset="UTF-8"' });
      }
      const body = await services.metrics.registry.metrics();
      return new Response(body, { headers: { "content-type": services.metrics.registry.contentType } });
    }),
  };
}

function isMetricsToken(header: string | null | undefined, token: string | undefined): boolean {
  if (!token || !header?.toLowerCase().startsWith("bearer ")) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(header.slice(7).trim()), digest(token));
}
