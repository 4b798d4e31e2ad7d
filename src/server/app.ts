/**
 * The Colyseus application: rooms, routes and transport. The same config object is what
 * `main.ts` listens with and what tests `boot()` (@colyseus/testing), so tests run the real wiring.
 *
 * Admin surfaces are never open: the room monitor is at `/monitor/` behind basic auth
 * (user `admin`, password `ADMIN_PASSWORD`), and gets no CORS. Health: Colyseus's own
 * `GET /__healthcheck`. `initializeGameServer` must run before `listen()` (as @colyseus/tools'
 * `listen()` does): it hands the server's router to the HTTP edge.
 */
import { Encoder } from "@colyseus/schema";
// Types only: importing @colyseus/tools at run time loads /etc/environment over the process's own
// environment and prints non-JSON lines (its loadenv.mjs); main.ts builds what its listen() would.
import type { ConfigOptions } from "@colyseus/tools";
import { ADMIN_USER, MAX_PAYLOAD_BYTES } from "./app-constants.ts";
import { createColyseusLogger } from "./colyseus-logger.ts";
import { createApiRouter } from "./http/router.ts";
import { createHttpSurfaces } from "./http/surfaces.ts";
import type { ServerServices } from "./services.ts";

export { ADMIN_USER, MAX_PAYLOAD_BYTES };

/**
 * Full-state encodes of a big world exceed @colyseus/schema's default 8 KB buffer, and every
 * overflow logs a warning and encodes twice; 256 KB covers a few thousand visible actors.
 */
Encoder.BUFFER_SIZE = 256 * 1024;

/**
 * The room definitions, by matchmaking name: `{ world: defineWorldRoom(services) }` (rooms/),
 * injected by the entry point so this module never imports back up into rooms/.
 */
export type AppRooms = NonNullable<ConfigOptions["rooms"]>;

/**
 * The app as @colyseus/tools' `ConfigOptions`: what main.ts listens with and `boot()` of
 * @colyseus/testing takes. (`~rooms` and `~routes` in that type are SDK type tags with no value.)
 */
export function createAppConfig(services: ServerServices, rooms: AppRooms): ConfigOptions {
  const config: Omit<ConfigOptions, "~rooms" | "~routes"> = {
    options: {
      greet: false,
      devMode: false,
      logger: createColyseusLogger(services.logger, services.faults),
      // Scale-out (REDIS_URL): Colyseus's Redis presence and driver; otherwise its local defaults.
      ...(services.scale.presence ? { presence: services.scale.presence } : {}),
      ...(services.scale.driver ? { driver: services.scale.driver } : {}),
      ...(services.scale.publicAddress ? { publicAddress: services.scale.publicAddress } : {}),
      ...(services.scale.selectProcessIdToCreateRoom ? { selectProcessIdToCreateRoom: services.scale.selectProcessIdToCreateRoom } : {}),
    },
    displayLogs: false,
    rooms,
    routes: createApiRouter(services),
    // The transport, the express app (`/metrics`) and the edge that serves every HTTP request
    // (limits, CORS, the API, matchmaking and the monitor): http/surfaces.ts.
    ...createHttpSurfaces(services),
  };
  return config as ConfigOptions;
}
