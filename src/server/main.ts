/**
 * Entry point: `npm start`. Reads the environment, loads the worlds, opens the database and serves
 * HTTP + WebSockets. A start-up error prints its code and message (no stack) and exits with 1.
 */
import "./node-compat.ts";
import { createServer } from "node:http";
import { defineServer, matchMaker } from "@colyseus/core";
import { ArbiterError } from "../errors.ts";
import { defineWorldRoom } from "../../rooms/world-room.ts";
import { createAppConfig } from "./app.ts";
import { createServices, loadConfig } from "./boot.ts";
import { loadEnvFiles } from "./config.ts";
import { captureConsole } from "./colyseus-logger.ts";
import { createLogLimiter } from "./log-limiter.ts";
import { createLogger } from "./logger.ts";

/** Pending connections the kernel may queue before the server accepts them (see main()). */
const LISTEN_BACKLOG = 4096;

async function main(): Promise<void> {
  loadEnvFiles();
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  // Everything the process prints is one JSON line from here on, libraries' console output included.
  captureConsole(logger, createLogLimiter(logger));
  // Faults in rooms and routes are caught where they happen (rooms/room-faults.ts, the router's
  // onError). What still escapes is a bug: logged whole here, then Colyseus shuts down gracefully
  // (snapshots and sessions saved) and exits 1, for a supervisor to restart.
  process.on("uncaughtException", (err) => logger.fatal({ err }, "uncaught exception: shutting down"));
  process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled promise rejection"));
  const services = await createServices(config, logger);
  const app = createAppConfig(services, { world: defineWorldRoom(services) });
  // What @colyseus/tools' listen() builds (without importing it: see app.ts), listening with a host and a deeper accept queue: Node
  // (libuv) accepts one connection per event-loop turn, so under a join storm connections wait in
  // the kernel's queue; with the default 511 the overflow is dropped and the client retries after
  // 1, 3, 7… s. The kernel caps the backlog at net.core.somaxconn.
  const server = defineServer({ ...app.options, rooms: app.rooms!, routes: app.routes, express: app.initializeExpress, transport: app.initializeTransport!({ server: createServer() }) });
  app.initializeGameServer?.(server); // hands the server's router to the HTTP edge (http/surfaces.ts)
  await matchMaker.onReady;
  await server.listen(config.port, config.host, LISTEN_BACKLOG);
  await services.plugins.host.enable();
  services.sessionExpiry.run();
  server.onShutdown(async () => {
    await services.plugins.host.disable();
    services.sessionExpiry.stop();
    services.store.close();
    await services.scale.claims.close();
    await services.connectedSessions.close();
    services.metrics.stop();
    logger.info("database closed");
  });
  logger.info({ host: config.host ?? "all interfaces", port: config.port, worlds: [...services.worlds.byId.keys()], defaultWorld: services.worlds.defaultId, database: config.databasePath }, "Arbiter is listening");
}

main().catch((e: unknown) => {
  // Straight to stderr: the console may already be routed into the JSON log.
  if (e instanceof ArbiterError) process.stderr.write(`arbiter: ${e.code}: ${e.message}\n`);
  else process.stderr.write(`arbiter: start-up failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
