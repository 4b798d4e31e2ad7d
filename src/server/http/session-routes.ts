/**
 * Session routes (seed 003 §1.1). A session belongs to a user (issue 12): creating one needs a
 * player token, and every other route its owner's token or the admin (http/access.ts).
 * - `POST /api/sessions` creates a session from a world and a character config (201), for the
 *   signed-in user; at most `ACCOUNT_RATE_LIMIT` per user per 15 minutes (429 with `Retry-After`);
 * - `GET /api/sessions` lists the signed-in user's sessions, most recently used first (at most
 *   {@link SESSION_LIST_LIMIT}; src/wire.ts `SessionListEntry`);
 * - `GET /api/sessions/:id` returns it;
 * - `PATCH /api/sessions/:id` changes only player-editable fields (`playerName`, `flags`), never
 *   stats: any other field answers 400 naming it; flags are bounded by {@link FLAG_LIMITS};
 * - `DELETE /api/sessions/:id` deletes it (409 while it is connected);
 * - `POST /api/sessions/:id/actions` submits `{ type: <action kind>, ...payload }`, the same intents
 *   as the WebSocket messages, into the same pipeline through the world's port (world-runtime.ts),
 *   and answers after the tick that processed them (seed 003's "handle player actions").
 */
import { createEndpoint } from "@colyseus/better-call";
import { z } from "zod";
import { createCharacter } from "../../sessions/character-gen.ts";
import { boundedRecord, characterConfig, playerName } from "../protocol.ts";
import type { ServerServices } from "../services.ts";
import { refuseOverLimit } from "./auth-routes.ts";
import { apiError, rejectInvalid } from "./errors.ts";
import { requirePlayer, requireSessionAccess } from "./access.ts";
import { presentSession } from "./session-view.ts";
import { worldPortOf } from "../world-ports.ts";
import type { SessionListEntry } from "../../wire.ts";

const EDITABLE = ["playerName", "flags"] as const;

/** Most sessions `GET /api/sessions` lists. */
export const SESSION_LIST_LIMIT = 50;

/** Limits of a session's `flags` (issue 8 §3): key count, key length, bytes of JSON per value and in all. */
export const FLAG_LIMITS = { keys: 64, keyLength: 64, valueBytes: 1024, totalBytes: 16 * 1024 } as const;

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

const flagValue = z.union([z.boolean(), z.number(), z.string()]).superRefine((value, ctx) => {
  const bytes = jsonBytes(value);
  if (bytes > FLAG_LIMITS.valueBytes) ctx.addIssue({ code: "custom", message: `a flag value may be at most ${FLAG_LIMITS.valueBytes} bytes of JSON, got ${bytes}` });
});

const flags = boundedRecord(z.string().min(1).max(FLAG_LIMITS.keyLength), flagValue, {
  maxKeys: FLAG_LIMITS.keys,
  keyRule: `flag names are 1–${FLAG_LIMITS.keyLength} characters`,
}).superRefine((value, ctx) => {
  const bytes = jsonBytes(value);
  if (bytes > FLAG_LIMITS.totalBytes) ctx.addIssue({ code: "custom", message: `flags may be at most ${FLAG_LIMITS.totalBytes} bytes of JSON in all, got ${bytes}` });
});

const createBody = z.object({
  worldId: z.string().min(1).max(64).optional(),
  playerName,
  character: characterConfig.optional(),
});

const patchBody = z
  .object({
    playerName: playerName.optional(),
    flags: flags.optional(),
  })
  .catchall(z.unknown())
  .superRefine((body, ctx) => {
    for (const key of Object.keys(body)) {
      if (!(EDITABLE as readonly string[]).includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `"${key}" is not player-editable (editable: ${EDITABLE.join(", ")})${key === "stats" ? "; stats change only through play" : ""}` });
      }
    }
  });

