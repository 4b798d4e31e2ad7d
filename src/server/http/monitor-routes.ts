/**
 * The room monitor (@colyseus/monitor) at `/monitor/`, as a better-call router that the edge serves
 * with Arbiter's adapter (its own express middleware uses better-call's node adapter, which never
 * ends the 800 KB panel script; see node-adapter.ts). Every endpoint requires the admin
 * credentials (`auth/required`, 401, with a challenge), including `GET /monitor` without the
 * slash, which redirects to `/monitor/` only once authorized.
 */
import { createRouter } from "@colyseus/better-call";
import { monitor } from "@colyseus/monitor";
import { makeError } from "../../errors.ts";
import type { ServerServices } from "../services.ts";
import { ADMIN_CHALLENGE, isAdminAuthorization, requireAdmin } from "./admin-auth.ts";

/** Where the panel lives. */
export const MONITOR_PREFIX = "/monitor";

const COLUMNS = ["roomId", "name", { metadata: "worldId" }, "clients", { metadata: "actors" }, { metadata: "tickMs" }, { metadata: "topPlugin" }, "locked", "elapsedTime"] as const;

export function createMonitorRouter(services: ServerServices) {
  // With scale-out, which process hosts each room (issue 14).
  const columns = services.scale.publicAddress === undefined ? [...COLUMNS] : [...COLUMNS, "publicAddress" as const];
  const panel = monitor({ prefix: MONITOR_PREFIX, use: [requireAdmin(services.adminPassword)], columns });
  // `monitor()` returns express middleware with its endpoints as own properties, to spread into a router.
  return createRouter({ ...panel }, { openapi: { disabled: true }, onRequest: (request) => redirectPanelRoot(request, services.adminPassword) });
}

/** `GET /monitor` → 302 to `/monitor/` (its page loads `./assets/…`), only for the admin; else 401. */
function redirectPanelRoot(request: Request, password: string): Response | undefined {
  const url = new URL(request.url);
  if (url.pathname !== MONITOR_PREFIX) return undefined;
  if (!isAdminAuthorization(request.headers.get("authorization"), password)) {
    return Response.json({ error: makeError("auth/required") }, { status: 401, headers: ADMIN_CHALLENGE });
  }
  return new Response(null, { status: 302, headers: { location: `${MONITOR_PREFIX}/${url.search}` } });
}
