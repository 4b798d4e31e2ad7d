/**
 * Plugin discovery (issue 9 §3 "Layout"; anchor: @fastify/autoload).
 *
 * `PLUGINS_DIR` holds one folder per plugin, `<id>/index.ts` (or `index.js`, `index.mjs`), whose
 * module exports `manifest` and optional hooks `onLoad`, `onEnable`, `onDisable`, either by name
 * or as one default export object (`export default definePlugin({ … })`). Adding a plugin needs
 * no edit to any other file.
 *
 * Like autoload, entries that are not plugins are passed over: hidden entries (`.git`) silently,
 * files and folders without an index with a reason the caller may log. A folder that has an index
 * is a plugin, and then it must be a valid one: a bad manifest or export, or a folder name other
 * than the manifest's id, stops start-up with `plugin/bad-manifest` naming the folder and fields.
 */
import type { Stats } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { formatPath } from "../content/format-issues.ts";
import { ArbiterError } from "../errors.ts";
import type { PluginContextBase } from "./api.ts";
import { HOOK_NAMES, type HookName } from "./hooks.ts";
import { manifestSchema, type PluginManifest } from "./manifest.ts";
import type { OrderablePlugin } from "./order.ts";
import { compareIds } from "./records.ts";

/** Default of `PLUGINS_DIR`, relative to the working directory (issue 9 §3). */
export const DEFAULT_PLUGINS_DIR = "plugins";

/** Index files a plugin folder may have, by precedence. */
export const INDEX_FILES = ["index.ts", "index.js", "index.mjs"] as const;

/** The hooks a plugin module exports, as the host calls them (bound to their module). */
export interface PluginHooks {
  readonly onLoad?: (ctx: PluginContextBase) => unknown;
  readonly onEnable?: () => unknown;
  readonly onDisable?: () => unknown;
}

/** A plugin found and validated, ready for ordering and loading. */
export interface DiscoveredPlugin extends OrderablePlugin {
  readonly manifest: PluginManifest;
  readonly hooks: PluginHooks;
}

/** An entry of the plugins directory that is not a plugin. */
export interface IgnoredEntry {
  /** The file or folder name. */
  readonly name: string;
  readonly reason: string;
}

/** The outcome of {@link discoverPlugins}. */
export interface Discovery {
  /** By folder name. */
  readonly plugins: readonly DiscoveredPlugin[];
  /** By name; for the caller to log. */
  readonly ignored: readonly IgnoredEntry[];
}

/**
 * Scans `dir` (absolute; the caller resolves `PLUGINS_DIR`) and imports each plugin's index with
 * a dynamic `import()`. Throws `plugin/no-dir`, `plugin/import-failed` or `plugin/bad-manifest`.
 */
export async function discoverPlugins(dir: string): Promise<Discovery> {
  const names = await listDir(dir);
  const plugins: DiscoveredPlugin[] = [];
  const ignored: IgnoredEntry[] = [];
  for (const name of names) {
    if (name.startsWith(".")) continue;
    const path = join(dir, name);
    if (!(await statOf(path))?.isDirectory()) {
      ignored.push({ name, reason: "not a folder (a plugin is a folder <id>/ with an index.ts)" });
      continue;
    }
    const index = await findIndex(path);
    if (index === undefined) {
      ignored.push({ name, reason: `no ${INDEX_FILES.join(", ")} in the folder` });
      continue;
    }
    const imported = await importIndex(index, name);
    plugins.push(parsePluginModule(imported, { source: index, folder: name }));
  }
  return { plugins, ignored };
}

/** Entry names of `dir`, sorted. Throws `plugin/no-dir`. */
async function listDir(dir: string): Promise<string[]> {
  const stats = await statOf(dir);
  if (!stats?.isDirectory()) {
    throw new ArbiterError("plugin/no-dir", `plugins directory ${dir} ${stats ? "is not a directory" : "does not exist"} (PLUGINS_DIR)`, { dir });
  }
  return (await readdir(dir)).sort(compareIds);
}

