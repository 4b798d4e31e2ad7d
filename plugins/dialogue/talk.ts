/**
 * The `talk` interaction and its `dialogue-talk` effect (issue 10 "dialogue: talk").
 *
 * A player talks to an NPC next to it. The reply is a line of `narrative/` (narrative.ts) for the
 * action `talk`, the world's genre and the tier of the NPC's `affinity` toward the player, drawn
 * with the world's seeded generator (one `ctx.random()` per talk), rendered through the reply cache.
 *
 * Talking raises that affinity by `affinityGain`, at most `dailyCap` per game day per NPC: what a
 * player gained from each NPC today is this plugin's state on the player actor,
 * `{ talks: { "<npcId>": { day, gained } } }` (entries of earlier days are dropped on the next
 * write). `execute` only decides; the `relationship` effect raises the affinity and the
 * `dialogue-talk` effect records the day's total, both inside the tick's undo log, so a failed
 * interaction keeps neither. At the cap the talk still succeeds with its line and the
 * `dialogue-talk` effect says `gain: 0, capped: true`.
 */
import { z } from "zod";
import type { Actor, PlainData } from "../../src/core/index.ts";
import type { PluginWorldState } from "../../src/plugins/api.ts";
import type { Effect, EffectKind, Interaction, InteractionContext, InteractionResult } from "../interactions/contract.ts";
import { relationshipAxis, relationshipTier, relationshipValue } from "../interactions/relationships.ts";
import { DEFAULT_GENRE, findLines, type Narrative } from "./narrative.ts";
import type { ReplyCache } from "./reply-cache.ts";

/** The action type of talk's lines in narrative files. */
export const TALK_ACTION = "talk";
/** The relationship axis talk reads (for the tier) and raises. */
export const TALK_AXIS = "affinity";
/** The effect kind that records a day's gain. */
export const TALK_EFFECT = "dialogue-talk";

/** A talk slot's config (stored in the world file). */
export const talkConfigSchema = z.strictObject({
  /** Affinity gained per talk, 0–20. */
  affinityGain: z.int().min(0).max(20).default(2),
  /** Affinity gained from talking at most per game day per NPC, 0–100. */
  dailyCap: z.int().min(0).max(100).default(10),
});
export type TalkConfig = z.output<typeof talkConfigSchema>;

/** `{ talks: { npcId: { day, gained } } }` on a player actor. */
type TalkState = { talks?: Record<string, { day: number; gained: number }> };

/** The `dialogue-talk` effect: the new total gained from `npcId` on game day `day`. */
export interface TalkEffect extends Effect {
  readonly kind: typeof TALK_EFFECT;
  readonly playerId: string;
  readonly npcId: string;
  readonly day: number;
  /** Affinity this talk raised (0 at the cap). */
  readonly gain: number;
  /** Gained from this NPC today, this talk included. */
  readonly gainedToday: number;
  /** True when the daily cap cut the gain below `affinityGain`. */
  readonly capped: boolean;
}

/** Affinity `player` gained from `npcId` on game day `day`, by its `dialogue` state. */
export function gainedOn(state: PluginWorldState, player: Actor, npcId: string, day: number): number {
  const entry = (state.getActor(player) as TalkState | undefined)?.talks?.[npcId];
  return entry !== undefined && entry.day === day ? entry.gained : 0;
}

export interface TalkDeps {
  readonly narrative: Narrative;
  readonly cache: ReplyCache;
  readonly state: PluginWorldState;
}

/** The `talk` interaction over loaded narrative, the reply cache and the plugin's state. */
export function createTalk(deps: TalkDeps): Interaction<TalkConfig> {
  return {
    id: "talk",
    name: "Talk",
    configSchema: talkConfigSchema,
    validateConfig: () => (findLines(deps.narrative, { action: TALK_ACTION, genre: DEFAULT_GENRE, tier: undefined }) === undefined ? `talk needs lines to fall back on: narrative/${DEFAULT_GENRE}.json has no "${TALK_ACTION}.lines"` : null),
    isAvailable: (ctx) => (ctx.actor.kind === "player" ? true : `${ctx.actor.id} is not a player: NPCs keep relationships with players only`),
    execute: (ctx) => executeTalk(deps, ctx),
  };
}

