/**
 * `interactions`: the interaction dispatcher (issue 10, seed 000). Registers the `interact` action
 * kind (its edge refuses forbidden fields, floods and impossible attempts before the tick; the
 * method runs the attempt inside the tick, dispatcher.ts), provides `interactions:register` to the
 * interaction plugins (stealth, dialogue, items …), sends each attempt's reply and notifications
 * after the tick, audits every attempt and serves the HTTP routes:
 * - `GET /api/interactions`: registered interactions with their config schemas as JSON Schema;
 * - `GET /api/worlds/:worldId/npcs/:npcId/interactions`: the slots a client may use on that NPC;
 * - `POST /api/interactions/execute` (admin): a session's attempt, answered after its tick.
 *
 * Messages: client → `interact { targetId, slotId }` or `{ targetId, interactionId }`; server →
 * `interaction { interactionId, slotId, targetId, success, message, effects }` to the actor,
 * `notification { kind, message, from }` to other players affected, `error { code, message }`.
 */
import { z } from "zod";
import { defineActionKind, queueAction, type Method, type World } from "../../src/core/index.ts";
import { ArbiterError } from "../../src/errors.ts";
import { definePlugin, type ActionAttempt } from "../../src/plugins/api.ts";
import { createAudit, type Audit } from "./audit.ts";
import type { InteractionRegistrar } from "./contract.ts";
import { clientPayloadSchema, INTERACTION_ERRORS, INTERACTION_ID, InteractionRegistry, type InteractPayload, type InteractionEvent } from "./dispatcher.ts";
import { changeRelationship } from "./relationships.ts";

/** Attempts a client may make per second (issue 10 "Intents only"). */
export const ATTEMPTS_PER_SECOND = 2;
/** Above this many tracked sessions, the rate limiter forgets the ones idle for a second. */
const RATE_SWEEP_SIZE = 1024;
const ALLOWED_FIELDS = new Set(["targetId", "slotId", "interactionId"]);

const slotSchema = z.strictObject({ slotId: z.string().regex(INTERACTION_ID), interactionId: z.string().regex(INTERACTION_ID), config: z.unknown().default({}) });

/** Audits of the servers running in this process (tests start several), flushed at shutdown. */
const audits = new Set<Audit>();