/** The stats of `path` (following symlinks), or undefined when nothing is there. */
async function statOf(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The first of {@link INDEX_FILES} present in `folder`, as an absolute path. */
async function findIndex(folder: string): Promise<string | undefined> {
  for (const file of INDEX_FILES) {
    const path = join(folder, file);
    if ((await statOf(path))?.isFile()) return path;
  }
  return undefined;
}

/** Imports `file`. Throws `plugin/import-failed` naming the folder, with the import error as `cause`. */
async function importIndex(file: string, folder: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    const error = new ArbiterError("plugin/import-failed", `plugin folder "${folder}" (${file}): could not import: ${reason}`, { folder, source: file });
    error.cause = thrown;
    throw error;
  }
}

/** Where a module came from, for messages: its file, and its folder when discovered. */
export interface ModuleOrigin {
  source: string;
  /** The plugin's folder name, which must equal the manifest's id; omit for a plugin not loaded from a folder. */
  folder?: string;
}

/**
 * Validates a plugin module (a module namespace or a `definePlugin()` object): its manifest
 * against `manifestSchema`, its hooks as functions, the folder name against the id. Throws
 * `plugin/bad-manifest` listing every problem as `<field path>: <problem>`.
 */
export function parsePluginModule(imported: unknown, origin: ModuleOrigin): DiscoveredPlugin {
  const { exports, problems } = pickExports(imported);
  const parsed = manifestSchema.safeParse(exports.manifest);
  if (exports.manifest === undefined) problems.push("manifest: missing: export `manifest`, or `export default definePlugin({ manifest, … })`");
  else if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `${formatPath(["manifest", ...issue.path])}: ${issue.message}`));
  for (const hook of HOOK_NAMES) {
    const value = exports[hook];
    if (value !== undefined && typeof value !== "function") problems.push(`${hook}: must be a function, got ${typeof value}`);
  }
  if (parsed.success && origin.folder !== undefined && parsed.data.id !== origin.folder) {
    problems.push(`manifest.id: "${parsed.data.id}" must equal its folder name "${origin.folder}"`);
  }
  if (problems.length > 0 || !parsed.success) throw badManifest(origin, problems);
  return { manifest: parsed.data, source: origin.source, hooks: bindHooks(exports) };
}

/** The object holding the plugin's exports: the module itself, or its default export. */
function pickExports(imported: unknown): { exports: Record<string, unknown>; problems: string[] } {
  const named = isObject(imported) ? imported : {};
  const fallback = isObject(named.default) && "manifest" in named.default ? named.default : undefined;
  if (!fallback) return { exports: named, problems: [] };
  // A CommonJS index shows the same object both ways; two different manifests are ambiguous.
  if ("manifest" in named && named.manifest !== fallback.manifest) {
    return { exports: fallback, problems: ["manifest: exported both by name and in the default export; keep one"] };
  }
  return { exports: fallback, problems: [] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null;
}

/** The hooks of `exports`, bound to it so a hook may use `this`. */
function bindHooks(exports: Record<string, unknown>): PluginHooks {
  const hooks: Partial<Record<HookName, unknown>> = {};
  for (const hook of HOOK_NAMES) {
    const value = exports[hook];
    if (typeof value === "function") hooks[hook] = value.bind(exports);
  }
  return hooks as PluginHooks;
}

function badManifest(origin: ModuleOrigin, problems: readonly string[]): ArbiterError {
  const where = origin.folder === undefined ? origin.source : `plugin folder "${origin.folder}" (${origin.source})`;
  return new ArbiterError("plugin/bad-manifest", `${where}: invalid plugin\n${problems.map((p) => `  - ${p}`).join("\n")}`, {
    folder: origin.folder,
    source: origin.source,
    problems,
  });
}
