/**
 * `stealth` (issue 10): the `pickpocket` interaction (pickpocket.ts), crime flags (crimes.ts), and
 * the `thief` AI: an NPC with `ai: "thief"` and a section `npcs[].plugins.stealth: { thief: {
 * chancePerTick, pickpocket: <pickpocket config> } }` tries, each tick with `chancePerTick` (the
 * world's seeded generator), to pick the pocket of an adjacent player (the first of N, E, S, W that
 * holds one), through the same dispatcher as a player's attempt (`source: "ai"`), audited alike.
 */
import { z } from "zod";
import { nextFloat } from "../../src/core/rng.ts";
import type { Actor, Brain, World } from "../../src/core/index.ts";
import { definePlugin } from "../../src/plugins/api.ts";
import type { InteractionRegistrar } from "../interactions/contract.ts";
import { CRIME_EFFECTS } from "./crimes.ts";
import { pickpocket, pickpocketConfig, type PickpocketConfig } from "./pickpocket.ts";

const thiefSection = z.strictObject({
  thief: z.strictObject({ chancePerTick: z.number().min(0).max(1), pickpocket: pickpocketConfig }).optional(),
});

const NEIGHBOURS = [[0, -1], [1, 0], [0, 1], [-1, 0]] as const;

/** The first player in the 4-neighbourhood of `actor` (N, E, S, W), or undefined. */
export function adjacentPlayer(world: World, actor: Actor): Actor | undefined {
  const { grid } = world;
  for (const [dx, dy] of NEIGHBOURS) {
    const x = actor.x + dx;
    const y = actor.y + dy;
    if (x < 0 || y < 0 || x >= grid.width || y >= grid.height) continue;
    const slot = grid.occupancy[y * grid.width + x]! - 1;
    const other = slot >= 0 ? world.slots[slot] : undefined;
    if (other !== undefined && other.kind === "player") return other;
  }
  return undefined;
}

function thiefBrain(interactions: InteractionRegistrar): Brain {
  const configs = new WeakMap<World, Map<string, { chancePerTick: number; pickpocket: PickpocketConfig } | undefined>>();
  const configOf = (world: World, actor: Actor) => {
    let byNpc = configs.get(world);
    if (byNpc === undefined) {
      byNpc = new Map(world.def.npcs.map((npc) => [npc.id, thiefSection.parse(npc.plugins?.["stealth"] ?? {}).thief]));
      configs.set(world, byNpc);
    }
    return byNpc.get(actor.id);
  };
  return {
    name: "thief",
    think(world, actor) {
      const config = configOf(world, actor);
      if (config === undefined) return;
      const victim = adjacentPlayer(world, actor);
      if (victim === undefined || nextFloat(world.rng) >= config.chancePerTick) return;
      interactions.queue(world, actor.id, { targetId: victim.id, interactionId: "pickpocket", config: config.pickpocket, source: "ai" });
    },
  };
}

export default definePlugin({
  manifest: {
    id: "stealth",
    name: "Stealth",
    version: "1.0.0",
    description: "Pickpocketing, crime flags and NPC thieves, resolved by the interaction dispatcher.",
    tags: ["interactions"],
    dependencies: { interactions: "^1.0.0", items: "^1.0.0" },
    permissions: ["interactions:register", "ai:register", "world-state"],
  },
  onLoad(ctx) {
    const interactions = ctx.use("interactions:register");
    interactions.register(pickpocket);
    for (const effect of CRIME_EFFECTS) interactions.registerEffect(effect);
    ctx.state.sections({ npc: thiefSection });
    ctx.ai.register(thiefBrain(interactions));
  },
});
