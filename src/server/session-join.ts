/**
 * Joining a world as a persistent session (issue 3, seed 003 §1.1). With a `sessionId` the player
 * resumes their character, stats and last position; without one a session is created (its character
 * from `character`, else the world's scenario default) and returned in `welcome`. A session is in at
 * most one world at a time: a second connection is refused.
 */
import type { CarriedStats, WorldDef } from "../core/index.ts";
import type { ErrorCode } from "../errors.ts";
import { createCharacter } from "../sessions/character-gen.ts";
import type { GameSession } from "../sessions/types.ts";
import type { JoinOptions } from "./protocol.ts";
import type { ServerServices } from "./services.ts";

export interface JoinPlan {
  session: GameSession;
  name: string;
  stats: CarriedStats;
  /** The last position, when it was in this world. */
  at?: [number, number];
}

export type JoinRefusal = { ok: false; code: ErrorCode; message: string; details?: unknown };

/** Loads or creates the session for a join to `def`; changes nothing when it refuses. */
export function planJoin(services: ServerServices, def: WorldDef, options: JoinOptions): { ok: true; value: JoinPlan } | JoinRefusal {
  const session = options.sessionId === undefined ? createSession(services, def, options) : loadSession(services, options.sessionId);
  if (!session.ok) return session;
  const s = session.value;
  return {
    ok: true,
    value: {
      session: s,
      name: options.name ?? s.playerName,
      stats: { base: s.character.stats, runtime: s.stats.runtime },
      at: s.worldId === def.id && s.position ? s.position : undefined,
    },
  };
}

function loadSession(services: ServerServices, id: string): { ok: true; value: GameSession } | JoinRefusal {
  const session = services.sessions.get(id);
  if (!session) return { ok: false, code: "session/not-found", message: `no session "${id}"` };
  if (services.connectedSessions.has(id)) {
    return { ok: false, code: "session/already-connected", message: `session "${id}" is already connected to world ${services.connectedSessions.get(id)}` };
  }
  return { ok: true, value: session };
}

function createSession(services: ServerServices, def: WorldDef, options: JoinOptions): { ok: true; value: GameSession } | JoinRefusal {
  const character = createCharacter(options.character ?? {}, { scenario: def.scenario ?? "default", templates: services.worlds.templates, config: def.stats });
  if (!character.ok) {
    return { ok: false, code: "character/invalid", message: character.problems.map((p) => `${p.field}: ${p.message}`).join("; "), details: character.problems };
  }
  const playerName = options.name ?? character.value.name;
  return { ok: true, value: services.sessions.create({ playerName, worldId: def.id, character: character.value }) };
}
