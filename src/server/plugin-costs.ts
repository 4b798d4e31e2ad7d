/**
 * Time spent in each plugin's code inside a world's tick (issue 9 §3 "Cost per plugin"): action
 * methods, brains and event handlers, in ms, summed per plugin until the room drains it once per
 * tick into `arbiter_plugin_tick_seconds{plugin}` and checks the plugin's budget. All worlds of a
 * process run on one thread, one tick at a time, so one tally serves every room.
 */
export interface PluginCosts {
  /** Adds `ms` to `pluginId`'s tally. */
  add(pluginId: string, ms: number): void;
  /** The tallies since the last drain, by plugin (ms), and a reset. */
  drain(): ReadonlyMap<string, number>;
}

const NONE: ReadonlyMap<string, number> = new Map();

export function createPluginCosts(): PluginCosts {
  let tally = new Map<string, number>();
  return {
    add(pluginId, ms) {
      tally.set(pluginId, (tally.get(pluginId) ?? 0) + ms);
    },
    drain() {
      if (tally.size === 0) return NONE; // no plugin ran: no allocation in the tick
      const drained = tally;
      tally = new Map();
      return drained;
    },
  };
}
