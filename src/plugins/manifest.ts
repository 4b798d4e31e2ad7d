/**
 * The plugin manifest (issue 9 §3, seed 001's `PluginManifest`), validated with zod at discovery
 * (STYLE §10, §12), and the fixed table of permissions a manifest may ask for.
 *
 * Anchors: Fastify's plugin metadata (`fastify-plugin`'s name, dependencies and version range),
 * here with a semver range per dependency, and permissions that decide which capabilities a
 * plugin's context holds (src/plugins/context.ts).
 */
import semver from "semver";
import { z } from "zod";

/**
 * Every permission a manifest may list, and the key of the capability it puts on the plugin's
 * context (`ctx[key]`). The union {@link Permission} and the manifest schema derive from this table,
 * so a new capability is one entry here plus its interface in `CapabilityMap` (src/plugins/api.ts).
 * The server provides each capability (issue 9 §3); the host only hands it to plugins that may use it.
 */
export const PERMISSIONS = {
  /** `ctx.actions`: register action kinds (name, payload schema, control, resolution) on every world (issue 9 §1). */
  "actions:register": { key: "actions" },
  /** `ctx.ai`: register NPC brains (AI kinds a world file names in `npcs[].ai`, issue 9 §1). */
  "ai:register": { key: "ai" },
  /** `ctx.events`: subscribe to the typed tick events (`moved`, `pushed` …); `on()` returns its unsubscribe. */
  "events:subscribe": { key: "events" },
  /** `ctx.state`: read and write the plugin's own per-world and per-actor state (plain data, snapshotted, hashed, journaled). */
  "world-state": { key: "state" },
  /** `ctx.stats`: change actors' stats (seed 004). */
  "stats:write": { key: "stats" },
  /** `ctx.sessions`: read player sessions (seed 003 §1.1). */
  "sessions:read": { key: "sessions" },
  /** `ctx.sessionWriter`: change player sessions' name and flags (never stats). */
  "sessions:write": { key: "sessionWriter" },
  /** `ctx.http`: add HTTP routes under `/api/<prefix>/…`, on the server's router. */
  "http:routes": { key: "http" },
  /** `ctx.storage`: the plugin's own SQLite tables, created by its own migrations, namespaced by plugin id. */
  storage: { key: "storage" },
  /** `ctx.scheduler`: register tasks that run every N ticks (the next issue's schedules). */
  "scheduler:register": { key: "scheduler" },
  /** `ctx.clients`: send messages to the client controlling a player actor. */
  "clients:send": { key: "clients" },
  /** `ctx.worlds`: the world files, and the running worlds through their typed port. */
  "worlds:read": { key: "worlds" },
  /** `ctx.metrics`: the plugin's own Prometheus metrics on `/metrics`, named `arbiter_plugin_<id>_…`. */
  "metrics:register": { key: "metrics" },
} as const satisfies Record<string, { key: string }>;

/** A permission a manifest may list: a key of {@link PERMISSIONS}. */
export type Permission = keyof typeof PERMISSIONS;

/** The context key a permission grants: `CapabilityKeyOf<"events:subscribe">` is `"events"`. */
export type CapabilityKeyOf<P extends Permission> = (typeof PERMISSIONS)[P]["key"];

/** Every context key some permission grants (`actions`, `events`, `state` …). */
export type CapabilityKey = CapabilityKeyOf<Permission>;

/**
 * A capability another plugin provides, `<provider id>:<name>` (`interactions:register`): the
 * provider offers it with `ctx.provide`, a plugin that lists it in `permissions` (and depends on
 * the provider, so it loads after it) reaches it with `ctx.use` (src/plugins/context.ts).
 */
export type ProvidedPermission = `${string}:${string}`;

