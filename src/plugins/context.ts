/**
 * The context a plugin's `onLoad(ctx)` receives (issue 9 §3 "Capabilities", STYLE §10).
 *
 * The context is a frozen plain object holding the base (`id`, `manifest`, `log`) and one key per
 * permission the manifest grants, built by the server's factory for that permission. Nothing
 * else is on it: `"events" in ctx` and `Object.keys(ctx)` show only what was granted. It is
 * wrapped in a Proxy whose `get` throws `plugin/permission-denied` for a capability key that
 * exists in `PERMISSIONS` but was not granted, and records the denial, so the host fails the load
 * even if the plugin catches the error.
 */
import { ArbiterError, definePluginErrors, type ErrorInfo } from "../errors.ts";
import type { CapabilityMap, PluginContextBase, PluginLogger } from "./api.ts";
import { isServerPermission, PERMISSION_NAMES, PERMISSIONS, PROVIDED_PERMISSION_PATTERN, type CapabilityKey, type Permission, type PluginManifest } from "./manifest.ts";
import type { PluginUsage } from "./records.ts";

/**
 * The server's implementation of each capability: `(pluginId, usage) => capability`. Called once
 * per plugin that is granted the permission, before its `onLoad`. `usage` is that plugin's live
 * record of routes, action kinds and subscriptions, for the factory to fill in. A permission
 * without a factory fails the load of any plugin that asks for it (`plugin/capability-unavailable`).
 */
export type CapabilityFactories = {
  readonly [P in Permission]?: (pluginId: string, usage: PluginUsage) => CapabilityMap[P];
};

/** What {@link createPluginContext} needs. */
export interface PluginContextOptions {
  manifest: PluginManifest;
  factories: CapabilityFactories;
  usage: PluginUsage;
  logger: PluginLogger;
  /** `DATA_DIR`, absolute (`ctx.dataDir`). */
  dataDir: string;
  /** Capabilities plugins provided so far (`<id>:<name>` → implementation), shared by one host. */
  provided: Map<string, unknown>;
}

/** A context and the first ungranted capability read through it, if any. */
export interface GuardedContext {
  readonly context: PluginContextBase;
  /** The `plugin/permission-denied` error of the first ungranted read, or undefined. */
  denial(): ArbiterError | undefined;
}

const PERMISSION_BY_KEY: ReadonlyMap<string, Permission> = new Map(PERMISSION_NAMES.map((p) => [PERMISSIONS[p].key, p]));

/**
 * Builds the guarded context of one plugin. Throws `plugin/capability-unavailable` when a granted
 * permission has no factory.
 */
export function createPluginContext(options: PluginContextOptions): GuardedContext {
  const { manifest } = options;
  const target: Record<string, unknown> = {
    id: manifest.id,
    manifest: freezeManifest(manifest),
    log: createPluginLogger(options.logger, manifest.id),
    dataDir: options.dataDir,
    provide: (name: string, implementation: unknown) => provide(options, name, implementation),
    use: (name: string) => use(options, name),
    defineErrors: (table: Record<string, ErrorInfo>) => definePluginErrors(manifest.id, table),
  };
  for (const permission of manifest.permissions) if (isServerPermission(permission)) target[PERMISSIONS[permission].key] = buildCapability(permission, options);
  Object.freeze(target);
  let denied: ArbiterError | undefined;
  const context = new Proxy(target, {
    get(object, key, receiver) {
      const permission = typeof key === "string" && !Object.hasOwn(object, key) ? PERMISSION_BY_KEY.get(key) : undefined;
      if (permission === undefined) return Reflect.get(object, key, receiver);
      const error = permissionDenied(manifest.id, key as CapabilityKey, permission);
      denied ??= error;
      throw error;
    },
  });
  return { context: context as unknown as PluginContextBase, denial: () => denied };
}

/** `ctx.provide`: offers `<own id>:<name>` to the plugins that list it and depend on this one. */
function provide(options: PluginContextOptions, name: string, implementation: unknown): void {
  const id = options.manifest.id;
  const match = PROVIDED_PERMISSION_PATTERN.exec(name);
  if (match === null || match[1] !== id) throw new ArbiterError("plugin/hook-failed", `plugin "${id}" may provide only capabilities named "${id}:<name>", not "${name}"`);
  if (options.provided.has(name)) throw new ArbiterError("plugin/hook-failed", `plugin "${id}" provides "${name}" twice`);
  options.provided.set(name, implementation);
}

/** `ctx.use`: another plugin's capability, if the manifest lists it and the provider offered it. */
function use(options: PluginContextOptions, name: string): unknown {
  const id = options.manifest.id;
  if (!(options.manifest.permissions as readonly string[]).includes(name)) {
    throw new ArbiterError("plugin/permission-denied", `plugin "${id}" used "${name}", which is not in its manifest's permissions`, { plugin: id, permission: name });
  }
  if (!options.provided.has(name)) {
    throw new ArbiterError("plugin/capability-unavailable", `plugin "${id}" uses "${name}", but its provider did not offer it in onLoad`, { plugin: id, permission: name });
  }
  return options.provided.get(name);
}

/** Calls the server's factory for `permission`, or throws `plugin/capability-unavailable`. */
function buildCapability(permission: Permission, options: PluginContextOptions): unknown {
  const factory = options.factories[permission] as ((pluginId: string, usage: PluginUsage) => unknown) | undefined;
  if (!factory) {
    throw new ArbiterError(
      "plugin/capability-unavailable",
      `plugin "${options.manifest.id}" is granted "${permission}" (ctx.${PERMISSIONS[permission].key}), but this server does not provide it`,
      { plugin: options.manifest.id, permission },
    );
  }
  return factory(options.manifest.id, options.usage);
}

/** The coded error of a read of `ctx.<key>` without `permission`. */
function permissionDenied(pluginId: string, key: CapabilityKey, permission: Permission): ArbiterError {
  return new ArbiterError(
    "plugin/permission-denied",
    `plugin "${pluginId}" reached for ctx.${key}, which needs the permission "${permission}" (not in its manifest's permissions)`,
    { plugin: pluginId, capability: key, permission },
  );
}

/** A deep-frozen copy: a plugin cannot change what the host decided from. */
function freezeManifest(manifest: PluginManifest): Readonly<PluginManifest> {
  const copy = structuredClone(manifest);
  for (const value of Object.values(copy)) if (typeof value === "object" && value !== null) Object.freeze(value);
  return Object.freeze(copy);
}

/** `logger` with `{ plugin: id }` on every line. */
export function createPluginLogger(logger: PluginLogger, pluginId: string): PluginLogger {
  return Object.freeze({
    info: (obj: object, msg: string) => logger.info({ ...obj, plugin: pluginId }, msg),
    warn: (obj: object, msg: string) => logger.warn({ ...obj, plugin: pluginId }, msg),
    error: (obj: object, msg: string) => logger.error({ ...obj, plugin: pluginId }, msg),
  });
}
