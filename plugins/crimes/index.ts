/**
 * `crimes` (issue 10, seed 000 §3 "Scheduled/Automatic Interactions"): every game day at 06:00 the
 * world forgives pickpocketing. A scheduled task (`daily: "06:00"`, on the tick boundary where game
 * time reaches it, src/core/schedules.ts) queues the `forgive_crimes` interaction for every actor
 * with a flag of the forgiven types, through the dispatcher (`source: "schedule"`), with the config
 * stored on the server: the world file's `plugins.crimes: { crimeTypes }` (default
 * `["pickpocket"]`). Like every interaction it is an `interact` action in the journal, so a replay
 * clears the same flags at the same tick. An actor downed at 06:00 cannot act and keeps its flags
 * until the next day.
 */
import { z } from "zod";
import type { World } from "../../src/core/index.ts";
import { definePlugin } from "../../src/plugins/api.ts";
import type { Interaction } from "../interactions/contract.ts";
import { crimesOf, hasCrimes } from "../stealth/crimes.ts";

/** Game time of the daily forgiveness. */
export const FORGIVE_AT = "06:00";

const forgiveConfig = z.strictObject({ crimeTypes: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)).min(1).max(16).default(["pickpocket"]) });
type ForgiveConfig = z.output<typeof forgiveConfig>;

const forgiveCrimes: Interaction<ForgiveConfig> = {
  id: "forgive_crimes",
  name: "Forgive crimes",
  configSchema: forgiveConfig,
  isAvailable: (ctx) => (hasCrimes(ctx.target, ctx.config.crimeTypes) ? true : "nothing to forgive"),
  execute(ctx) {
    const forgiven = ctx.config.crimeTypes.filter((type) => (crimesOf(ctx.target)[type]?.length ?? 0) > 0);
    return {
      success: true,
      message: `Day ${ctx.gameTime.day}, ${FORGIVE_AT}: your ${forgiven.join(", ")} ${forgiven.length === 1 ? "crime is" : "crimes are"} forgiven.`,
      effects: [{ kind: "clear-crimes", actorId: ctx.target.id, crimeTypes: forgiven }],
    };
  },
};

export default definePlugin({
  manifest: {
    id: "crimes",
    name: "Crimes",
    version: "1.0.0",
    description: "Forgives crime flags daily at 06:00 game time, as a scheduled interaction.",
    tags: ["interactions"],
    dependencies: { interactions: "^1.0.0", stealth: "^1.0.0" },
    permissions: ["interactions:register", "scheduler:register", "world-state"],
  },
  onLoad(ctx) {
    const interactions = ctx.use("interactions:register");
    interactions.register(forgiveCrimes);
    const section = z.strictObject({ crimeTypes: forgiveConfig.shape.crimeTypes });
    ctx.state.sections({ world: section });
    const configs = new WeakMap<World, ForgiveConfig>();
    const configOf = (world: World): ForgiveConfig => {
      let config = configs.get(world);
      if (config === undefined) {
        config = forgiveConfig.parse(world.def.plugins?.["crimes"] ?? {});
        configs.set(world, config);
      }
      return config;
    };
    ctx.scheduler.register({
      name: "crimes:forgive",
      daily: FORGIVE_AT,
      run(world) {
        const config = configOf(world);
        for (const actor of world.order) {
          if (hasCrimes(actor, config.crimeTypes)) interactions.queue(world, actor.id, { targetId: actor.id, interactionId: "forgive_crimes", config, source: "schedule" });
        }
      },
    });
  },
});