function executeTalk(deps: TalkDeps, ctx: InteractionContext<TalkConfig>): InteractionResult {
  const { world, actor: player, target: npc } = ctx;
  const genre = world.def.genre ?? DEFAULT_GENRE;
  const found = findLines(deps.narrative, { action: TALK_ACTION, genre, tier: relationshipTier(world, player, npc.id, TALK_AXIS) });
  if (found === undefined) return { success: false, message: `${npc.name} has nothing to say.`, effects: [] }; // validateConfig rules it out
  const index = Math.floor(ctx.random() * found.lines.length);
  const message = deps.cache.render({ genre: found.genre, action: TALK_ACTION, tier: found.tier, index, line: found.lines[index]!, npc: npc.name, player: player.name });
  return { success: true, message, effects: talkEffects(deps.state, ctx) };
}

/** The relationship gain (when any) and the day's record; none when the world has no affinity axis. */
function talkEffects(state: PluginWorldState, ctx: InteractionContext<TalkConfig>): Effect[] {
  const { world, actor: player, target: npc, config } = ctx;
  const axis = relationshipAxis(world, TALK_AXIS);
  if (axis === undefined) return [];
  const day = ctx.gameTime.day;
  const before = gainedOn(state, player, npc.id, day);
  const allowed = Math.max(0, config.dailyCap - before);
  const room = axis.max - relationshipValue(world, player, npc.id, TALK_AXIS)!;
  const gain = Math.max(0, Math.min(config.affinityGain, allowed, room));
  const record: TalkEffect = { kind: TALK_EFFECT, playerId: player.id, npcId: npc.id, day, gain, gainedToday: before + gain, capped: allowed < config.affinityGain };
  return gain > 0 ? [{ kind: "relationship", playerId: player.id, npcId: npc.id, axis: TALK_AXIS, delta: gain }, record] : [record];
}

const talkEffectSchema = z.object({ playerId: z.string(), npcId: z.string(), day: z.int().min(0), gainedToday: z.int().min(0) });

/** Applies `dialogue-talk`: sets the day's total for the NPC, dropping entries of other days. */
export function createTalkEffect(state: PluginWorldState): EffectKind {
  return {
    kind: TALK_EFFECT,
    apply(ctx, effect) {
      // The common, well-formed effect skips zod (this runs inside the tick); zod names what is wrong otherwise.
      const e = effect as { playerId?: unknown; npcId?: unknown; day?: unknown; gainedToday?: unknown };
      const ok = typeof e.playerId === "string" && typeof e.npcId === "string" && Number.isInteger(e.day) && (e.day as number) >= 0 && Number.isInteger(e.gainedToday) && (e.gainedToday as number) >= 0;
      const parsed = ok ? { success: true as const, data: e as z.output<typeof talkEffectSchema> } : talkEffectSchema.safeParse(effect);
      if (!parsed.success) return `${TALK_EFFECT}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`;
      const { playerId, npcId, day, gainedToday } = parsed.data;
      const player = ctx.world.byId.get(playerId);
      if (player === undefined || player.kind !== "player") return `${TALK_EFFECT}: no player "${playerId}"`;
      const current = (state.getActor(player) as TalkState | undefined) ?? {};
      const talks: NonNullable<TalkState["talks"]> = {};
      const earlier = current.talks;
      if (earlier !== undefined) for (const id in earlier) if (earlier[id]!.day === day) talks[id] = earlier[id]!;
      talks[npcId] = { day, gained: gainedToday };
      state.setActor(ctx.world, player, { ...current, talks } as PlainData, ctx.tick);
      return null;
    },
  };
}
