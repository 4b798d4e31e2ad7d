/**
 * World and NPC stat routes (seed 004 §2.3):
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
  return {
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
