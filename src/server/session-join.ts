/**
 * Joining a world as a persistent session (issue 3, seed 003 §1.1). With a `sessionId` the player
 * resumes their character, stats and last position; without one a new session is planned (its
 * character from `character`, else the world's scenario default) and returned in `welcome`. A
 * session is in at most one world at a time: a second connection is refused.
 *
 * A new session is stored only once its actor has spawned (issue 8 §4): {@link planJoin} changes
 * nothing, and the room calls {@link JoinPlan.commit} after the join input succeeded, so a refused
 * join (`world/no-free-spawn`, a bad character…) leaves no row behind.
 */
import type { CarriedStats, PlainData, WorldDef } from "../core/index.ts";
import type { ErrorCode } from "../errors.ts";
import { createCharacter } from "../sessions/character-gen.ts";
import type { GameSession } from "../sessions/types.ts";
import { toPlayerName, type JoinOptions } from "./protocol.ts";
import type { ServerServices } from "./services.ts";
import type { NewSession } from "./session-store.ts";

export interface JoinPlan {
  name: string;
  stats: CarriedStats;
  /** The last position, when it was in this world. */
  at?: [number, number];
  /** The player actor's plugin state: the session's, plus plugins' seeds (`initialActor`). */
  state: Record<string, PlainData>;
  /**
   * The session to connect: the resumed one as it is, or a new one inserted now. Call it once the
   * actor has spawned. Throws only when the database does (the room then undoes the spawn).
   */
  commit(): GameSession;
}

export type JoinRefusal = { ok: false; code: ErrorCode; message: string; details?: unknown };

/**
 * Loads a session or plans a new one for a join to `def` by user `userId` (the room's `onAuth`
 * checked that a resumed session is that user's, or has no user yet); changes nothing (the database
 * included). A new session belongs to `userId`; a session from before accounts is given to it when
 * the join commits.
 */
export function planJoin(services: ServerServices, def: WorldDef, options: JoinOptions, userId: string): { ok: true; value: JoinPlan } | JoinRefusal {
  if (options.sessionId !== undefined) {
    const loaded = loadSession(services, options.sessionId);
    if (!loaded.ok) return loaded;
    const s = loaded.value;
    if (s.userId !== null && s.userId !== userId) return { ok: false, code: "session/forbidden", message: `session "${s.id}" belongs to another user` };
    const at = s.worldId === def.id && s.position ? s.position : undefined;
    const state = services.plugins.initialActorState({ worldId: def.id, character: s.character, stats: s.stats }, s.pluginState);
    const commit = (): GameSession => (s.userId === null && services.sessions.claim(s.id, userId) ? { ...s, userId } : s);
    return { ok: true, value: { name: options.name ?? s.playerName, stats: { base: s.character.stats, runtime: s.stats.runtime }, ...(at ? { at } : {}), state, commit } };
  }
  const draft = draftSession(services, def, options, userId);
  if (!draft.ok) return draft;
  const session = draft.value;
  const state = services.plugins.initialActorState({ worldId: def.id, character: session.character, stats: { runtime: {}, relationships: {} } }, {});
  return { ok: true, value: { name: session.playerName, stats: { base: session.character.stats, runtime: {} }, state, commit: () => services.sessions.create(session) } };
}

function loadSession(services: ServerServices, id: string): { ok: true; value: GameSession } | JoinRefusal {
  const session = services.sessions.get(id);
  if (!session) return { ok: false, code: "session/not-found", message: `no session "${id}"` };
  if (services.connectedSessions.has(id)) {
    return { ok: false, code: "session/already-connected", message: `session "${id}" is already connected to world ${services.connectedSessions.get(id)}` };
  }
  return { ok: true, value: session };
}

function draftSession(services: ServerServices, def: WorldDef, options: JoinOptions, userId: string): { ok: true; value: NewSession } | JoinRefusal {
  const character = createCharacter(options.character ?? {}, { scenario: def.scenario ?? "default", templates: services.worlds.templates, config: def.stats });
  if (!character.ok) {
    return { ok: false, code: "character/invalid", message: character.problems.map((p) => `${p.field}: ${p.message}`).join("; "), details: character.problems };
  }
  return { ok: true, value: { playerName: options.name ?? toPlayerName(character.value.name), worldId: def.id, character: character.value, userId } };
}
