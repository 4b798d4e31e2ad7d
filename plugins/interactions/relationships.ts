/**
 * Relationships inside the tick (seed 004 `relationships`, issue 10): how an NPC regards a player,
 * one value per axis of the world's per-entity definition `relationships` (`affinity`, `trust` …),
 * kept as the `interactions` plugin's state on the PLAYER actor, `{ relationships: { "npc:<id>":
 * { affinity: 30 } } }`. Being plugin state, it is in the snapshot, the state hash and the journal,
 * and a write through the tick's undo log rolls back with a failed interaction.
 *
 * Values are integers clamped to the axis's [min, max]; an axis never written reads its default.
 * The `relationship` effect (`{ kind: "relationship", npcId, playerId, axis, delta }`) changes one.
 */
import { actorStateOf, setActorState, type Actor, type PlainData, type TickContext, type World } from "../../src/core/index.ts";
import type { AxisDef } from "../../src/stats/types.ts";
import { tierOf } from "../../src/stats/tiers.ts";

export const RELATIONSHIPS_PLUGIN = "interactions";
const DEFINITION = "relationships";

type Relations = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** The axis `axis` of the world's `relationships` definition, or undefined. */
export function relationshipAxis(world: World, axis: string): AxisDef | undefined {
  const definition = world.def.stats.definitions[DEFINITION];
  return definition?.perEntity ? definition.axes[axis] : undefined;
}

/** `npc:<id>` keys, kept: building one per read would cost more than the read. */
const NPC_KEYS = new Map<string, string>();
const NPC_KEYS_MAX = 1 << 16;

/** The key of `npcId` in a player's relationships. */
export function npcKey(npcId: string): string {
  let key = NPC_KEYS.get(npcId);
  if (key === undefined) {
    if (NPC_KEYS.size >= NPC_KEYS_MAX) NPC_KEYS.clear();
    NPC_KEYS.set(npcId, (key = `npc:${npcId}`));
  }
  return key;
}

/** A player's relationships as its plugin state holds them now (`npc:<id>` → axis → value). */
export function relationsOf(player: Actor): Relations {
  const state = actorStateOf(player, RELATIONSHIPS_PLUGIN) as { relationships?: Relations } | undefined;
  return state?.relationships ?? {};
}

/** How NPC `npcId` regards `player` on `axis`: the stored value, else the axis default; undefined for an unknown axis. */
export function relationshipValue(world: World, player: Actor, npcId: string, axis: string): number | undefined {
  const def = relationshipAxis(world, axis);
  if (def === undefined) return undefined;
  return relationsOf(player)[npcKey(npcId)]?.[axis] ?? def.default;
}

/** The tier id of that value (`friend`), or undefined when the axis has no tiers. */
export function relationshipTier(world: World, player: Actor, npcId: string, axis: string): string | undefined {
  const value = relationshipValue(world, player, npcId, axis);
  const def = relationshipAxis(world, axis);
  return value === undefined ? undefined : tierOf(def, value)?.id;
}

/**
 * Adds `delta` (an integer) to how `npcId` regards `player` on `axis`, clamped, through the tick's
 * undo log. Returns the new value, or an error text (unknown axis, not a player).
 */
export function changeRelationship(tick: TickContext, player: Actor, npcId: string, axis: string, delta: number): number | string {
  const def = relationshipAxis(tick.world, axis);
  if (def === undefined) return `world ${tick.world.id} has no relationship axis "${axis}"`;
  if (player.kind !== "player") return `relationships are kept for players; ${player.id} is an NPC`;
  if (!Number.isInteger(delta)) return `relationship delta ${delta} is not an integer`;
  const key = npcKey(npcId);
  const relations = relationsOf(player);
  const current = relations[key]?.[axis] ?? def.default;
  const next = Math.min(def.max, Math.max(def.min, current + delta));
  const state = (actorStateOf(player, RELATIONSHIPS_PLUGIN) ?? {}) as Record<string, PlainData>;
  const updated = { ...state, relationships: { ...relations, [key]: { ...relations[key], [axis]: next } } };
  setActorState(tick.world, player, RELATIONSHIPS_PLUGIN, updated, tick.undo);
  return next;
}