/** `{ type: <action kind>, ...payload }`: the payload is checked by the kind's own schema. */
const actionBody = z.object({ type: z.string().min(1).max(64) }).catchall(z.unknown());

export function sessionRoutes(services: ServerServices) {
  const sessionOf = (id: string) => {
    const session = services.sessions.get(id);
    if (!session) throw apiError("session/not-found", `no session "${id}"`);
    return session;
  };
  const owned = [requireSessionAccess(services)];
  return {
    createSession: createEndpoint("/api/sessions", { method: "POST", body: createBody, onValidationError: rejectInvalid, use: [requirePlayer(services)] }, async (ctx) => {
      const { user } = ctx.context;
      await refuseOverLimit(ctx, services.accountLimits.sessions, user.id, "session creations for this user");
      const worldId = ctx.body.worldId ?? services.worlds.defaultId;
      const def = services.worlds.byId.get(worldId);
      if (!def) throw apiError("world/not-found", `no world "${worldId}"`);
      const character = createCharacter(ctx.body.character ?? {}, { scenario: def.scenario ?? "default", templates: services.worlds.templates, config: def.stats });
      if (!character.ok) throw apiError("character/invalid", character.problems.map((p) => `${p.field}: ${p.message}`).join("; "), { problems: character.problems });
      const session = services.sessions.create({ playerName: ctx.body.playerName, worldId: def.id, character: character.value, userId: user.id });
      ctx.setStatus(201);
      return presentSession(services, session);
    }),
    listSessions: createEndpoint("/api/sessions", { method: "GET", use: [requirePlayer(services)] }, async (ctx) => ({
      sessions: await Promise.all(
        services.sessions.listByUser(ctx.context.user.id, SESSION_LIST_LIMIT).map(
          async (session): Promise<SessionListEntry> => ({
            id: session.id,
            playerName: session.playerName,
            worldId: session.worldId,
            template: session.character.template ?? null,
            connected: (await services.connectedSessions.find(session.id)) !== undefined,
            updatedAt: session.updatedAt,
          }),
        ),
      ),
    })),
    getSession: createEndpoint("/api/sessions/:id", { method: "GET", use: owned }, async (ctx) => presentSession(services, sessionOf(ctx.params.id))),
    patchSession: createEndpoint("/api/sessions/:id", { method: "PATCH", body: patchBody, onValidationError: rejectInvalid, use: owned }, async (ctx) => {
      sessionOf(ctx.params.id);
      const updated = services.sessions.update(ctx.params.id, { playerName: ctx.body.playerName, flags: ctx.body.flags });
      return presentSession(services, updated ?? sessionOf(ctx.params.id));
    }),
    deleteSession: createEndpoint("/api/sessions/:id", { method: "DELETE", use: owned }, async (ctx) => {
      sessionOf(ctx.params.id);
      if ((await services.connectedSessions.find(ctx.params.id)) !== undefined) throw apiError("session/already-connected", `session "${ctx.params.id}" is connected; leave the world first`);
      services.sessions.delete(ctx.params.id);
      return new Response(null, { status: 204 });
    }),
    postAction: createEndpoint("/api/sessions/:id/actions", { method: "POST", body: actionBody, onValidationError: rejectInvalid, use: owned }, async (ctx) => {
      const session = sessionOf(ctx.params.id);
      const { type, ...raw } = ctx.body;
      // The world may run in another process (issue 14): its port admits and runs the action there.
      const worldId = await services.connectedSessions.find(session.id);
      const port = worldId === undefined ? undefined : await worldPortOf(services, worldId);
      if (!port) throw apiError("session/not-in-world", `session "${session.id}" has no actor in a running world; join over WebSocket first`);
      const outcome = await port.actForSession(session.id, type, raw);
      if (!outcome.ok) throw apiError(outcome.code, outcome.message, "problems" in outcome && outcome.problems.length > 0 ? { problems: outcome.problems } : undefined);
      return { sessionId: session.id, worldId, ...outcome.value };
    }),
  };
}
