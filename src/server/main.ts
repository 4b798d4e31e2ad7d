/**
 * Entry point: `npm start`. Reads the environment, loads the worlds, opens the database and serves
 * HTTP + WebSockets. A start-up error prints its code and message (no stack) and exits with 1.
 */
import "./node-compat.ts";
import { defineServer, matchMaker } from "@colyseus/core";
import { getTransport } from "@colyseus/tools";
import { ArbiterError } from "../errors.ts";
import { createAppConfig } from "./app.ts";
import { createServices, loadConfig } from "./boot.ts";
import { createLogger } from "./logger.ts";

/** Pending connections the kernel may queue before the server accepts them (see main()). */
const LISTEN_BACKLOG = 4096;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const services = await createServices(config, logger);
  const app = createAppConfig(services);
  // What @colyseus/tools' listen() builds, listening with a host and a deeper accept queue: Node
  // (libuv) accepts one connection per event-loop turn, so under a join storm connections wait in
  // the kernel's queue; with the default 511 the overflow is dropped and the client retries after
  // 1, 3, 7… s. The kernel caps the backlog at net.core.somaxconn.
  const server = defineServer({ ...app.options, rooms: app.rooms!, routes: app.routes, express: app.initializeExpress, transport: await getTransport(app) });
  await matchMaker.onReady;
  await server.listen(config.port, config.host, LISTEN_BACKLOG);
  services.sessionExpiry.run();
  server.onShutdown(() => {
    services.sessionExpiry.stop();
    services.store.close();
    logger.info("database closed");
  });
  logger.info({ host: config.host ?? "all interfaces", port: config.port, worlds: [...services.worlds.byId.keys()], defaultWorld: services.worlds.defaultId, database: config.databasePath }, "Arbiter is listening");
}

main().catch((e: unknown) => {
  if (e instanceof ArbiterError) console.error(`arbiter: ${e.code}: ${e.message}`);
  else console.error("arbiter: start-up failed:", e);
  process.exit(1);
});
