/**
 * Every HTTP surface, wired into the Colyseus app config (app.ts): the transport whose request
 * listener is Arbiter's edge (transport.ts, edge.ts), the express app (`/metrics`, and the JSON 404
 * for any other path), and the edge's routers: Colyseus's final router (the API, matchmaking,
 * `/__healthcheck`), then the monitor.
 *
 * The express app's last middleware is the 404 answer: besides answering unknown paths in the
 * standard error shape, it is a root route, so Colyseus does not add its `GET /` banner, which
 * names the framework and its version.
 */
import type { Server as HttpServer } from "node:http";
import type { Server } from "@colyseus/core";
import type { Application, Request, Response } from "express";
import { makeError } from "../../errors.ts";
import { MAX_PAYLOAD_BYTES } from "../app-constants.ts";
import type { ServerServices } from "../services.ts";
import { createHttpEdge, type RouteTable } from "./edge.ts";
import { mountMetrics } from "./metrics-route.ts";
import { mountWebClient } from "./web-client.ts";
import { createMonitorRouter } from "./monitor-routes.ts";
import { createRouteAuthorizer } from "./access.ts";
import { ArbiterTransport } from "./transport.ts";

/** The app config hooks that set up HTTP (@colyseus/tools' `ConfigOptions` names). */
export interface HttpSurfaces {
  initializeTransport: (options?: { server?: HttpServer }) => ArbiterTransport;
  initializeExpress: (app: Application) => void;
  initializeGameServer: (server: Server) => void;
}

/**
 * Pings a client may leave unanswered in a row (@colyseus/ws-transport's `pingMaxRetries`, its
 * default): every `PING_INTERVAL_MS` the transport cuts a client already at this count, else pings
 * it and counts one; a pong resets the count. A client that falls silent (no FIN, no close frame)
 * is therefore cut between 2 and 3 intervals later, 6–9 s by default, and the room sees a drop
 * with close code 1006 (rooms/reconnection.ts).
 */
export const PING_MISSES_ALLOWED = 2;

export function createHttpSurfaces(services: ServerServices): HttpSurfaces {
  let transport: ArbiterTransport | undefined;
  return {
    initializeTransport: (options) =>
      (transport = new ArbiterTransport({
        maxPayload: MAX_PAYLOAD_BYTES,
        pingInterval: services.pingIntervalMs,
        pingMaxRetries: PING_MISSES_ALLOWED,
        ...(options?.server ? { server: options.server } : {}),
      })),
    initializeExpress: (app) => {
      app.disable("x-powered-by");
      mountMetrics(app, services);
      mountWebClient(app, services);
      app.use(answerNoRoute);
    },
    initializeGameServer: (server) => {
      if (!transport) throw new Error("createHttpSurfaces: initializeTransport must run before initializeGameServer");
      const express = transport.getExpressApp();
      const monitorRouter = createMonitorRouter(services);
      transport.serveHttpWith(() =>
        createHttpEdge({
          routers: [server.router as RouteTable, monitorRouter as RouteTable],
          fallback: (req, res) => express(req as Request, res as Response),
          ...services.http,
          logger: services.logger,
          authorize: createRouteAuthorizer(services),
        }),
      );
    },
  };
}

/** Any path nothing else serves: 404 `request/no-route` in the standard error shape. */
function answerNoRoute(req: Request, res: Response): void {
  res.status(404).json({ error: makeError("request/no-route", `no route ${req.method} ${req.path.slice(0, 200)}`) });
}
