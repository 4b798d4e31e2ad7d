import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ArbiterError } from "../../src/errors.ts";
import { discoverPlugins } from "../../src/plugins/discover.ts";
import { loadPlugins } from "../../src/plugins/host.ts";
import { fakeCapabilities, makePluginsDir, recordingLogger, rejectionOf, removePluginDirs } from "./support.ts";

const API = JSON.stringify(resolve("src/plugins/api.ts"));

/** An `index.mjs` exporting `manifest` (as JSON) and an `onLoad` that appends to globalThis.pluginCalls. */
function mjsPlugin(manifest: Record<string, unknown>): string {
  return `export const manifest = ${JSON.stringify(manifest)};
export function onLoad(ctx) { (globalThis.pluginCalls ??= []).push("onLoad:" + ctx.id); }
`;
}

/** An `index.ts` with a default `definePlugin()` export, imported from the real API module. */
function tsPlugin(id: string, permissions: string[] = []): string {
  return `import { definePlugin } from ${API};
export default definePlugin({
  manifest: { id: ${JSON.stringify(id)}, name: "TS plugin", version: "2.1.0", permissions: ${JSON.stringify(permissions)} },
  onLoad(ctx) { ((globalThis as { pluginCalls?: string[] }).pluginCalls ??= []).push("onLoad:" + ctx.id + ":" + Object.keys(ctx).sort().join(",")); },
});
`;
}

const calls = () => ((globalThis as { pluginCalls?: string[] }).pluginCalls ??= []);

/** Awaits discovery of `dir`, expecting the coded error. */
async function discoveryError(dir: string, code: string): Promise<ArbiterError> {
  const error = await rejectionOf(discoverPlugins(dir));
  expect(error).toBeInstanceOf(ArbiterError);
  expect((error as ArbiterError).code, (error as ArbiterError).message).toBe(code);
  return error as ArbiterError;
}

afterEach(() => {
  removePluginDirs();
  calls().length = 0;
});

describe("discoverPlugins: plugin folders", () => {
  it("imports index.mjs and index.ts plugins, by folder name, and the host loads them", async () => {
    const dir = makePluginsDir({
      "zeta/index.mjs": mjsPlugin({ id: "zeta", name: "Zeta", version: "1.0.0", dependencies: { alpha: "^2.0.0" } }),
      "alpha/index.ts": tsPlugin("alpha", ["events:subscribe"]),
    });
    const discovery = await discoverPlugins(dir);
    expect(discovery.plugins.map((p) => [p.manifest.id, p.manifest.version, p.source])).toEqual([
      ["alpha", "2.1.0", join(dir, "alpha", "index.ts")],
      ["zeta", "1.0.0", join(dir, "zeta", "index.mjs")],
    ]);
    expect(discovery.ignored).toEqual([]);
    const host = await loadPlugins({ plugins: discovery.plugins, capabilities: fakeCapabilities(), hookTimeoutMs: 1000, logger: recordingLogger() });
    expect(calls()).toEqual(["onLoad:alpha:dataDir,defineErrors,events,id,log,manifest,provide,use", "onLoad:zeta"]);
    expect(host.startup.message).toBe("Loaded 2 plugins: alpha@2.1.0, zeta@1.0.0");
  });

  it("prefers index.ts over index.js and index.mjs in one folder", async () => {
    const dir = makePluginsDir({ "dual/index.ts": tsPlugin("dual"), "dual/index.mjs": "throw new Error('not this one');" });
    expect((await discoverPlugins(dir)).plugins.map((p) => p.source)).toEqual([join(dir, "dual", "index.ts")]);
  });

  it("passes over files, folders without an index and hidden entries, with reasons", async () => {
    const dir = makePluginsDir({
      "README.md": "# plugins",
      "shared/util.mjs": "export const x = 1;",
      ".cache/index.mjs": "throw new Error('hidden');",
      "real/index.mjs": mjsPlugin({ id: "real", name: "Real", version: "1.0.0" }),
    });
    const discovery = await discoverPlugins(dir);
    expect(discovery.plugins.map((p) => p.manifest.id)).toEqual(["real"]);
    expect(discovery.ignored).toEqual([
      { name: "README.md", reason: "not a folder (a plugin is a folder <id>/ with an index.ts)" },
      { name: "shared", reason: "no index.ts, index.js, index.mjs in the folder" },
    ]);
  });

  it("finds nothing in an empty directory", async () => {
    expect(await discoverPlugins(makePluginsDir({}))).toEqual({ plugins: [], ignored: [] });
  });
});

describe("discoverPlugins: errors", () => {
  it("names the folder and every bad field of a manifest", async () => {
    const dir = makePluginsDir({ "quests/index.mjs": mjsPlugin({ id: "quests", name: "", version: "1.0", permissions: ["root"] }) });
    const error = await discoveryError(dir, "plugin/bad-manifest");
    expect(error.message.split("\n")).toEqual([
      `plugin folder "quests" (${join(dir, "quests", "index.mjs")}): invalid plugin`,
      "  - manifest.name: Too small: expected string to have >=1 characters",
      "  - manifest.version: must be a semver version x.y.z, optionally with a prerelease (1.2.0-beta.1)",
      `  - manifest.permissions[0]: "root" is not a permission: use one of actions:register, ai:register, events:subscribe, world-state, stats:write, sessions:read, sessions:write, http:routes, storage, scheduler:register, clients:send, worlds:read, metrics:register, or another plugin's capability "<plugin id>:<name>"`,
    ]);
    expect(error.details).toMatchObject({ folder: "quests" });
  });

  it("rejects a folder whose name is not the manifest's id", async () => {
    const dir = makePluginsDir({ "quest-log/index.mjs": mjsPlugin({ id: "quests", name: "Quests", version: "1.0.0" }) });
    const error = await discoveryError(dir, "plugin/bad-manifest");
    expect(error.message).toBe(`plugin folder "quest-log" (${join(dir, "quest-log", "index.mjs")}): invalid plugin\n  - manifest.id: "quests" must equal its folder name "quest-log"`);
  });

  it("rejects a module without a manifest, and a hook that is not a function", async () => {
    const dir = makePluginsDir({ "empty/index.mjs": "export const onLoad = 42;" });
    const error = await discoveryError(dir, "plugin/bad-manifest");
    expect((error.details as { problems: string[] }).problems).toEqual([
      "manifest: missing: export `manifest`, or `export default definePlugin({ manifest, … })`",
      "onLoad: must be a function, got number",
    ]);
  });

  it("reports an index that cannot be imported with plugin/import-failed naming the folder", async () => {
    const dir = makePluginsDir({ "crashy/index.mjs": "throw new Error('top-level boom');" });
    const error = await discoveryError(dir, "plugin/import-failed");
    expect(error.message).toBe(`plugin folder "crashy" (${join(dir, "crashy", "index.mjs")}): could not import: top-level boom`);
  });

  it("stops with plugin/no-dir when PLUGINS_DIR does not exist", async () => {
    const missing = join(makePluginsDir({}), "nope");
    const error = await discoveryError(missing, "plugin/no-dir");
    expect(error.message).toBe(`plugins directory ${missing} does not exist (PLUGINS_DIR)`);
  });
});

