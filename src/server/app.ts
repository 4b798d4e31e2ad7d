/**
 * The Colyseus application: rooms, routes and transport. The same config object is what
 * `main.ts` listens with and what tests `boot()` (@colyseus/testing), so tests run the real wiring.
 *
 * Admin surfaces are never open: the room monitor is at `/monitor` behind basic auth
 * (user `admin`, password `ADMIN_PASSWORD`). Health: Colyseus's own `GET /__healthcheck`.
 */
import { basicAuth } from "@colyseus/core";
import { Encoder } from "@colyseus/schema";
import { monitor } from "@colyseus/monitor";
import defineConfig from "@colyseus/tools";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { defineWorldRoom } from "../../rooms/world-room.ts";
import { ADMIN_USER, MAX_PAYLOAD_BYTES } from "./app-constants.ts";
import { mountMetrics } from "./http/metrics-route.ts";
import { createApiRouter } from "./http/router.ts";
import type { ServerServices } from "./services.ts";

export { ADMIN_USER, MAX_PAYLOAD_BYTES };

/**
 * Full-state encodes of a big world exceed @colyseus/schema's default 8 KB buffer, and every
 * overflow logs a warning and encodes twice; 256 KB covers a few thousand visible actors.
 */
Encoder.BUFFER_SIZE = 256 * 1024;

export function createAppConfig(services: ServerServices) {
  const adminOnly = basicAuth({ users: { [ADMIN_USER]: services.adminPassword }, realm: "Arbiter admin" });
  return defineConfig({
    options: { greet: false, devMode: false },
    displayLogs: false,
    rooms: { world: defineWorldRoom(services) },
    routes: createApiRouter(services),
    // Mounted as express middleware (not spread into the router) so that `/monitor` without the
    // slash redirects to the panel; every monitor endpoint carries the basic-auth middleware.
    initializeExpress: (app) => {
      mountMetrics(app, services);
      app.use("/monitor", monitor({ use: [adminOnly], columns: ["roomId", "name", { metadata: "worldId" }, "clients", { metadata: "actors" }, { metadata: "tickMs" }, "locked", "elapsedTime"] }));
    },
    initializeTransport: () => new WebSocketTransport({ maxPayload: MAX_PAYLOAD_BYTES }),
  });
}
