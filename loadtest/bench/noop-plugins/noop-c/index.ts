/** Benchmark plugin: subscribes a no-op handler to every core event type (plugin-bench.ts). */
import { CORE_EVENT_TYPES } from "../../../../src/core/index.ts";
import { definePlugin } from "../../../../src/plugins/api.ts";

export default definePlugin({
  manifest: { id: "noop-c", name: "No-op c", version: "1.0.0", permissions: ["events:subscribe"] },
  onLoad(ctx) {
    for (const type of CORE_EVENT_TYPES) ctx.events.on(type, () => undefined);
  },
});
