/**
 * What clients and admins read about the worlds (issue 13): the list with each world's room figures,
 * a world's map and character templates, and every actor of a running world for the watch view.
 *
 * Room figures (clients, tick time, actor count) come from Colyseus's room cache (`matchMaker.query`,
 * the room's metadata refreshed once a second: rooms/world-room.ts), the same source the monitor reads;
 * actors come from the world's runtime in this process.
 */
import { matchMaker } from "@colyseus/core";
import type { World, WorldDef } from "../core/index.ts";
import { findDefaultTemplate } from "../sessions/character-gen.ts";
import { tierIndex } from "../stats/layout.ts";
import type { AdminWorldSummary, CharacterTemplateSummary, WatchAnswer, WorldDetail } from "../wire.ts";
import type { ServerServices } from "./services.ts";
import { worldPortOf } from "./world-ports.ts";

/** The room name worlds run under (app.ts). */
const WORLD_ROOM = "world";

interface RoomFigures {
  clients: number;
  tickMs: number | null;
  actors: number;
  tick: number | null;
}

/** Room figures by world id, for every open world room. */
async function roomFigures(): Promise<Map<string, RoomFigures>> {
  const rooms = await matchMaker.query({ name: WORLD_ROOM });
  const figures = new Map<string, RoomFigures>();
  for (const room of rooms) {
    const meta = (room.metadata ?? {}) as { worldId?: unknown; tickMs?: unknown; actors?: unknown; tick?: unknown };
    if (typeof meta.worldId !== "string") continue;
    figures.set(meta.worldId, {
      clients: room.clients,
      tickMs: typeof meta.tickMs === "number" ? meta.tickMs : null,
      actors: typeof meta.actors === "number" ? meta.actors : 0,
      tick: typeof meta.tick === "number" ? meta.tick : null,
    });
  }
  return figures;
}

/** Every world file with its room's figures (`GET /api/admin/worlds`), by id. */
export async function listWorlds(services: ServerServices): Promise<AdminWorldSummary[]> {
  const figures = await roomFigures();
  return [...services.worlds.byId.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((def) => {
      const room = figures.get(def.id);
      const runtime = services.runtimes.get(def.id);
      return {
        id: def.id,
        name: def.name,
        playersOnline: room?.clients ?? 0,
        running: room !== undefined || runtime !== undefined,
        isDefault: def.id === services.worlds.defaultId,
        tick: runtime?.world.tick ?? room?.tick ?? null,
        tickMs: room?.tickMs ?? null,
        clients: room?.clients ?? 0,
        actors: room?.actors ?? 0,
      };
    });
}

/** A world's map and templates (`GET /api/worlds/:id`), or undefined for an unknown id. */
export async function describeWorld(services: ServerServices, worldId: string): Promise<WorldDetail | undefined> {
  const def = services.worlds.byId.get(worldId);
  if (def === undefined) return undefined;
  const room = (await roomFigures()).get(def.id);
  return {
    id: def.id,
    name: def.name,
    playersOnline: room?.clients ?? 0,
    running: room !== undefined || services.runtimes.has(def.id),
    isDefault: def.id === services.worlds.defaultId,
    tickRate: def.tickRate,
    width: Math.max(...def.map.map((row) => row.length)),
    height: def.map.length,
    map: def.map.map((row) => row.replaceAll("S", ".")),
    interestRadius: def.interestRadius ?? 0,
    characters: templatesFor(services, def),
  };
}

/** All templates, the world's default first, then by id. */
function templatesFor(services: ServerServices, def: WorldDef): CharacterTemplateSummary[] {
  const fallback = findDefaultTemplate(def.scenario ?? "default", services.worlds.templates);
  return [...services.worlds.templates.values()]
    .sort((a, b) => Number(b === fallback) - Number(a === fallback) || a.id.localeCompare(b.id))
    .map((t) => ({ id: t.id, name: t.name, traits: t.traits, stats: t.stats, isDefault: t === fallback }));
}

/**
 * Every actor of a running world, in this process or another (through its port), with its public
 * tiers (`GET /api/admin/worlds/:id/actors`); undefined when no room hosts it.
 */
export async function watchWorld(services: ServerServices, worldId: string): Promise<WatchAnswer | undefined> {
  return (await worldPortOf(services, worldId))?.watch();
}

/** What a world's port answers for `watch` (world-runtime.ts): every actor at the current tick. */
export function describeActors(world: World): WatchAnswer {
  return { worldId: world.id, tick: world.tick, actors: world.order.map((actor) => watchedActor(world, actor)) };
}

function watchedActor(world: World, actor: World["order"][number]): WatchAnswer["actors"][number] {
  const { layout } = world;
  const tiers: Record<string, string> = {};
  layout.slots.forEach((slot, i) => {
    if (!slot.public || !slot.tiers) return;
    const tier = slot.tiers[tierIndex(layout, i, actor.effective[i]!)];
    if (tier !== undefined) tiers[slot.key] = tier.id;
  });
  return { id: actor.id, kind: actor.kind, name: actor.name, x: actor.x, y: actor.y, downed: actor.respawnAt >= 0, tiers };
}
