/**
 * `interactions`: the interaction dispatcher (issue 10, seed 000). Registers the `interact` action
 * kind (its edge, edge.ts, refuses floods, forbidden fields and impossible attempts before the
 * tick; its method runs the attempt inside the tick, dispatcher.ts), provides
 * `interactions:register` to the interaction plugins (stealth, dialogue, items …), sends each
 * attempt's reply and notifications after the tick, audits every attempt (audit.ts) and serves the
 * HTTP routes (routes.ts).
 *
 * Messages: client → `interact { targetId, slotId }` or `{ targetId, interactionId }`; server →
 * `interaction { interactionId, slotId, targetId, success, message, effects }` to the actor,
 * `notification { kind, message, from }` to other players affected, `error { code, message }`.
 */
import { z } from "zod";
import { defineActionKind, queueAction, type Method, type World } from "../../src/core/index.ts";
import { definePlugin, type ClientMessenger, type WorldDirectory } from "../../src/plugins/api.ts";
import { createAudit, type Audit } from "./audit.ts";
import type { EffectKind, InteractionRegistrar } from "./contract.ts";
import { alreadyQueued, clientPayloadSchema, INTERACTION_ERRORS, INTERACTION_ID, InteractionRegistry, type InteractPayload, type InteractionEvent } from "./dispatcher.ts";
import { createInteractEdge } from "./edge.ts";
import { changeRelationship } from "./relationships.ts";
import { registerRelationshipRoute, registerRoutes } from "./routes.ts";
import type { ErrorMessage, InteractionMessage, NotificationMessage } from "../../src/wire.ts";


/** Audits of the servers running in this process (tests start several), flushed at shutdown. */
const audits = new Set<Audit>();

export default definePlugin({
  manifest: {
    id: "interactions",
    name: "Interactions",
    version: "1.0.0",
    description: "One server-side dispatcher for every interaction: client intents, NPC AI and scheduled jobs, inside the tick, audited.",
    tags: ["interactions"],
    permissions: ["actions:register", "events:subscribe", "world-state", "clients:send", "worlds:read", "sessions:read", "storage", "http:routes"],
  },
  async onLoad(ctx) {
    const registry = new InteractionRegistry(); // one per server: a test process may start several
    ctx.defineErrors(INTERACTION_ERRORS);
    const audit = await createAudit(ctx.storage);
    audits.add(audit);
    ctx.state.sections({ npc: slotsSection(registry) });
    const runInteract: Method = (tick, action) => registry.run(tick, action);
    ctx.actions.register(
      defineActionKind({ name: "interact", payload: clientPayloadSchema, control: () => ({ ok: true, value: { behaviour: "Moveable", method: runInteract, dir: "N" } }) }),
      createInteractEdge(registry, audit),
    );
    // A player's relationships start from its session's (seed 004 `stats.relationships`) the
    // first time it joins with this plugin; from then on they live in the plugin's state.
    ctx.state.initialActor((player) => (Object.keys(player.stats.relationships).length > 0 ? { relationships: player.stats.relationships } : undefined));
    ctx.events.define("interaction");
    ctx.events.on("interaction", replies(ctx.clients, ctx.worlds, audit));
    registry.registerEffect(RELATIONSHIP_EFFECT);
    ctx.provide("interactions:register", createRegistrar(registry));
    registerRoutes(ctx.http, ctx.worlds, registry);
    registerRelationshipRoute(ctx.http, ctx.worlds, ctx.sessions);
  },
  onDisable() {
    for (const audit of audits) audit.flush();
    audits.clear();
  },
});

/**
 * `npcs[].plugins.interactions: { slots: [{ slotId, interactionId, config }] }`, each config
 * validated by its interaction's schema at start-up (world-extensions.ts names file and path).
 */
function slotsSection(registry: InteractionRegistry) {
  const slot = z.strictObject({ slotId: z.string().regex(INTERACTION_ID), interactionId: z.string().regex(INTERACTION_ID), config: z.unknown().default({}) });
  return z.strictObject({ slots: z.array(slot).max(64) }).superRefine((section, check) => {
    const seen = new Set<string>();
    section.slots.forEach((s, i) => {
      if (seen.has(s.slotId)) check.addIssue({ code: "custom", path: ["slots", i, "slotId"], message: `slot "${s.slotId}" is listed twice` });
      seen.add(s.slotId);
      const parsed = registry.parseConfig(s.interactionId, s.config);
      const at = registry.interactions.has(s.interactionId) ? "config" : "interactionId";
      if (!parsed.ok) for (const p of parsed.problems) check.addIssue({ code: "custom", path: ["slots", i, at, ...(p.path as Array<string | number>)], message: p.message });
    });
  });
}

/** After the tick: audit each attempt, answer its actor, notify the players it affected. */
function replies(clients: ClientMessenger, worlds: WorldDirectory, audit: Audit) {
  return (event: InteractionEvent, tick: number, world: World): void => {
    audit.outcome({ world, tick, sessionId: worlds.sessionOf(world.id, event.actorId), event });
    if (event.verdict !== "executed") {
      clients.send(world.id, event.actorId, "error", { code: event.code ?? "internal", message: event.message } satisfies ErrorMessage);
      return;
    }
    const { interactionId, slotId, targetId, success, message, effects } = event;
    clients.send(world.id, event.actorId, "interaction", { interactionId, slotId, targetId, success, message, effects } satisfies InteractionMessage);
    for (const notice of event.notify) clients.send(world.id, notice.actorId, "notification", { kind: notice.kind, message: notice.message, from: event.actorId } satisfies NotificationMessage);
  };
}

/** `{ kind: "relationship", playerId, npcId, axis, delta }`: how an NPC regards a player (relationships.ts). */
const RELATIONSHIP_EFFECT: EffectKind = {
  kind: "relationship",
  apply(ictx, effect) {
    const { playerId, npcId, axis, delta } = effect as unknown as { playerId: string; npcId: string; axis: string; delta: number };
    const player = ictx.world.byId.get(playerId);
    if (player === undefined) return `no actor "${playerId}"`;
    const changed = changeRelationship(ictx.tick, player, npcId, axis, delta);
    return typeof changed === "string" ? changed : null;
  },
};

function createRegistrar(registry: InteractionRegistry): InteractionRegistrar {
  return {
    register: (interaction) => registry.register(interaction),
    registerEffect: (kind) => registry.registerEffect(kind),
    queue(world, actorId, attempt) {
      // Never replace an attempt already waiting for this tick (a player's, say).
      const waiting = alreadyQueued(world, world.byId.get(actorId));
      if (waiting !== undefined) return { ok: false, ...waiting };
      const payload: InteractPayload = { targetId: attempt.targetId, source: attempt.source };
      if (attempt.slotId !== undefined) payload.slotId = attempt.slotId;
      if (attempt.interactionId !== undefined) payload.interactionId = attempt.interactionId;
      if (attempt.config !== undefined) payload.config = attempt.config;
      const queued = queueAction(world, actorId, "interact", payload);
      return queued.ok ? { ok: true } : { ok: false, code: queued.code, message: queued.message };
    },
  };
}
