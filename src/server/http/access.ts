/**
 * Who may call a route (issue 12).
 * - Admin routes: the admin (HTTP basic auth, user `admin`, http/admin-auth.ts).
 * - Player routes: a player token (`Authorization: Bearer <token>`, from @colyseus/auth's routes),
 *   or the admin. Under a session (`/api/sessions/:id…`) the token must be of the user the session
 *   belongs to. A session from before accounts (no user) is open to any signed-in player who has
 *   its id, as before accounts, until one resumes it over WebSocket and so claims it. An unknown
 *   session id passes, for the route to answer 404 `session/not-found`.
 * Refusals: 401 `auth/token-required` (no token), 401 `auth/invalid-token`, 403 `session/forbidden`.
 * The edge checks credentials before it reads a request ({@link createRouteAuthorizer}); each
 * route's middleware checks again, and checks ownership.
 */
import { createMiddleware } from "@colyseus/better-call";
import { bearerToken, userOfToken, type User } from "../accounts.ts";
import type { ServerServices } from "../services.ts";
import type { ErrorCode } from "../../errors.ts";
import { ADMIN_CHALLENGE, isAdminAuthorization, requiresAdmin } from "./admin-auth.ts";
import { apiError } from "./errors.ts";

/** Who is calling: the admin, or a signed-in user. */
export type Caller = { admin: true } | { admin: false; user: User };

/** The user whose token an `Authorization` header carries; throws 401 `auth/token-required` or `auth/invalid-token`. */
async function playerOf(services: Pick<ServerServices, "accounts">, authorization: string | null | undefined): Promise<User> {
  const token = bearerToken(authorization);
  if (token === undefined) throw apiError("auth/token-required");
  const user = await userOfToken(services.accounts, token);
  if (user === undefined) throw apiError("auth/invalid-token");
  return user;
}

/** The caller of a request, from its `Authorization` header: the admin, else a player; throws the 401s above. */
export async function callerOf(services: Pick<ServerServices, "accounts" | "adminPassword">, authorization: string | null | undefined): Promise<Caller> {
  if (isAdminAuthorization(authorization, services.adminPassword)) return { admin: true };
  return { admin: false, user: await playerOf(services, authorization) };
}

/** Every middleware made here, so a route's access can be told from the route (the route sweep test). */
const playerMiddlewares = new WeakSet<object>();

function tagged<M extends object>(middleware: M): M {
  playerMiddlewares.add(middleware);
  return middleware;
}

/** True when an endpoint (a router route's `data`) requires a signed-in player (or the admin) through this module. */
export function requiresPlayer(endpoint: { options?: { use?: readonly unknown[] } } | undefined): boolean {
  return endpoint?.options?.use?.some((m) => typeof m === "function" && playerMiddlewares.has(m)) ?? false;
}

/** Better-call middleware for routes under a session (`:param` names its id): its owner or the admin. */
export function requireSessionAccess(services: Pick<ServerServices, "accounts" | "adminPassword" | "sessions">, param = "id") {
  return tagged(createMiddleware(async (ctx) => {
    const caller = await callerOf(services, ctx.getHeader("authorization"));
    const sessionId = (ctx.params as Record<string, string> | undefined)?.[param];
    const session = sessionId === undefined ? undefined : services.sessions.get(sessionId);
    if (!caller.admin && session !== undefined && session.userId !== null && session.userId !== caller.user.id) {
      throw apiError("session/forbidden", `session "${sessionId}" belongs to another user`);
    }
    return { caller };
  }));
}

/**
 * The HTTP edge's credential check (http/edge.ts `authorize`), run before a request is read or
 * validated: an admin route needs the admin (401 `auth/required` with its challenge), a player route
 * a valid player token or the admin (401 `auth/token-required` / `auth/invalid-token`). Ownership
 * of a session is then the route's middleware's to check, as is everything for a direct call.
 */
export function createRouteAuthorizer(services: Pick<ServerServices, "accounts" | "adminPassword">) {
  return async (endpoint: unknown, authorization: string | undefined): Promise<{ code: ErrorCode; headers?: Readonly<Record<string, string>> } | undefined> => {
    const route = endpoint as Parameters<typeof requiresAdmin>[0];
    if (requiresAdmin(route)) return isAdminAuthorization(authorization, services.adminPassword) ? undefined : { code: "auth/required", headers: ADMIN_CHALLENGE };
    if (!requiresPlayer(route) || isAdminAuthorization(authorization, services.adminPassword)) return undefined;
    const token = bearerToken(authorization);
    if (token === undefined) return { code: "auth/token-required" };
    return (await userOfToken(services.accounts, token)) === undefined ? { code: "auth/invalid-token" } : undefined;
  };
}

/** Better-call middleware for routes that act as a player (creating a session): a signed-in user; the admin has none. */
export function requirePlayer(services: Pick<ServerServices, "accounts">) {
  return tagged(createMiddleware(async (ctx) => ({ user: await playerOf(services, ctx.getHeader("authorization")) })));
}
