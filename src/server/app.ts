/**
 * The Colyseus application: rooms, routes and transport. The same config object is what
 * `main.ts` listens with and what tests `boot()` (@colyseus/testing), so tests run the real wiring.
 *
 * Admin surfaces are never open: the room monitor is at `/monitor` behind basic auth
 * (user `admin`, password `ADMIN_PASSWORD`). Health: Colyseus's own `GET /__healthcheck`.
 */
import { basicAuth } from "@colyseus/core";
import { monitor } from "@colyseus/monitor";
import defineConfig from "@colyseus/tools";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { defineWorldRoom } from "../../rooms/world-room.ts";
import { ADMIN_USER, MAX_PAYLOAD_BYTES } from "./app-constants.ts";
import { createApiRouter } from "./http/router.ts";
import type { ServerServices } from "./services.ts";

export { ADMIN_USER, MAX_PAYLOAD_BYTES };

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
      app.use("/monitor", monitor({ use: [adminOnly], columns: ["roomId", "name", { metadata: "worldId" }, "clients", { metadata: "actors" }, { metadata: "tickMs" }, "locked", "elapsedTime"] }));
    },
    initializeTransport: () => new WebSocketTransport({ maxPayload: MAX_PAYLOAD_BYTES }),
  });
}
