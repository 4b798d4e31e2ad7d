/**
 * The web client (issue 13), served by the same server from its Vite build (`npm run build:web`
 * writes `dist/web/`; `npm start` builds it first):
 * - `GET /` — the player's page (`index.html`): sign in, create or resume a character, play;
 * - `GET /watch` — the admins' page (`watch.html`): every world, every actor, causal traces. It needs
 *   the admin credentials (HTTP basic, user `admin`, `ADMIN_PASSWORD`): without them 401
 *   `auth/required` with a challenge, so a browser asks for them;
 * - `GET /assets/*` — the bundles, named by content hash: cached for a year (`immutable`).
 * Nothing else of the build is reachable (`/watch.html` is 404, not an unguarded copy of `/watch`).
 * Both pages get a Content-Security-Policy that allows only this origin's scripts, styles and
 * WebSocket. Before the client is built, `/` and `/watch` answer 503 `web/not-built`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Application, type Response } from "express";
import { makeError } from "../../errors.ts";
import type { ServerServices } from "../services.ts";
import { ADMIN_CHALLENGE, isAdminAuthorization } from "./admin-auth.ts";

/** Where `npm run build:web` writes the client (vite.config.ts `build.outDir`). */
export const WEB_DIR = fileURLToPath(new URL("../../../dist/web/", import.meta.url));

/** What the pages may load: this origin only, its WebSocket included; no framing, no inline script. */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

export function mountWebClient(app: Application, services: ServerServices, webDir = WEB_DIR): void {
  const page = (file: string) => (res: Response) => {
    const path = join(webDir, file);
    if (!existsSync(path)) {
      res.status(503).json({ error: makeError("web/not-built", `the web client is not built: run "npm run build:web" (expected ${file} in ${webDir})`) });
      return;
    }
    res.set({ "Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-cache" }).sendFile(path);
  };
  const play = page("index.html");
  const watch = page("watch.html");
  app.get(["/", "/index.html"], (_req, res) => play(res));
  app.get(["/watch", "/watch/"], (req, res) => {
    if (!isAdminAuthorization(req.headers.authorization, services.adminPassword)) {
      res.status(401).set(ADMIN_CHALLENGE).json({ error: makeError("auth/required", "the watch view needs the admin credentials") });
      return;
    }
    watch(res);
  });
  // The edge sets `no-store` on every answer; a content-hashed bundle never changes, so it may be kept.
  const keep = (res: Response) => res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
  app.use("/assets", express.static(join(webDir, "assets"), { index: false, fallthrough: true, setHeaders: keep }));
}
