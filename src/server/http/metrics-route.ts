/**
 * `GET /metrics`: Prometheus text format, for the admin (basic auth) or a scraper holding
 * `METRICS_TOKEN` (`Authorization: Bearer <token>`). Anyone else gets 401 `auth/required`.
 *
 * Served by Express (the edge's fallback, edge.ts), which writes and ends a large scrape itself.
 * Router routes now do too: the edge serves them with Arbiter's adapter (node-adapter.ts), not
 * @colyseus/better-call 1.3.3's, which never ended a body over ~16 KB.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Application } from "express";
import { makeError } from "../../errors.ts";
import type { ServerServices } from "../services.ts";
import { isAdminAuthorization } from "./admin-auth.ts";

export function mountMetrics(app: Application, services: ServerServices): void {
  app.get("/metrics", (req, res) => {
    const header = req.headers.authorization;
    if (!isAdminAuthorization(header, services.adminPassword) && !isMetricsToken(header, services.metricsToken)) {
      res
        .status(401)
        .set("WWW-Authenticate", 'Basic realm="Arbiter admin", charset="UTF-8"')
        .json({ error: makeError("auth/required", "metrics need the admin credentials or the METRICS_TOKEN bearer token") });
      return;
    }
    services.metrics.registry.metrics().then(
      (body) => res.set("content-type", services.metrics.registry.contentType).send(body),
      (e: unknown) => res.status(500).json({ error: makeError("internal", String(e)) }),
    );
  });
}

function isMetricsToken(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header?.toLowerCase().startsWith("bearer ")) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(header.slice(7).trim()), digest(token));
}
