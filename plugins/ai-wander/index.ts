/**
 * `ai-wander`: the `wander` NPC brain (plugins/ai-wander/brain.ts), registered through the plugin
 * host like any other AI kind (issue 9 §1: AI kinds are registered, not a closed list). The
 * shipped worlds name it in `npcs[].ai`.
 */
import { definePlugin } from "../../src/plugins/api.ts";
import { wanderBrain } from "./brain.ts";

export default definePlugin({
  manifest: {
    id: "ai-wander",
    name: "Wandering NPCs",
    version: "1.0.0",
    description: "NPCs that step in a seeded-random direction about once every 10 ticks.",
    tags: ["ai"],
    permissions: ["ai:register"],
  },
  onLoad(ctx) {
    ctx.ai.register(wanderBrain);
  },
});
