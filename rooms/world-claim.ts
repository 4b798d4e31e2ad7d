/**
 * The room's side of world claims and session reservations (issue 14, src/server/claims.ts,
 * src/server/connected-sessions.ts): a room claims its world before it opens it, and gives the
 * claim back once the world is closed; a join it refuses gives its session's reservation back. A world held by another room, in
 * this process or another, refuses the room with 409 `world/already-hosted` naming the holder; the
 * matchmaker then hands the join to the room that holds it.
 */
import { ServerError } from "@colyseus/core";
import type { ServerServices } from "../src/server/services.ts";
import { JOIN_ERROR } from "./join-admission.ts";

export async function claimWorld(services: Pick<ServerServices, "runtimes" | "scale">, worldId: string): Promise<void> {
  if (services.runtimes.has(worldId)) throw new ServerError(JOIN_ERROR.conflict, `world/already-hosted: world "${worldId}" is already running`);
  const claimed = await services.scale.claims.claim(worldId);
  if (!claimed.ok) throw new ServerError(JOIN_ERROR.conflict, `world/already-hosted: world "${worldId}" is hosted by ${claimed.holder}`);
}

/** Gives the claim back; a failure (Redis unreachable) is logged, and the claim lapses on its own. */
export function releaseWorld(services: Pick<ServerServices, "scale" | "logger">, worldId: string): void {
  services.scale.claims.release(worldId).catch((error: unknown) => services.logger.warn({ err: error, world: worldId }, "a world claim could not be released; it lapses on its own"));
}

/** Gives back the session reservation a refused join made at its admission (join-admission.ts). */
export function releaseSession(services: Pick<ServerServices, "connectedSessions" | "logger">, sessionId: unknown): void {
  if (typeof sessionId !== "string") return;
  services.connectedSessions.release(sessionId).catch((error: unknown) => services.logger.warn({ err: error, session: sessionId }, "a session reservation could not be released; it lapses on its own"));
}
