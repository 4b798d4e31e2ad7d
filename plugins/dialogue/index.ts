/**
 * `dialogue`: the `talk` interaction (issue 10 "dialogue: talk", seed 003 §1.3).
 *
 * At load: reads and validates `DATA_DIR/narrative/*.json` (narrative.ts; a bad file stops
 * start-up naming the file and field paths), registers `talk` (config `{ affinityGain, dailyCap }`,
 * talk.ts) and its `dialogue-talk` effect with the dispatcher, and counts the reply cache's hits
 * and misses on `/metrics` as `arbiter_plugin_dialogue_cache_hits_total` and
 * `arbiter_plugin_dialogue_cache_misses_total` (reply-cache.ts).
 */
import { definePlugin } from "../../src/plugins/api.ts";
import { loadNarrative } from "./narrative.ts";
import { createReplyCache } from "./reply-cache.ts";
import { createTalk, createTalkEffect } from "./talk.ts";

export default definePlugin({
  manifest: {
    id: "dialogue",
    name: "Dialogue",
    version: "1.0.0",
    description: "Talk to NPCs: replies from narrative files by genre and relationship tier, with a daily affinity cap.",
    tags: ["interactions"],
    dependencies: { interactions: "^1.0.0" },
    permissions: ["interactions:register", "world-state", "metrics:register"],
  },
  onLoad(ctx) {
    const narrative = loadNarrative(ctx.dataDir);
    const cache = createReplyCache({
      hits: ctx.metrics.counter("cache_hits_total", "Talk replies served from the rendered-reply cache"),
      misses: ctx.metrics.counter("cache_misses_total", "Talk replies rendered because the cache did not hold them"),
    });
    const interactions = ctx.use("interactions:register");
    interactions.register(createTalk({ narrative, cache, state: ctx.state }));
    interactions.registerEffect(createTalkEffect(ctx.state));
  },
});
