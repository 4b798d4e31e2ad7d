/**
 * What the host knows about each plugin, for `GET /api/plugins` and the start-up log (issue 9 §3).
 * A record is plain data; the host owns it and hands out copies.
 */
import type { HttpMethod } from "./api.ts";
import type { Permission, PluginManifest, ProvidedPermission } from "./manifest.ts";

/**
 * A plugin's state:
 * - `loaded`: `onLoad` finished (before the server listens);
 * - `enabled`: `onEnable` finished too;
 * - `skipped`: not running: disabled in its manifest, or it depends on a plugin that is skipped or
 *   failed (if that happened in `onEnable`, it was loaded and still gets `onDisable`);
 * - `failed`: an optional plugin whose hook threw, timed out or was denied a capability (a
 *   required one stops start-up instead).
 */
export type PluginState = "enabled" | "loaded" | "skipped" | "failed";

/** A route a plugin added, as served: `{ method: "GET", path: "/api/quests/:id" }`. */
export interface PluginRoute {
  readonly method: HttpMethod;
  readonly path: string;
}

/**
 * What a plugin registered through its capabilities. The server fills these in (its capability
 * factories receive the plugin's `PluginUsage`, src/plugins/context.ts); the host only keeps them.
 */
export interface PluginUsage {
  /** Routes the plugin added (`http:routes`); push, never replace. */
  readonly routes: PluginRoute[];
  /** Action kinds the plugin registered (`actions:register`). */
  readonly actionKinds: string[];
  /** Event types the plugin subscribes to (`events:subscribe`). */
  readonly eventSubscriptions: string[];
}

/** One row of `GET /api/plugins`. */
export interface PluginRecord extends PluginUsage {
  id: string;
  name: string;
  version: string;
  description: string;
  prefix: string;
  tags: string[];
  state: PluginState;
  /** Why the plugin is `skipped` or `failed`; null otherwise. */
  reason: string | null;
  /** 1-based position in the dependency order; null for a plugin skipped before ordering. */
  order: number | null;
  permissions: Array<Permission | ProvidedPermission>;
  dependencies: Record<string, string>;
  optional: boolean;
  /** Per-tick budget, ms. */
  budgetMs: number;
}

/** A fresh record, `skipped` with no reason until the host loads it or says why not. */
export function createRecord(manifest: PluginManifest, order: number | null): PluginRecord {
  return {
    id: manifest.id,
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    prefix: manifest.prefix,
    tags: [...manifest.tags],
    state: "skipped",
    reason: null,
    order,
    permissions: [...manifest.permissions],
    dependencies: { ...manifest.dependencies },
    optional: manifest.optional,
    budgetMs: manifest.budgetMs,
    routes: [],
    actionKinds: [],
    eventSubscriptions: [],
  };
}

/** A copy the caller may keep or serialize without touching the host's record. */
export function copyRecord(record: PluginRecord): PluginRecord {
  return {
    ...record,
    tags: [...record.tags],
    permissions: [...record.permissions],
    dependencies: { ...record.dependencies },
    routes: record.routes.map((route) => ({ ...route })),
    actionKinds: [...record.actionKinds],
    eventSubscriptions: [...record.eventSubscriptions],
  };
}

/** A plugin as the start-up log names it. */
export interface PluginLabel {
  id: string;
  version: string;
}

/** A plugin that did not load, and why. */
export interface SkippedLabel extends PluginLabel {
  state: "skipped" | "failed";
  reason: string;
}

/**
 * The start-up log (issue 9 §3), for the caller to log: `message` at info, `warning` (one line
 * listing every plugin not loaded, or undefined) at warn, with `loaded` / `skipped` as fields.
 */
export interface StartupReport {
  /** In load order. */
  loaded: PluginLabel[];
  /** By id. */
  skipped: SkippedLabel[];
  /** `Loaded 2 plugins: a@1.0.0, b@0.2.0` (`Loaded 1 plugin: a@1.0.0`, `Loaded 0 plugins`). */
  message: string;
  /** `Skipped 1 plugin: c@1.0.0 (disabled in its manifest)`, or undefined when none was skipped. */
  warning: string | undefined;
}

/** Builds the {@link StartupReport} of `records`. */
export function describeStartup(records: readonly PluginRecord[]): StartupReport {
  const loaded = records
    .filter((r) => r.state === "loaded" || r.state === "enabled")
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((r) => ({ id: r.id, version: r.version }));
  const skipped = records
    .filter((r): r is PluginRecord & { state: "skipped" | "failed" } => r.state === "skipped" || r.state === "failed")
    .sort((a, b) => compareIds(a.id, b.id))
    .map((r) => ({ id: r.id, version: r.version, state: r.state, reason: r.reason ?? r.state }));
  const message = `Loaded ${countPlugins(loaded.length)}${loaded.length > 0 ? ": " : ""}${loaded.map(labelOf).join(", ")}`;
  const warning = skipped.length === 0 ? undefined : `Skipped ${countPlugins(skipped.length)}: ${skipped.map((s) => `${labelOf(s)} (${s.reason})`).join(", ")}`;
  return { loaded, skipped, message, warning };
}

/** `a@1.0.0`. */
function labelOf(plugin: PluginLabel): string {
  return `${plugin.id}@${plugin.version}`;
}

/** `1 plugin`, `2 plugins`, `0 plugins`. */
function countPlugins(n: number): string {
  return `${n} plugin${n === 1 ? "" : "s"}`;
}

/** Orders ids by UTF-16 code units, the same on every machine (no locale). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
