/**
 * The plugin host: loads, enables and disables plugins (issue 9 §3 "Lifecycle"; anchor: avvio).
 *
 * - `loadPlugins()` orders the plugins (src/plugins/order.ts), then, one at a time in that order,
 *   builds each plugin's context (only its granted capabilities, src/plugins/context.ts) and runs
 *   `onLoad(ctx)` with the hook timeout. The server has not started listening yet.
 * - `host.enable()` runs `onEnable()` in the same order, after the server listens.
 * - `host.disable()` runs `onDisable()` in reverse order at shutdown, for every plugin whose
 *   `onLoad` finished; an error there is logged and shutdown goes on.
 *
 * A failing hook (throws, rejects, times out, or reads an ungranted capability) of a required
 * plugin stops start-up with its coded error; the plugins already loaded are disabled first, in
 * reverse. An `optional` plugin is marked `failed` instead, with a warning, and every plugin that
 * depends on it is `skipped` (checked in order, so dependents of dependents follow).
 */
import { resolve } from "node:path";
import { ArbiterError } from "../errors.ts";
import type { PluginLogger } from "./api.ts";
import { createPluginContext, type CapabilityFactories } from "./context.ts";
import type { DiscoveredPlugin } from "./discover.ts";
import { MAX_HOOK_TIMEOUT_MS, runHook, type HookName } from "./hooks.ts";
import { dependencyIds, describeBlockedDependency, orderPlugins } from "./order.ts";
import { copyRecord, createRecord, describeStartup, type PluginRecord, type PluginState, type StartupReport } from "./records.ts";

/** What {@link loadPlugins} needs from the caller. */
export interface LoadPluginsOptions {
  /** Discovered plugins (src/plugins/discover.ts), in any order. */
  plugins: readonly DiscoveredPlugin[];
  /** The server's capability factories, by permission. */
  capabilities: CapabilityFactories;
  /** `PLUGIN_HOOK_TIMEOUT_MS`: how long each hook may take, ms (1 … 2³¹ − 1; default 10 000 in the caller's config). */
  hookTimeoutMs: number;
  /** `DATA_DIR`, absolute, handed to every plugin as `ctx.dataDir` (default: `data` under the working directory). */
  dataDir?: string;
  /** pino's `Logger` fits; plugins log through it with `{ plugin: id }`. */
  logger: PluginLogger;
}

/** The loaded plugins, for the server's start-up, `GET /api/plugins` and shutdown. */
export interface PluginHost {
  /** The start-up log lines and fields, for the caller to log (`message` at info, `warning` at warn). */
  readonly startup: StartupReport;
  /** Every plugin's record (copies): in load order, then the ones skipped before ordering, by id. */
  list(): PluginRecord[];
  /**
   * Runs `onEnable()` of each loaded plugin in load order (call once the server listens). Rejects
   * with `plugin/hook-failed` or `plugin/hook-timeout` for a required plugin (the caller then shuts
   * down with `disable()`); an optional one is marked `failed` and its dependents `skipped`.
   */
  enable(): Promise<void>;
  /** Runs `onDisable()` in reverse load order; never rejects for a plugin's error (it is logged). */
  disable(): Promise<void>;
}

/** One plugin in the host: its module, its record, and whether its `onLoad` finished (so it needs `onDisable`). */
interface Entry {
  readonly plugin: DiscoveredPlugin;
  readonly record: PluginRecord;
  loaded: boolean;
}

/**
 * Orders and loads `options.plugins` (see the module header). Throws the coded errors of
 * `orderPlugins` and, for a required plugin, `plugin/hook-failed`, `plugin/hook-timeout`,
 * `plugin/permission-denied`, `plugin/capability-unavailable` or a capability's own `plugin/*` code.
 */
export async function loadPlugins(options: LoadPluginsOptions): Promise<PluginHost> {
  checkHookTimeout(options.hookTimeoutMs);
  const plan = orderPlugins(options.plugins);
  const entries: Entry[] = plan.load.map((plugin, i) => ({ plugin, record: createRecord(plugin.manifest, i + 1), loaded: false }));
  const byId = new Map(options.plugins.map((plugin) => [plugin.manifest.id, plugin]));
  const skipped = plan.skipped.map(({ id, reason }) => ({ ...createRecord(byId.get(id)!.manifest, null), reason }));
  await loadInOrder(entries, options);
  const records = () => [...entries.map((e) => e.record), ...skipped];
  return {
    startup: describeStartup(records()),
    list: () => records().map(copyRecord),
    enable: () => enableInOrder(entries, options),
    disable: () => disableInReverse(entries, options),
  };
}

