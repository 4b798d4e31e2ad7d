/**
 * The public shape of a session (HTTP answers): stats normalized per definition with tier ids,
 * relationships per NPC likewise (seed 004), and whether the session is connected to a world.
 */
import { mergeLayers, normalizeStats, vectorToValues } from "../../stats/layout.ts";
import { compileStatLayout } from "../../stats/layout.ts";
import type { GameSession } from "../../sessions/types.ts";
import type { StatsConfig } from "../../stats/types.ts";
import type { ServerServices } from "../services.ts";

/** The session as HTTP answers show it; `connected` is true when it plays in a world of any process. */
export async function presentSession(services: ServerServices, session: GameSession) {
  const connected = (await services.connectedSessions.find(session.id)) !== undefined;
  const config = services.worlds.byId.get(session.worldId)?.stats;
  return {
    id: session.id,
    playerName: session.playerName,
    worldId: session.worldId,
    character: session.character,
    stats: config ? normalizedSessionStats(config, session) : { ...session.stats.runtime, relationships: session.stats.relationships },
    flags: session.flags,
    /** The player's plugin state at its last save, by plugin id (inventory, in-tick relationships …). */
    pluginState: session.pluginState,
    position: session.position,
    /** The user it belongs to (null: a session from before accounts, not yet claimed). */
    userId: session.userId,
    connected,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
  };
}

/** Base (character) with runtime overrides, per definition, plus relationships, all normalized. */
function normalizedSessionStats(config: StatsConfig, session: GameSession): Record<string, unknown> {
  const layout = compileStatLayout(config);
  const values = vectorToValues(layout, mergeLayers(layout, [session.character.stats, session.stats.runtime]));
  const out: Record<string, unknown> = {};
  for (const [definition, def] of Object.entries(config.definitions)) {
    if (def.perEntity) {
      const perEntity = definition === "relationships" ? session.stats.relationships : {};
      out[definition] = Object.fromEntries(Object.entries(perEntity).map(([key, v]) => [key, normalizeStats(config, definition, v)]));
    } else {
      out[definition] = normalizeStats(config, definition, values[definition] ?? {});
    }
  }
  return out;
}
