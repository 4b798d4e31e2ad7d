/**
 * Admin-only routes: HTTP basic auth, user `admin`, password `ADMIN_PASSWORD`, compared in constant
 * time. A missing or wrong credential answers 401 `auth/required` with a `WWW-Authenticate` challenge.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createMiddleware } from "@colyseus/better-call";
import { ADMIN_USER } from "../app-constants.ts";
import { apiError } from "./errors.ts";

export function isAdminAuthorization(header: string | null | undefined, password: string): boolean {
  if (!header || !header.toLowerCase().startsWith("basic ")) return false;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), digest(ADMIN_USER));
  const passwordOk = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(password));
  return userOk && passwordOk;
}

/** The challenge sent with every `auth/required` answer. */
export const ADMIN_CHALLENGE = { "WWW-Authenticate": 'Basic realm="Arbiter admin", charset="UTF-8"' } as const;

/** Every middleware {@link requireAdmin} made, so the edge can tell admin routes (no CORS) apart. */
const adminMiddlewares = new WeakSet<object>();

/** Better-call middleware: 401 `auth/required` (with a challenge) unless the admin credentials are sent. */
export function requireAdmin(password: string) {
  const middleware = createMiddleware(async (ctx) => {
    if (!isAdminAuthorization(ctx.getHeader("authorization"), password)) {
      throw apiError("auth/required", undefined, undefined, { ...ADMIN_CHALLENGE });
    }
  });
  adminMiddlewares.add(middleware);
  return middleware;
}

/** True when an endpoint (a router route's `data`) runs a {@link requireAdmin} middleware. */
export function requiresAdmin(endpoint: { options?: { use?: readonly unknown[] } } | undefined): boolean {
  return endpoint?.options?.use?.some((m) => typeof m === "function" && adminMiddlewares.has(m)) ?? false;
}
