/**
 * The README's "Writing a plugin" example, loaded exactly as written: its code block is copied into
 * a plugins folder inside the repository (so its relative import resolves) and a real server runs
 * it; a player's move reaches its counter and its route serves the count.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readmeExample, REPO_ROOT } from "../support/readme.ts";
import { bootTestServer, joinWorld, seenAt, waitFor, writeWorlds, type TestServer } from "../support/server.ts";

const MARKER = "<!-- example: plugins/step-counter/index.ts -->";

let server: TestServer;
let pluginsDir: string;

beforeAll(async () => {
  pluginsDir = mkdtempSync(join(REPO_ROOT, ".tmp-readme-plugins-"));
  mkdirSync(join(pluginsDir, "step-counter"));
  writeFileSync(join(pluginsDir, "step-counter", "index.ts"), readmeExample(MARKER));
  server = await bootTestServer(writeWorlds({ lane: { map: ["######", "#S...#", "######"] } }), { PLUGINS_DIR: pluginsDir });
});

afterAll(async () => {
  await server?.shutdown();
  rmSync(pluginsDir, { recursive: true, force: true });
});

describe("the README's plugin example", () => {
  it("loads, counts a move and serves the count at GET /api/step-counter/steps", async () => {
    const plugins = (await (await fetch(`http://127.0.0.1:${server.port}/api/plugins`)).json()) as { plugins: Array<{ id: string; state: string; routes: unknown[] }> };
    expect(plugins.plugins).toMatchObject([{ id: "step-counter", state: "enabled", routes: [{ method: "GET", path: "/api/step-counter/steps" }] }]);
    const a = await joinWorld(server.client(), { worldId: "lane" });
    a.room.send("move", { dir: "E" });
    await waitFor(() => seenAt(a.room, a.welcome.actorId)?.[0] === 2, "the move");
    const res = await fetch(`http://127.0.0.1:${server.port}/api/step-counter/steps`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ steps: 1 });
    await a.room.leave();
  });
});
