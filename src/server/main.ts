/**
 * Entry point: `npm start`. Reads the environment, loads the worlds, opens the database and serves
 * HTTP + WebSockets. A start-up error prints its code and message (no stack) and exits with 1.
 */
import "./node-compat.ts";
import { listen } from "@colyseus/tools";
import { ArbiterError } from "../errors.ts";
import { createAppConfig } from "./app.ts";
import { createServices, loadConfig } from "./boot.ts";
import { createLogger } from "./logger.ts";

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const services = await createServices(config, logger);
  const server = await listen(createAppConfig(services), config.port);
  server.onShutdown(() => {
    services.store.close();
    logger.info("database closed");
  });
  logger.info({ port: config.port, worlds: [...services.worlds.byId.keys()], defaultWorld: services.worlds.defaultId, database: config.databasePath }, "Arbiter is listening");
}

main().catch((e: unknown) => {
  if (e instanceof ArbiterError) console.error(`arbiter: ${e.code}: ${e.message}`);
  else console.error("arbiter: start-up failed:", e);
  process.exit(1);
});
