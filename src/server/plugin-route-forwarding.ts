/**
 * Plugin routes that belong to one world run where that world runs (issue 14). A plugin's route
 * under a session (`/api/sessions/:sessionId/…`, the session's world) or under an NPC
 * (`/api/worlds/:worldId/npcs/:npcId/…`) reads that world's live state (an inventory, the
 * relationships). When another process hosts the world, the route is forwarded to it through the
 * world's port ({@link PluginRouteCall}, world-ports.ts) and its handler runs there, so the answer
 * and its error codes are the same as on the hosting process. Other routes run where they arrive.
 */
import { ArbiterError, type ErrorCode } from "../errors.ts";
import type { PluginRouteHandler } from "../plugins/api.ts";
import type { ServerServices } from "./services.ts";

/** One plugin route call, by its method and path (`GET /api/sessions/:sessionId/inventory`). */
export interface PluginRouteCall {
  key: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** A plugin route's answer as it crosses processes: the body, or the `ArbiterError` it threw. */
export type PluginRouteAnswer = { ok: true; body: unknown } | { ok: false; code: ErrorCode; message: string; details?: unknown };

/** The world a plugin route call belongs to, or undefined for a route of no particular world. */
export async function worldOfRoute(path: string, params: Record<string, string>, services: Pick<ServerServices, "connectedSessions">): Promise<string | undefined> {
  if (path.startsWith("/api/sessions/:sessionId/") && params["sessionId"] !== undefined) return services.connectedSessions.find(params["sessionId"]);
  if (path.startsWith("/api/worlds/:worldId/npcs/:npcId/")) return params["worldId"];
  return undefined;
}

/** Runs a forwarded call with this process's handler of that route (the hosting process's side). */
export async function answerPluginRoute(services: Pick<ServerServices, "plugins">, call: PluginRouteCall): Promise<PluginRouteAnswer> {
  const route = services.plugins.routes.find((r) => `${r.method} ${r.path}` === call.key);
  if (route === undefined) return { ok: false, code: "request/no-route", message: `no plugin route ${call.key} in the process hosting the world` };
  return runPluginHandler(route.handler, call);
}

/** Calls a plugin's handler; an `ArbiterError` becomes a refusal, anything else is rethrown (500, logged). */
export async function runPluginHandler(handler: PluginRouteHandler, call: Omit<PluginRouteCall, "key">): Promise<PluginRouteAnswer> {
  try {
    return { ok: true, body: (await handler({ params: call.params, query: call.query, body: call.body })) ?? null };
  } catch (error) {
    if (error instanceof ArbiterError) return { ok: false, code: error.code, message: error.message, details: error.details };
    throw error;
  }
}
