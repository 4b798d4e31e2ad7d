/**
 * `pickpocket` (issue 10 "stealth", seed 000): lift gold from an adjacent actor's inventory.
 *
 * Config (stored on the server, per slot or per thief NPC): `baseSuccessChance` and
 * `detectionChance` in [0, 1], the gold range `gold: { min, max }` (integers, min ≤ max),
 * `affinityLoss` and `trustLoss` (integers ≥ 0, default 10 and 15), and `agilityScaled` (default
 * true).
 *
 * Resolution, with the world's seeded generator, two draws in this order:
 * 1. success: the chance is `baseSuccessChance`, scaled when `agilityScaled` by the actor's agility
 *    against the target's: `p × (1 + (agility(actor) − agility(target)) / 200)`, clamped to
 *    [0, 1] (agility is `combat_skills.agility`, 0–100; equal agility leaves p as it is). On
 *    success the amount is `min + ⌊draw × (max − min + 1)⌋`, at most what the target holds, moved
 *    with the items plugin's `transfer-gold` effect;
 * 2. detection, whatever the outcome of the lift, with `detectionChance`: the actor gets a crime
 *    flag (`crimes.pickpocket` in the stealth plugin's state on the actor, which a player's session
 *    keeps: the victim and the game time), and when the actor is a player and the victim an NPC, the
 *    NPC's `affinity` and `trust` toward the player drop (the `relationship` effect).
 * A player victim is told (`notification { kind: "pickpocketed" }`) when gold was taken or the
 * attempt was seen.
 */
import { z } from "zod";
import type { Actor, World } from "../../src/core/index.ts";
import type { Effect, Interaction, Notice } from "../interactions/contract.ts";
import { goldOf } from "../items/inventory.ts";

export const pickpocketConfig = z.strictObject({
  baseSuccessChance: z.number().min(0).max(1),
  detectionChance: z.number().min(0).max(1),
  gold: z.strictObject({ min: z.int().min(0).max(1_000_000), max: z.int().min(0).max(1_000_000) }),
  affinityLoss: z.int().min(0).max(100).default(10),
  trustLoss: z.int().min(0).max(100).default(15),
  agilityScaled: z.boolean().default(true),
});

export type PickpocketConfig = z.output<typeof pickpocketConfig>;

const AGILITY = "combat_skills.agility";

/** `actor`'s effective agility, 0 when the world has no such stat. */
function agilityOf(world: World, actor: Actor): number {
  const i = world.layout.indexOf.get(AGILITY);
  return i === undefined ? 0 : actor.effective[i]!;
}

/** The success chance after agility scaling, in [0, 1]. */
export function successChance(world: World, actor: Actor, target: Actor, config: PickpocketConfig): number {
  const scale = config.agilityScaled ? 1 + (agilityOf(world, actor) - agilityOf(world, target)) / 200 : 1;
  return Math.min(1, Math.max(0, config.baseSuccessChance * scale));
}

export const pickpocket: Interaction<PickpocketConfig> = {
  id: "pickpocket",
  name: "Pickpocket",
  configSchema: pickpocketConfig,
  validateConfig: (config) => (config.gold.min > config.gold.max ? `gold.min ${config.gold.min} is above gold.max ${config.gold.max}` : null),
  isAvailable: (ctx) => (ctx.actor.id === ctx.target.id ? "one cannot pick one's own pocket" : true),
  execute(ctx) {
    const { world, actor, target, config } = ctx;
    const lifted = ctx.random() < successChance(world, actor, target, config);
    const held = goldOf(target);
    const amount = lifted ? Math.min(held, config.gold.min + Math.floor(ctx.random() * (config.gold.max - config.gold.min + 1))) : 0;
    const detected = ctx.random() < config.detectionChance;
    const effects: Effect[] = [];
    const notify: Notice[] = [];
    if (amount > 0) effects.push({ kind: "transfer-gold", fromId: target.id, toId: actor.id, amount });
    if (detected) {
      const { day, hour, minute } = ctx.gameTime;
      effects.push({ kind: "stealth-crime", actorId: actor.id, crime: "pickpocket", victimId: target.id, day, hour, minute });
      if (actor.kind === "player" && target.kind === "npc") {
        if (config.affinityLoss > 0) effects.push({ kind: "relationship", playerId: actor.id, npcId: target.id, axis: "affinity", delta: -config.affinityLoss });
        if (config.trustLoss > 0) effects.push({ kind: "relationship", playerId: actor.id, npcId: target.id, axis: "trust", delta: -config.trustLoss });
      }
    }
    if (target.kind === "player" && (amount > 0 || detected)) {
      notify.push({ actorId: target.id, kind: "pickpocketed", message: amount > 0 ? `${actor.name} picked your pocket: ${amount} gold gone.` : `You caught ${actor.name} reaching for your purse.` });
    }
    const message = lifted ? (amount > 0 ? `You lift ${amount} gold from ${target.name}.` : `${target.name}'s pockets are empty.`) : `You fail to pick ${target.name}'s pocket.`;
    return { success: lifted, message: detected ? `${message} You were seen.` : message, effects, notify };
  },
};
