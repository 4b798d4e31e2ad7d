/**
 * Join admission (the world room's static `onAuth`, which Colyseus runs during matchmaking, before it
 * picks a room): the join options are validated, the player must be signed in (issue 12: the SDK
 * sends `client.auth.token`), a resumed session must be the player's own (or from before accounts)
 * and not connected, and `worldId` is defaulted (to the resumed session's world, else the default
 * world) so that `{}` and `{ worldId: <default> }` meet in the same room. Refusals are
 * `ServerError`s whose code is HTTP-like ({@link JOIN_ERROR}) and whose message starts with the
 * error code (`session/forbidden: …`), which the SDK's join error carries.
 */
import { matchMaker, ServerError } from "@colyseus/core";
import { errorInfo } from "../src/errors.ts";
import { userOfToken } from "../src/server/accounts.ts";
import { joinOptions, parsePayload } from "../src/server/protocol.ts";
import type { ServerServices } from "../src/server/services.ts";

/** Matchmaking error codes (HTTP-like), carried by the SDK's join error. */
export const JOIN_ERROR = { badOptions: 400, unauthorized: 401, forbidden: 403, notFound: 404, conflict: 409 } as const;

/**
 * What admission hands the join (Colyseus's `client.auth`): when the seat was reserved, ms since the
 * epoch, and the signed-in user joining.
 */
export interface SeatAuth {
  reservedAt: number;
  userId: string;
}

/** Admits a join with `token` and `options` (normalized in place: `worldId` set), or throws why not. */
export async function admitJoin(services: ServerServices, token: string, options: Record<string, unknown> | null): Promise<SeatAuth> {
  if (options !== undefined && (options === null || typeof options !== "object" || Array.isArray(options))) {
    throw new ServerError(JOIN_ERROR.badOptions, `command/invalid: join options: expected an object, got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
  }
  const parsed = parsePayload(joinOptions, options ?? {}, "join options");
  if (!parsed.ok) throw new ServerError(JOIN_ERROR.badOptions, `${parsed.error.code}: ${parsed.error.message}`);
  // Signed-in players only (issue 12): the SDK sends the token of `client.auth` with the join.
  const user = await userOfToken(services.accounts, token);
  if (user === undefined) throw new ServerError(JOIN_ERROR.unauthorized, token ? `auth/invalid-token: ${errorInfo("auth/invalid-token").message}` : `auth/token-required: ${errorInfo("auth/token-required").message}`);
  const { sessionId } = parsed.value;
  const session = sessionId === undefined ? undefined : services.sessions.get(sessionId);
  if (sessionId !== undefined && !session) throw new ServerError(JOIN_ERROR.notFound, `session/not-found: no session "${sessionId}"`);
  if (session !== undefined && session.userId !== null && session.userId !== user.id) {
    throw new ServerError(JOIN_ERROR.forbidden, `session/forbidden: session "${sessionId}" belongs to another user`);
  }
  const worldId = parsed.value.worldId ?? session?.worldId ?? services.worlds.defaultId;
  if (!services.worlds.byId.has(worldId)) {
    throw new ServerError(JOIN_ERROR.notFound, `world/not-found: no world "${worldId}" (have: ${[...services.worlds.byId.keys()].join(", ")})`);
  }
  // Reserved in every process (issue 14): the room's join takes the reservation over, a failed join gives it back.
  const connectedTo = sessionId === undefined ? undefined : await services.connectedSessions.reserve(sessionId, worldId);
  if (connectedTo !== undefined) {
    // After a process died, its sessions stay reserved until their keys lapse (CLAIM_TTL_MS): say so.
    const hosted = (await matchMaker.query({ name: "world" })).some((room) => (room.metadata as { worldId?: unknown } | undefined)?.worldId === connectedTo);
    const why = hosted ? "" : ` in a process that stopped; it is released within ${Math.ceil(services.scale.claimTtlMs / 1000)} s, try again then`;
    throw new ServerError(JOIN_ERROR.conflict, `session/already-connected: session "${sessionId}" is already connected to world ${connectedTo}${why}`);
  }
  options.worldId = worldId;
  // The seat is reserved right after this: its WebSocket's wait is measured from here (onJoin).
  return { reservedAt: Date.now(), userId: user.id };
}
