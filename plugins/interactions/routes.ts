/**
 * The dispatcher's HTTP routes (issue 10 "HTTP"):
 * - `GET /api/interactions`: the registered interactions, config schemas as JSON Schema;
 * - `GET /api/worlds/:worldId/npcs/:npcId/interactions`: an NPC's slots (ids and names, never configs);
 * - `POST /api/interactions/execute` (admin): `{ worldId, sessionId, targetId, slotId | interactionId }`,
 *   queued into the next tick through the world's port (adjacency not required), answered with its
 *   result after that tick; a refusal answers its `interaction/*` code.
 */
import { z } from "zod";
import { ArbiterError } from "../../src/errors.ts";
import type { RouteRegistry, WorldDirectory } from "../../src/plugins/api.ts";
import { clientPayloadSchema, INTERACTION_ERRORS, INTERACTION_ID, type InteractionEvent, type InteractionRegistry } from "./dispatcher.ts";

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
  const port = worlds.port(worldId);
  if (port === undefined) throw new ArbiterError("world/not-found", `world "${worldId}" is not running (join it first)`);
  const outcome = await port.performAction(sessionId, "interact", { ...attempt.data, source: "admin" });
  if (!outcome.ok) throw new ArbiterError(outcome.code, outcome.message);
  const event = outcome.value.events.find((e): e is InteractionEvent => e.type === "interaction");
  if (event === undefined) throw new ArbiterError("interaction/not-available", "the attempt did not run in its tick");
  if (event.verdict !== "executed") throw new ArbiterError(event.code as keyof typeof INTERACTION_ERRORS, event.message);
  const { interactionId, slotId, targetId, success, message, effects } = event;
  return { tick: outcome.value.tick, interactionId, slotId, targetId, success, message, effects };
}
