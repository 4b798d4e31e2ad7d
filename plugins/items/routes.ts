/**
 * The `items` plugin's HTTP routes (prefix `inventory`, mounted on the session resource):
 * - `GET /api/sessions/:sessionId/inventory`: the session's inventory `{ sessionId, worldId,
 *   actorId, gold, items, equipped }`: its live actor's when the session is in a running world
 *   (`actorId` set), else the one saved in the session (`actorId: null`; a session that never
 *   joined answers its template's starting inventory). 404 `session/not-found`.
 * - `POST /api/sessions/:sessionId/inventory/add` and `/remove` (admin): body `{ itemId, count }`
 *   or `{ gold }`; submits the journaled `item-add` / `item-remove` action for the session's actor
 *   and answers after its tick with `{ tick, message, gold, items, equipped }`. 409
 *   `session/not-in-world` when the session has no actor in a running world; the operation's own
 *   refusal (`items/not-held` …) otherwise.
 * - `GET /api/inventory/items`: the catalog, each item's id, name, description, value, whether it
 *   stacks, its slot and whether it can be used (src/wire.ts `ItemSummary`; no modifiers), by id;
 * - `GET /api/worlds/:worldId/npcs/:npcId/inventory` (admin: what an NPC carries is no player's
 *   business): the NPC's inventory in the running world `{ worldId, npcId, gold, items, equipped }`.
 *   404 `world/not-found` (also when the world is not running now), `npc/not-found`.
 */
import type { PlainData } from "../../src/core/index.ts";
import { ArbiterError } from "../../src/errors.ts";
import type { PlayerSeed, RouteRegistry, SessionReader, WorldDirectory } from "../../src/plugins/api.ts";
import type { ItemSummary } from "../../src/wire.ts";
import type { Catalog } from "./catalog.ts";
import type { ItemEvent } from "./codes.ts";
import { INVENTORY_PLUGIN, inventoryFrom, inventoryOf, type Inventory } from "./inventory.ts";
import { amountPayload } from "./operations.ts";

export interface RouteDeps {
  readonly http: RouteRegistry;
  readonly catalog: Catalog;
  readonly sessions: SessionReader;
  readonly worlds: WorldDirectory;
  /** The starting inventory of a player who has none (starting.ts). */
  readonly seed: (player: PlayerSeed) => PlainData | undefined;
}

const present = (inventory: Inventory) => ({ gold: inventory.gold, items: inventory.items, equipped: inventory.equipped });

export function registerRoutes(deps: RouteDeps): void {
  const { http, sessions, worlds } = deps;
  const items: ItemSummary[] = [...deps.catalog.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((item) => ({ id: item.id, name: item.name, description: item.description, value: item.value, stackable: item.stackable, slot: item.slot ?? null, usable: item.use !== undefined }));
  http.route("GET", "/items", () => ({ items }));
  http.sessionRoute("GET", "/", ({ params }) => {
    const sessionId = params["sessionId"]!;
    const session = sessions.get(sessionId);
    if (session === undefined) throw new ArbiterError("session/not-found", `no session "${sessionId}"`);
    const live = worlds.sessionActor(sessionId);
    if (live !== undefined) return { sessionId, worldId: live.world.id, actorId: live.actor.id, ...present(inventoryOf(live.actor)) };
    const saved = Object.hasOwn(session.pluginState, INVENTORY_PLUGIN)
      ? session.pluginState[INVENTORY_PLUGIN]
      : deps.seed({ worldId: session.worldId, character: session.character, stats: session.stats });
    return { sessionId, worldId: session.worldId, actorId: null, ...present(inventoryFrom(saved)) };
  });
  http.npcRoute("GET", "/", ({ params }) => {
    const worldId = params["worldId"]!;
    const npcId = params["npcId"]!;
    const world = worlds.world(worldId);
    if (world === undefined) throw new ArbiterError("world/not-found", `world "${worldId}" is not running (join it first)`);
    const npc = world.byId.get(npcId);
    if (npc === undefined || npc.kind !== "npc") throw new ArbiterError("npc/not-found", `no NPC "${npcId}" in world ${worldId}`);
    return { worldId, npcId, ...present(inventoryOf(npc)) };
  }, { admin: true });
  for (const [path, kind] of [["/add", "item-add"], ["/remove", "item-remove"]] as const) {
    http.sessionRoute("POST", path, async ({ params, body }) => {
      const sessionId = params["sessionId"]!;
      const parsed = amountPayload.safeParse(body);
      if (!parsed.success) throw new ArbiterError("request/invalid", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
      if (sessions.get(sessionId) === undefined) throw new ArbiterError("session/not-found", `no session "${sessionId}"`);
      const live = worlds.sessionActor(sessionId);
      const port = live === undefined ? undefined : worlds.port(live.world.id);
      if (live === undefined || port === undefined) throw new ArbiterError("session/not-in-world", `session "${sessionId}" has no actor in a running world`);
      const outcome = await port.performAction(sessionId, kind, parsed.data);
      if (!outcome.ok) throw new ArbiterError(outcome.code, outcome.message);
      const event = outcome.value.events.find((e): e is ItemEvent => e.type === "item" && e.op === kind);
      if (event === undefined) throw new ArbiterError("internal", `${kind} did not run in tick ${outcome.value.tick}`);
      if (event.verdict === "refused") throw new ArbiterError(event.code!, event.message);
      return { tick: outcome.value.tick, message: event.message, ...present(inventoryOf(live.actor)) };
    }, { admin: true });
  }
}