/** `<plugin id>:<name>`, both kebab-case. */
export const PROVIDED_PERMISSION_PATTERN = /^([a-z0-9]+(?:-[a-z0-9]+)*):([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** True when `permission` is one of the server's (a key of {@link PERMISSIONS}). */
export function isServerPermission(permission: string): permission is Permission {
  return Object.hasOwn(PERMISSIONS, permission);
}

/** The permissions, in table order. */
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as [Permission, ...Permission[]];

/** A plugin id: kebab-case, 1–64 characters (`ai-wander`). It is also the plugin's folder name. */
export const PLUGIN_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** semver `x.y.z` with an optional prerelease (`1.2.0`, `0.3.0-beta.1`); no build metadata. */
const VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?$/;

/** One HTTP path segment: the `<prefix>` of `/api/<prefix>/…`. */
const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Default per-tick budget of a plugin's handlers, ms (issue 9 §3 "Cost per plugin"). */
export const DEFAULT_BUDGET_MS = 2;

const pluginId = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(PLUGIN_ID_PATTERN, "must be kebab-case: lower-case letters and digits in words joined by '-' (e.g. ai-wander)");

const versionRange = z.string().refine((range) => semver.validRange(range) !== null, "must be a semver range such as ^1.2.0, ~0.3.1 or >=1.0.0 <2.0.0");

/**
 * The manifest schema (strict: an unknown field is an error). Defaults: `description` "", `prefix`
 * = `id`, `tags` [], `dependencies` {}, `enabled` true, `permissions` [], `optional` false,
 * `budgetMs` {@link DEFAULT_BUDGET_MS}. A permission listed twice and a plugin depending on itself
 * are errors on the field that says so.
 */
export const manifestSchema = z
  .strictObject({
    id: pluginId,
    name: z.string().min(1).max(128),
    version: z.string().regex(VERSION_PATTERN, "must be a semver version x.y.z, optionally with a prerelease (1.2.0-beta.1)"),
    description: z.string().max(1024).default(""),
    /** HTTP path segment of the plugin's routes, `/api/<prefix>/…`; default: the id. */
    prefix: z.string().regex(PREFIX_PATTERN, "must be one URL path segment: letters, digits, '-' or '_' (1–64)").optional(),
    tags: z.array(z.string().min(1).max(64)).max(32).default([]),
    /** `{ "<plugin id>": "<semver range>" }`, checked before load (src/plugins/order.ts). */
    dependencies: z.record(z.string(), versionRange).default({}),
    /** false: the plugin is skipped, and so is every plugin that depends on it. */
    enabled: z.boolean().default(true),
    /** The server's permissions (`PERMISSIONS`) and other plugins' provided capabilities (`<id>:<name>`). */
    permissions: z
      .array(
        z.string().refine((p) => isServerPermission(p) || PROVIDED_PERMISSION_PATTERN.test(p), {
          error: (issue) => `${JSON.stringify(issue.input)} is not a permission: use one of ${PERMISSION_NAMES.join(", ")}, or another plugin's capability "<plugin id>:<name>"`,
        }) as unknown as z.ZodType<Permission | ProvidedPermission>,
      )
      .default([]),
    /** true: a failing hook skips this plugin and its dependents instead of stopping start-up. */
    optional: z.boolean().default(false),
    /** Per-tick budget of the plugin's handlers, ms; exceeding it for a second logs a warning. */
    budgetMs: z.number().positive().max(1000).default(DEFAULT_BUDGET_MS),
  })
  .superRefine((manifest, ctx) => {
    manifest.permissions.forEach((permission, i) => {
      const first = manifest.permissions.indexOf(permission);
      if (first !== i) ctx.addIssue({ code: "custom", path: ["permissions", i], message: `"${permission}" is already listed at permissions[${first}]` });
    });
    manifest.permissions.forEach((permission, i) => {
      const provider = isServerPermission(permission) ? undefined : PROVIDED_PERMISSION_PATTERN.exec(permission)?.[1];
      if (provider !== undefined && !Object.hasOwn(manifest.dependencies, provider)) {
        ctx.addIssue({ code: "custom", path: ["permissions", i], message: `"${permission}" is provided by plugin ${provider}: list it in dependencies` });
      }
    });
    for (const dependency of Object.keys(manifest.dependencies)) {
      if (!pluginId.safeParse(dependency).success) ctx.addIssue({ code: "custom", path: ["dependencies", dependency], message: `"${dependency}" is not a plugin id (kebab-case, 1–64 characters)` });
    }
    if (Object.hasOwn(manifest.dependencies, manifest.id)) {
      ctx.addIssue({ code: "custom", path: ["dependencies", manifest.id], message: "a plugin cannot depend on itself" });
    }
  })
  .transform((manifest) => ({ ...manifest, prefix: manifest.prefix ?? manifest.id }));

/** A validated manifest, defaults filled in (`prefix` is always set). */
export type PluginManifest = z.output<typeof manifestSchema>;

/** A manifest as a plugin author writes it: optional fields may be left out. */
export type PluginManifestInput = z.input<typeof manifestSchema>;

/**
 * True when `version` is within `range` (npm's semver rules: a prerelease satisfies a range only
 * when the range names a prerelease of the same `x.y.z`).
 */
export function satisfiesRange(version: string, range: string): boolean {
  return semver.satisfies(version, range);
}
