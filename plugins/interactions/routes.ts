/**
 * The dispatcher's HTTP routes (issue 10 "HTTP"):
 * - `GET /api/interactions`: the registered interactions, config schemas as JSON Schema;
 * - `GET /api/worlds/:worldId/npcs/:npcId/interactions`: an NPC's slots (ids and names, never configs);
 * - `GET /api/sessions/:sessionId/interactions/relationships`: the player's relationships per NPC met, each axis's
 *   value and tier: its live actor's when the session is in a running world, else as last saved
 *   (src/wire.ts `RelationshipsAnswer`); 404 `session/not-found`;
 * - `POST /api/interactions/execute` (admin): `{ worldId, sessionId, targetId, slotId | interactionId }`,
 *   queued into the next tick through the world's port (adjacency not required), answered with its
 *   result after that tick; a refusal answers its `interaction/*` code.
 */
import { z } from "zod";
import { ArbiterError } from "../../src/errors.ts";
import type { WorldDef } from "../../src/core/index.ts";
import type { RouteRegistry, SessionReader, WorldDirectory } from "../../src/plugins/api.ts";
import type { RelationshipsAnswer } from "../../src/wire.ts";
import { relationsOf } from "./relationships.ts";
import { clientPayloadSchema, INTERACTION_ERRORS, INTERACTION_ID, type InteractionEvent, type InteractionRegistry } from "./dispatcher.ts";
import { tierOf } from "../../src/stats/tiers.ts";

const executeBody = z.strictObject({
  worldId: z.string().min(1).max(64),
  sessionId: z.string().min(1).max(64),
  targetId: z.string().min(1).max(64),
  slotId: z.string().regex(INTERACTION_ID).optional(),
  interactionId: z.string().regex(INTERACTION_ID).optional(),
});

const issuesOf = (error: z.ZodError): string => error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");

export function registerRoutes(http: RouteRegistry, worlds: WorldDirectory, registry: InteractionRegistry): void {
  http.route("GET", "/", () => ({
    interactions: [...registry.interactions.values()].map((i) => ({ id: i.id, name: i.name, configSchema: z.toJSONSchema(i.configSchema, { unrepresentable: "any" }) })),
  }));
  http.npcRoute("GET", "/", ({ params }) => {
    const def = worlds.def(params["worldId"]!);
    if (def === undefined) throw new ArbiterError("world/not-found", `no world "${params["worldId"]}"`);
    const npc = def.npcs.find((n) => n.id === params["npcId"]);
    if (npc === undefined) throw new ArbiterError("npc/not-found", `no NPC "${params["npcId"]}" in world ${def.id}`);
    const section = npc.plugins?.["interactions"] as { slots?: Array<{ slotId: string; interactionId: string }> } | undefined;
    const slots = (section?.slots ?? []).map(({ slotId, interactionId }) => ({ slotId, interactionId, name: registry.interactions.get(interactionId)?.name ?? interactionId }));
    return { worldId: def.id, npcId: npc.id, slots };
  });
  http.route("POST", "/execute", async ({ body }) => execute(worlds, body), { admin: true });
}

async function execute(worlds: WorldDirectory, body: unknown) {
  const parsed = executeBody.safeParse(body);
  if (!parsed.success) throw new ArbiterError("request/invalid", issuesOf(parsed.error));
  const { worldId, sessionId, ...intent } = parsed.data;
  const attempt = clientPayloadSchema.safeParse(intent);
  if (!attempt.success) throw new ArbiterError("request/invalid", issuesOf(attempt.error));
  const port = await worlds.reach(worldId); // the world may run in another process (issue 14)
  if (port === undefined) throw new ArbiterError("world/not-found", `world "${worldId}" is not running (join it first)`);
  const outcome = await port.performAction(sessionId, "interact", { ...attempt.data, source: "admin" });
  if (!outcome.ok) throw new ArbiterError(outcome.code, outcome.message);
  const event = outcome.value.events.find((e): e is InteractionEvent => e.type === "interaction");
  if (event === undefined) throw new ArbiterError("interaction/not-available", "the attempt did not run in its tick");
  if (event.verdict !== "executed") throw new ArbiterError(event.code as keyof typeof INTERACTION_ERRORS, event.message);
  const { interactionId, slotId, targetId, success, message, effects } = event;
  return { tick: outcome.value.tick, interactionId, slotId, targetId, success, message, effects };
}

/** `GET /api/sessions/:sessionId/interactions/relationships` (the owner's or the admin's, as every session route). */
export function registerRelationshipRoute(http: RouteRegistry, worlds: WorldDirectory, sessions: SessionReader): void {
  http.sessionRoute("GET", "/relationships", ({ params }): RelationshipsAnswer => {
    const sessionId = params["sessionId"]!;
    const session = sessions.get(sessionId);
    if (session === undefined) throw new ArbiterError("session/not-found", `no session "${sessionId}"`);
    const live = worlds.sessionActor(sessionId);
    const def = live?.world.def ?? worlds.def(session.worldId);
    const saved = session.pluginState["interactions"] as { relationships?: Relations } | undefined;
    const relations = live !== undefined ? relationsOf(live.actor) : (saved?.relationships ?? session.stats.relationships);
    return { sessionId, worldId: def?.id ?? session.worldId, relationships: def === undefined ? {} : presentRelations(def, relations) };
  });
}

type Relations = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** Each NPC's axes with value and tier, from the world's `relationships` definition (seed 004). */
function presentRelations(def: WorldDef, relations: Relations): RelationshipsAnswer["relationships"] {
  const definition = def.stats.definitions["relationships"];
  if (definition === undefined || !definition.perEntity) return {};
  const out: Record<string, Record<string, { value: number; tier: string | null }>> = {};
  for (const [npc, values] of Object.entries(relations)) {
    out[npc] = {};
    for (const [axis, spec] of Object.entries(definition.axes)) {
      const value = values[axis] ?? spec.default;
      out[npc][axis] = { value, tier: tierOf(spec, value)?.id ?? null };
    }
  }
  return out;
}