export default definePlugin({
  manifest: {
    id: "interactions",
    name: "Interactions",
    version: "1.0.0",
    description: "One server-side dispatcher for every interaction: client intents, NPC AI and scheduled jobs, inside the tick, audited.",
    tags: ["interactions"],
    permissions: ["actions:register", "events:subscribe", "world-state", "clients:send", "worlds:read", "storage", "http:routes"],
  },
  async onLoad(ctx) {
    const registry = new InteractionRegistry(); // one per server: a test process may start several
    ctx.defineErrors(INTERACTION_ERRORS);
    const audit = await createAudit(ctx.storage);
    audits.add(audit);
    const recent = new Map<string, number[]>(); // session → attempt times (ms), the last second's

    // Slots are validated at start-up by each interaction's config schema (world-extensions.ts).
    ctx.state.sections({
      npc: z
        .strictObject({ slots: z.array(slotSchema).max(64) })
        .superRefine((section, check) => {
          const seen = new Set<string>();
          section.slots.forEach((slot, i) => {
            if (seen.has(slot.slotId)) check.addIssue({ code: "custom", path: ["slots", i, "slotId"], message: `slot "${slot.slotId}" is listed twice` });
            seen.add(slot.slotId);
            const parsed = registry.parseConfig(slot.interactionId, slot.config);
            if (!parsed.ok) for (const p of parsed.problems) check.addIssue({ code: "custom", path: ["slots", i, ...(registry.interactions.has(slot.interactionId) ? ["config"] : ["interactionId"]), ...(p.path as Array<string | number>)], message: p.message });
          });
        }),
    });

    const refuse = (attempt: ActionAttempt, code: keyof typeof INTERACTION_ERRORS | "command/invalid", message: string) => {
      audit.attempt({ world: attempt.world, sessionId: attempt.sessionId, actorId: attempt.actor.id, payload: attempt.payload, verdict: "refused", code });
      return { ok: false as const, code, message };
    };

    const runInteract: Method = (tick, action) => registry.run(tick, action);
    ctx.actions.register(
      defineActionKind({
        name: "interact",
        payload: clientPayloadSchema,
        control: () => ({ ok: true, value: { behaviour: "Moveable", method: runInteract, dir: "N" } }),
      }),
      {
        // Order: the rate limit first (a flood is cut whatever it carries), then forbidden fields,
        // the schema, one interaction per actor and tick, and the dispatcher's checks.
        admit(attempt) {
          const { payload } = attempt;
          const now = Date.now();
          if (recent.size > RATE_SWEEP_SIZE) for (const [session, times] of recent) if (now - times[times.length - 1]! >= 1000) recent.delete(session);
          const times = (recent.get(attempt.sessionId) ?? []).filter((t) => now - t < 1000);
          if (times.length >= ATTEMPTS_PER_SECOND) return refuse(attempt, "interaction/rate-limited", `at most ${ATTEMPTS_PER_SECOND} interaction attempts per second`);
          times.push(now);
          recent.set(attempt.sessionId, times);
          if (typeof payload === "object" && payload !== null && !Array.isArray(payload)) {
            const extra = Object.keys(payload).filter((key) => !ALLOWED_FIELDS.has(key));
            if (extra.length > 0) return refuse(attempt, "interaction/forbidden-field", `interact may not carry ${extra.map((k) => JSON.stringify(k.slice(0, 32))).join(", ")}: configs, chances and results live on the server`);
          }
          const parsed = clientPayloadSchema.safeParse(payload);
          if (!parsed.success) return refuse(attempt, "command/invalid", `interact: ${parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ")}`);
          // The pipeline keeps the latest intent of a kind per actor and tick: a second interact
          // would silently replace the first, unanswered and unaudited. So it is refused instead.
          if (attempt.actor.queue?.some((queued) => queued.kind === "interact")) return refuse(attempt, "interaction/already-queued", `${attempt.actor.id} already has an interaction waiting for tick ${attempt.world.tick + 1}`);
          const checked = registry.check(attempt.world, attempt.world.tick + 1, attempt.actor, parsed.data);
          if ("code" in checked) return refuse(attempt, checked.code, checked.message);
          return { ok: true, value: parsed.data };
        },
      },
    );

    // A player's relationships start from its session's (seed 004 `stats.relationships`) the
    // first time it joins with this plugin; from then on they live in the plugin's state.
    ctx.state.initialActor((player) => (Object.keys(player.stats.relationships).length > 0 ? { relationships: player.stats.relationships } : undefined));

    ctx.events.define("interaction");
    ctx.events.on("interaction", (event: InteractionEvent, tick: number, world: World) => {
      const sessionId = ctx.worlds.sessionOf(world.id, event.actorId);
      audit.outcome({ world, tick, sessionId, event });
      if (event.verdict === "executed") {
        ctx.clients.send(world.id, event.actorId, "interaction", {
          interactionId: event.interactionId,
          slotId: event.slotId,
          targetId: event.targetId,
          success: event.success,
          message: event.message,
          effects: event.effects,
        });
        for (const notice of event.notify) ctx.clients.send(world.id, notice.actorId, "notification", { kind: notice.kind, message: notice.message, from: event.actorId });
      } else {
        ctx.clients.send(world.id, event.actorId, "error", { code: event.code, message: event.message });
      }
    });

    registry.registerEffect({
      kind: "relationship",
      apply(ictx, effect) {
        const { playerId, npcId, axis, delta } = effect as unknown as { playerId: string; npcId: string; axis: string; delta: number };
        const player = ictx.world.byId.get(playerId);
        if (player === undefined) return `no actor "${playerId}"`;
        const changed = changeRelationship(ictx.tick, player, npcId, axis, delta);
        return typeof changed === "string" ? changed : null;
      },
    });

    const registrar: InteractionRegistrar = {
      register: (interaction) => registry.register(interaction),
      registerEffect: (kind) => registry.registerEffect(kind),
      queue(world, actorId, attempt) {
        // Never replace an attempt already waiting for this tick (a player's, say): see the edge.
        if (world.byId.get(actorId)?.queue?.some((queued) => queued.kind === "interact")) return { ok: false, code: "interaction/already-queued", message: `${actorId} already has an interaction waiting for tick ${world.tick + 1}` };
        const payload: InteractPayload = { targetId: attempt.targetId, source: attempt.source };
        if (attempt.slotId !== undefined) payload.slotId = attempt.slotId;
        if (attempt.interactionId !== undefined) payload.interactionId = attempt.interactionId;
        if (attempt.config !== undefined) payload.config = attempt.config;
        const queued = queueAction(world, actorId, "interact", payload);
        return queued.ok ? { ok: true } : { ok: false, code: queued.code, message: queued.message };
      },
    };
    ctx.provide("interactions:register", registrar);

    ctx.http.route("GET", "/", () => ({
      interactions: [...registry.interactions.values()].map((i) => ({ id: i.id, name: i.name, configSchema: z.toJSONSchema(i.configSchema, { unrepresentable: "any" }) })),
    }));
    ctx.http.npcRoute("GET", "/", ({ params }) => {
      const def = ctx.worlds.def(params["worldId"]!);
      if (def === undefined) throw new ArbiterError("world/not-found", `no world "${params["worldId"]}"`);
      const npc = def.npcs.find((n) => n.id === params["npcId"]);
      if (npc === undefined) throw new ArbiterError("npc/not-found", `no NPC "${params["npcId"]}" in world ${def.id}`);
      const slots = ((npc.plugins?.["interactions"] as { slots?: Array<{ slotId: string; interactionId: string }> } | undefined)?.slots ?? []).map((slot) => ({
        slotId: slot.slotId,
        interactionId: slot.interactionId,
        name: registry.interactions.get(slot.interactionId)?.name ?? slot.interactionId,
      }));
      return { worldId: def.id, npcId: npc.id, slots };
    });
    const executeBody = z.strictObject({ worldId: z.string().min(1).max(64), sessionId: z.string().min(1).max(64), targetId: z.string().min(1).max(64), slotId: z.string().regex(INTERACTION_ID).optional(), interactionId: z.string().regex(INTERACTION_ID).optional() });
    ctx.http.route(
      "POST",
      "/execute",
      async ({ body }) => {
        const parsed = executeBody.safeParse(body);
        if (!parsed.success) throw new ArbiterError("request/invalid", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
        const { worldId, sessionId, ...intent } = parsed.data;
        const attempt = clientPayloadSchema.safeParse(intent);
        if (!attempt.success) throw new ArbiterError("request/invalid", attempt.error.issues.map((i) => i.message).join("; "));
        const port = ctx.worlds.port(worldId);
        if (port === undefined) throw new ArbiterError("world/not-found", `world "${worldId}" is not running (join it first)`);
        const outcome = await port.performAction(sessionId, "interact", { ...attempt.data, source: "admin" });
        if (!outcome.ok) throw new ArbiterError(outcome.code, outcome.message);
        const event = outcome.value.events.find((e): e is InteractionEvent => e.type === "interaction");
        if (event === undefined) throw new ArbiterError("interaction/not-available", "the attempt did not run in its tick");
        if (event.verdict !== "executed") throw new ArbiterError(event.code as keyof typeof INTERACTION_ERRORS, event.message);
        return { tick: outcome.value.tick, interactionId: event.interactionId, slotId: event.slotId, targetId: event.targetId, success: event.success, message: event.message, effects: event.effects };
      },
      { admin: true },
    );
  },
  onDisable() {
    for (const audit of audits) audit.flush();
    audits.clear();
  },
});
