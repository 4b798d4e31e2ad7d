/**
 * Small factories for plugin tests: in-memory plugins (validated like discovered ones), a logger
 * that records its lines, fake capability factories, and plugin folders written to temp dirs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PluginLogger, PluginModule } from "../../src/plugins/api.ts";
import type { CapabilityFactories } from "../../src/plugins/context.ts";
import { parsePluginModule, type DiscoveredPlugin, type PluginHooks } from "../../src/plugins/discover.ts";
import { loadPlugins, type PluginHost } from "../../src/plugins/host.ts";
import type { PluginManifestInput } from "../../src/plugins/manifest.ts";

/** A manifest for `id` at version 1.0.0 with `fields` added or replaced. */
export function manifestOf(id: string, fields: Partial<PluginManifestInput> = {}): PluginManifestInput {
  return { id, name: id, version: "1.0.0", ...fields };
}

/** A validated in-memory plugin, as discovery would return it. */
export function makePlugin(id: string, fields: Partial<PluginManifestInput> = {}, hooks: PluginHooks = {}): DiscoveredPlugin {
  return parsePluginModule({ manifest: manifestOf(id, fields), ...hooks }, { source: `memory:${id}` });
}

/** A `definePlugin()` module, validated like a discovered one. */
export function definedPlugin(plugin: PluginModule): DiscoveredPlugin {
  return parsePluginModule(plugin, { source: `memory:${plugin.manifest.id}` });
}

/** One line a {@link RecordingLogger} received. */
export interface LogLine {
  level: "info" | "warn" | "error";
  obj: Record<string, unknown>;
  msg: string;
}

export interface RecordingLogger extends PluginLogger {
  readonly lines: LogLine[];
}

/** A logger that keeps every line. */
export function recordingLogger(): RecordingLogger {
  const lines: LogLine[] = [];
  const at = (level: LogLine["level"]) => (obj: object, msg: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}

/** Capability factories for every permission, with no behaviour beyond recording usage. */
export function fakeCapabilities(): CapabilityFactories {
  return {
    "actions:register": (_id, usage) => ({ register: (kind) => void usage.actionKinds.push(kind.name) }),
    "ai:register": () => ({ register: () => undefined }),
    "events:subscribe": (_id, usage) => ({
      on: (type) => {
        usage.eventSubscriptions.push(type);
        return () => undefined;
      },
      define: () => undefined,
    }),
    "world-state": () => ({ sections: () => undefined, getWorld: () => undefined, setWorld: () => undefined, getActor: () => undefined, setActor: () => undefined, initialActor: () => undefined }),
    "stats:write": () => ({ set: (_tick, actor) => ({ ok: true, value: actor }), modify: (_tick, actor) => ({ ok: true, value: actor }), remove: () => 0 }),
    "sessions:read": () => ({ get: () => undefined }),
    "sessions:write": () => ({ update: () => undefined }),
    "http:routes": (id, usage) => ({
      route: (method, path) => void usage.routes.push({ method, path: `/api/${id}${path}` }),
      npcRoute: (method, path) => void usage.routes.push({ method, path: `/api/worlds/:worldId/npcs/:npcId/${id}${path}` }),
      sessionRoute: (method, path) => void usage.routes.push({ method, path: `/api/sessions/:sessionId/${id}${path}` }),
    }),
    "scheduler:register": () => ({ register: () => () => undefined }),
  };
}

/** Loads `plugins` with fake capabilities, a 1 s hook timeout (or `hookTimeoutMs`) and `logger`. */
export function loadWith(plugins: DiscoveredPlugin[], logger: PluginLogger = recordingLogger(), hookTimeoutMs = 1000): Promise<PluginHost> {
  return loadPlugins({ plugins, capabilities: fakeCapabilities(), hookTimeoutMs, logger });
}

/** Awaits `promise`, expecting it to reject; returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

const made: string[] = [];

/**
 * A new plugins dir holding `entries`: `{ "<folder>/<file>": source }`, each written as is
 * (folders are created). Removed by {@link removePluginDirs}.
 */
export function makePluginsDir(entries: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-plugins-"));
  made.push(dir);
  for (const [path, source] of Object.entries(entries)) {
    const file = join(dir, path);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, source);
  }
  return dir;
}

export function removePluginDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
