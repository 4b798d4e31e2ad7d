/**
 * Issue 12: one admin identity guards every admin surface, and a session is its owner's. This walks
 * every route the running server serves, taken from its routers (the API with the plugins' routes
 * and matchmaking, then the monitor's), never from a hand list, and calls each without credentials:
 * each admin route answers 401 `auth/required`, each player route 401 `auth/token-required`, and no
 * other route fails (5xx). `/metrics` (express) is checked beside them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requiresAdmin } from "../../src/server/http/admin-auth.ts";
import { createMonitorRouter } from "../../src/server/http/monitor-routes.ts";
import { requiresPlayer } from "../../src/server/http/access.ts";
import { request } from "../support/http.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface SweptRoute {
  method: string;
  path: string;
  endpoint: { path: string; options?: { method?: string | string[]; use?: readonly unknown[] } };
}

let server: TestServer;
let routes: SweptRoute[];

beforeAll(async () => {
  // Every 401 counts as a failed login for the address: lift that limit for the sweep.
  server = await startTestServer({ quay: { map: ["#####", "#S..#", "#####"], npcs: [] } }, { AUTH_FAILURE_LIMIT: "10000" });
  const routers = [server.colyseus.server.router, createMonitorRouter(server.services)] as unknown as Array<{ endpoints: Record<string, SweptRoute["endpoint"]> }>;
  routes = routers.flatMap((router) =>
    Object.values(router.endpoints).flatMap((endpoint) =>
      [endpoint.options?.method ?? "GET"].flat().filter((m) => m !== "*").map((method) => ({ method, path: concrete(endpoint.path), endpoint })),
    ),
  );
});
afterAll(async () => {
  await server?.shutdown();
});

/** A path with each `:param` and `**` filled in. */
function concrete(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, "sweep-$1").replace("**", "sweep");
}

describe("every registered route without credentials", () => {
  it("finds the server's, the plugins' and the monitor's routes", () => {
    const paths = new Set(routes.map((r) => `${r.method} ${r.endpoint.path}`));
    for (const known of ["POST /api/sessions", "GET /api/sessions/:id", "GET /api/sessions/:sessionId/inventory", "POST /auth/anonymous", "GET /api/admin/worlds/:id/explain"]) expect(paths).toContain(known);
    expect(routes.filter((r) => r.endpoint.path.startsWith("/monitor")).length).toBeGreaterThan(0);
  });

  it("admin routes answer 401 auth/required, player routes 401 auth/token-required, the rest never 5xx", async () => {
    const wrong: string[] = [];
    let admin = 0;
    let player = 0;
    for (const route of routes) {
      const reply = await request(server.port, route.method, route.path, { signedOut: true, ...(["POST", "PUT", "PATCH"].includes(route.method) ? { body: {} } : {}) });
      const code = typeof reply.body === "object" && reply.body !== null ? reply.body.error?.code : undefined;
      const seen = `${route.method} ${route.endpoint.path}: ${reply.status} ${code}`;
      const wanted = requiresAdmin(route.endpoint) ? "401 auth/required" : requiresPlayer(route.endpoint) ? "401 auth/token-required" : undefined;
      if (wanted === "401 auth/required") admin++;
      if (wanted === "401 auth/token-required") player++;
      // Colyseus answers its own matchmaking refusals with its codes 520–524 (what the SDK reads).
      const failed = reply.status >= 500 && !(route.endpoint.path.startsWith("/matchmake/") && reply.status >= 520 && reply.status <= 524);
      if (wanted !== undefined ? !seen.endsWith(`: ${wanted}`) : failed) wrong.push(`${seen} (wanted ${wanted ?? "below 500"})`);
    }
    expect(wrong).toEqual([]);
    // The plugins' admin routes (items, interactions) and the monitor's are among them.
    expect(admin).toBeGreaterThanOrEqual(5);
    expect(player).toBe(routes.filter((r) => r.endpoint.path.startsWith("/api/sessions")).length - routes.filter((r) => r.endpoint.path.startsWith("/api/sessions") && requiresAdmin(r.endpoint)).length);
    const metrics = await request(server.port, "GET", "/metrics");
    expect([metrics.status, metrics.body.error?.code]).toEqual([401, "auth/required"]);
  });
});
