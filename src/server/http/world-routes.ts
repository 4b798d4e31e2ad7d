/**
 * World and NPC stat routes (seed 004 §2.3; issue 13 for the list and the detail):
 * - `GET /api/worlds` — every world: id, name, players online, whether its room is open;
 * - `GET /api/worlds/:id` — a world's map, size, tick rate, interest radius and character templates
 *   (src/wire.ts `WorldDetail`); 404 `world/not-found`;
 * - `GET /api/admin/worlds` (admin) — the same list with each room's tick, tick time, clients, actors;
 * - `GET /api/admin/worlds/:id/actors` (admin) — every actor of a running world, with public tiers
 *   (the watch view); 404 `world/not-found` for an unknown world, 409 `world/not-running` for one
 *   whose room is closed;
 * - `GET /api/worlds/:id/stats-config` — the world's stat definitions and creation rules;
 * - `GET /api/npcs/:id/stats/:type?worldId=` — an NPC's effective, normalized stats;
 * - `PATCH /api/npcs/:id/stats/:type?worldId=` (admin) — sets runtime overrides; an unknown stat
 *   or an out-of-range value answers 400 naming which.
 * `worldId` defaults to the default world: NPC ids are unique per world.
 */
import { createEndpoint } from "@colyseus/better-call";
import { z } from "zod";
import type { Result, WorldDef } from "../../core/index.ts";
import { boundedRecord } from "../protocol.ts";
import type { ServerServices } from "../services.ts";
import { readNpcStats, writeNpcStats, type NormalizedStats } from "../world-access.ts";
import { describeWorld, listWorlds, watchWorld } from "../world-directory.ts";
import { requireAdmin } from "./admin-auth.ts";
import { apiError, rejectInvalid } from "./errors.ts";

const worldQuery = z.object({ worldId: z.string().min(1).max(64).optional() });
const statValuesBody = boundedRecord(z.string().min(1).max(64), z.int(), { maxKeys: 64, keyRule: "stat names are 1–64 characters" }).refine(
  (v) => Object.keys(v).length > 0,
  "give at least one stat",
);

export function worldRoutes(services: ServerServices) {
  const worldOf = (id: string | undefined): WorldDef => {
    const worldId = id ?? services.worlds.defaultId;
    const def = services.worlds.byId.get(worldId);
    if (!def) throw apiError("world/not-found", `no world "${worldId}" (have: ${[...services.worlds.byId.keys()].join(", ")})`);
    return def;
  };
  const admin = [requireAdmin(services.adminPassword)];
  return {
    listWorlds: createEndpoint("/api/worlds", { method: "GET" }, async () => ({
      worlds: (await listWorlds(services)).map(({ id, name, playersOnline, running, isDefault }) => ({ id, name, playersOnline, running, isDefault })),
    })),
    getWorld: createEndpoint("/api/worlds/:id", { method: "GET" }, async (ctx) => {
      const detail = await describeWorld(services, ctx.params.id);
      if (detail === undefined) worldOf(ctx.params.id);
      return detail!;
    }),
    listWorldsAdmin: createEndpoint("/api/admin/worlds", { method: "GET", use: admin }, async () => ({ worlds: await listWorlds(services) })),
    watchWorld: createEndpoint("/api/admin/worlds/:id/actors", { method: "GET", use: admin }, async (ctx) => {
      const def = worldOf(ctx.params.id);
      const answer = await watchWorld(services, def.id);
      if (answer === undefined) throw apiError("world/not-running", `world "${def.id}" has no open room; it opens when a player joins`);
      return answer;
    }),
    getStatsConfig: createEndpoint("/api/worlds/:id/stats-config", { method: "GET", onValidationError: rejectInvalid }, async (ctx) => {
      const def = worldOf(ctx.params.id);
      return { worldId: def.id, ...def.stats };
    }),
    getNpcStats: createEndpoint("/api/npcs/:id/stats/:type", { method: "GET", query: worldQuery, onValidationError: rejectInvalid }, async (ctx) => {
      const def = worldOf(ctx.query.worldId);
      return answer(def, ctx.params.id, ctx.params.type, await readNpcStats(services, def, ctx.params.id, ctx.params.type));
    }),
    patchNpcStats: createEndpoint(
      "/api/npcs/:id/stats/:type",
      { method: "PATCH", query: worldQuery, body: statValuesBody, use: [requireAdmin(services.adminPassword)], onValidationError: rejectInvalid },
      async (ctx) => {
        const def = worldOf(ctx.query.worldId);
        return answer(def, ctx.params.id, ctx.params.type, await writeNpcStats(services, def, ctx.params.id, ctx.params.type, ctx.body));
      },
    ),
  };
}

function answer(def: WorldDef, npcId: string, type: string, result: Result<NormalizedStats>) {
  if (!result.ok) throw apiError(result.code, result.message);
  return { worldId: def.id, npcId, type, stats: result.value };
}