function checkHookTimeout(ms: number): void {
  if (!Number.isInteger(ms) || ms < 1 || ms > MAX_HOOK_TIMEOUT_MS) {
    throw new RangeError(`hookTimeoutMs must be an integer from 1 to ${MAX_HOOK_TIMEOUT_MS} ms, got ${ms}`);
  }
}

/** Loads each entry in order; on a required plugin's failure, disables the loaded ones and throws. */
async function loadInOrder(entries: readonly Entry[], options: LoadPluginsOptions): Promise<void> {
  const records = new Map(entries.map((e) => [e.record.id, e.record]));
  const provided = new Map<string, unknown>();
  for (const entry of entries) {
    if (skipIfBlocked(entry, records, "loaded")) continue;
    const failure = await loadOne(entry, options, provided);
    if (failure === undefined) {
      entry.record.state = "loaded";
      entry.loaded = true;
    } else if (entry.plugin.manifest.optional) {
      markFailed(entry, failure, "onLoad", options.logger);
    } else {
      await disableInReverse(entries, options);
      throw failure;
    }
  }
}

/** Builds the plugin's context and runs `onLoad`; returns the coded failure, or undefined. */
async function loadOne(entry: Entry, options: LoadPluginsOptions, provided: Map<string, unknown>): Promise<ArbiterError | undefined> {
  const { manifest, hooks } = entry.plugin;
  let guarded;
  try {
    guarded = createPluginContext({ manifest, factories: options.capabilities, usage: entry.record, logger: options.logger, dataDir: options.dataDir ?? resolve("data"), provided });
  } catch (error) {
    if (error instanceof ArbiterError && error.code === "plugin/capability-unavailable") return error;
    throw error;
  }
  const { context, denial } = guarded;
  const onLoad = hooks.onLoad;
  if (onLoad === undefined) return undefined;
  try {
    await runHook({ pluginId: manifest.id, hook: "onLoad", run: () => onLoad(context), timeoutMs: options.hookTimeoutMs });
  } catch (error) {
    return denial() ?? (error as ArbiterError);
  }
  return denial();
}

/** Runs `onEnable` of each loaded entry in order (see {@link PluginHost.enable}). */
async function enableInOrder(entries: readonly Entry[], options: LoadPluginsOptions): Promise<void> {
  const records = new Map(entries.map((e) => [e.record.id, e.record]));
  for (const entry of entries) {
    if (!entry.loaded || entry.record.state !== "loaded") continue;
    if (skipIfBlocked(entry, records, "enabled")) continue;
    const onEnable = entry.plugin.hooks.onEnable;
    try {
      if (onEnable) await runHook({ pluginId: entry.record.id, hook: "onEnable", run: () => onEnable(), timeoutMs: options.hookTimeoutMs });
      entry.record.state = "enabled";
    } catch (error) {
      if (!entry.plugin.manifest.optional) throw error;
      markFailed(entry, error as ArbiterError, "onEnable", options.logger);
    }
  }
}

/** Runs `onDisable` of each loaded entry, last loaded first; logs failures and goes on. */
async function disableInReverse(entries: readonly Entry[], options: LoadPluginsOptions): Promise<void> {
  for (const entry of [...entries].reverse()) {
    if (!entry.loaded) continue;
    entry.loaded = false;
    const onDisable = entry.plugin.hooks.onDisable;
    if (onDisable === undefined) continue;
    try {
      await runHook({ pluginId: entry.record.id, hook: "onDisable", run: () => onDisable(), timeoutMs: options.hookTimeoutMs });
    } catch (error) {
      options.logger.error({ plugin: entry.record.id, hook: "onDisable", err: error }, `${(error as Error).message}; shutdown goes on`);
    }
  }
}

/**
 * Marks `entry` skipped when one of its dependencies (by id) is not in state `needed`, naming the
 * first such dependency. Dependencies come earlier in load order, so their state is final.
 */
function skipIfBlocked(entry: Entry, records: ReadonlyMap<string, PluginRecord>, needed: PluginState): boolean {
  for (const dependency of dependencyIds(entry.plugin.manifest)) {
    const state = records.get(dependency)!.state;
    if (state === needed) continue;
    entry.record.state = "skipped";
    entry.record.reason = describeBlockedDependency(dependency, state === "failed" ? "failed" : "skipped");
    return true;
  }
  return false;
}

/** An optional plugin's failure: state `failed`, the error's message as reason, one warning with the error. */
function markFailed(entry: Entry, error: ArbiterError, hook: HookName, logger: PluginLogger): void {
  entry.record.state = "failed";
  entry.record.reason = error.message;
  logger.warn(
    { plugin: entry.record.id, hook, code: error.code, err: error },
    `optional plugin "${entry.record.id}" failed in ${hook}; it and the plugins that depend on it are skipped`,
  );
}
