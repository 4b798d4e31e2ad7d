/**
 * The plugin capabilities over the server's services (issue 9 §3), through the real server:
 * `storage` (own tables by own migrations, namespaced), `scheduler:register` (a task inside the
 * tick, every N ticks, its writes in the world's plugin state) and `sessions:read`.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices, loadConfig } from "../../src/server/boot.ts";
import { request } from "../support/http.ts";
import { bootTestServer, joinWorld, waitTicks, writeWorlds, type TestServer } from "../support/server.ts";

const SERVICES_PLUGINS = fileURLToPath(new URL("../fixtures/plugins/services", import.meta.url));
const SNEAKY_PLUGINS = fileURLToPath(new URL("../fixtures/plugins/sneaky", import.meta.url));
const LANE = { map: ["######", "#S..S#", "######"] };

let server: TestServer;

beforeAll(async () => {
  server = await bootTestServer(writeWorlds({ lane: LANE }), { PLUGINS_DIR: SERVICES_PLUGINS });
});

afterAll(async () => {
  await server?.shutdown();
});

describe("storage, scheduler and sessions capabilities", () => {
  it("storage: the plugin's migrations ran once, recorded apart from Arbiter's, and its table holds its row", () => {
    const db = server.services.store.db;
    expect(db.prepare("SELECT name FROM plugin_migrations WHERE plugin = 'ledger' ORDER BY name").pluck().all()).toEqual(["0001-entries", "0002-entries-index"]);
    expect(db.prepare("SELECT note FROM ledger_entries").pluck().all()).toEqual(["opened"]);
    expect(db.prepare("SELECT count(*) FROM schema_migrations WHERE name LIKE '%entries%'").pluck().get()).toBe(0);
  });

  it("scheduler: a task runs inside the tick on every 5th tick and writes the world's plugin state", async () => {
    const a = await joinWorld(server.client(), { worldId: "lane" });
    await waitTicks(a.room, 12);
    const world = server.services.runtimes.get("lane")!.world;
    const tallies = Math.floor(world.tick / 5);
    expect(world.pluginState.get("ledger")).toEqual({ tallies, at: tallies * 5 });
    await a.room.leave();
  });

  it("sessions:read: a plugin route reads a session", async () => {
    const created = await request(server.port, "POST", "/api/sessions", { body: { playerName: "Quill", worldId: "lane" } });
    const { id } = created.body as { id: string };
    const res = await fetch(`http://127.0.0.1:${server.port}/api/ledger/sessions/${id}`);
    expect(await res.json()).toEqual({ playerName: "Quill" });
    expect(await (await fetch(`http://127.0.0.1:${server.port}/api/ledger/sessions/nobody`)).json()).toEqual({ playerName: null });
  });

  it("a migration naming a table outside the plugin's namespace stops start-up, naming it", async () => {
    const config = loadConfig({ DATA_DIR: writeWorlds({ lane: LANE }), DATABASE_PATH: ":memory:", ADMIN_PASSWORD: "sneaky-admin", LOG_LEVEL: "silent", PLUGINS_DIR: SNEAKY_PLUGINS });
    await expect(createServices(config)).rejects.toMatchObject({
      code: "plugin/bad-migration",
      message: 'plugin sneaky: migration "0001-shadow" names table "sessions_shadow"; a plugin\'s objects are named sneaky_…',
    });
  });
});
