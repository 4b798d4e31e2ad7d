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

export function requireAdmin(password: string) {
  return createMiddleware(async (ctx) => {
    if (!isAdminAuthorization(ctx.getHeader("authorization"), password)) {
      throw apiError("auth/required", undefined, undefined, { "WWW-Authenticate": 'Basic realm="Arbiter admin", charset="UTF-8"' });
    }
  });
}
