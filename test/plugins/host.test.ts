import { describe, expect, it } from "vitest";
import { ArbiterError } from "../../src/errors.ts";
import { z } from "zod";
import { definePlugin, type PluginContextBase } from "../../src/plugins/api.ts";
import { loadPlugins } from "../../src/plugins/host.ts";
import { definedPlugin, fakeCapabilities, loadWith, makePlugin, recordingLogger, rejectionOf } from "./support.ts";

/** Hooks that append `<hook>:<id>` to `calls`. */
function tracing(id: string, calls: string[]) {
  return {
    onLoad: () => void calls.push(`onLoad:${id}`),
    onEnable: () => void calls.push(`onEnable:${id}`),
    onDisable: () => void calls.push(`onDisable:${id}`),
  };
}

/** Expects `error` to be an ArbiterError with `code` and `message`. */
function expectCoded(error: unknown, code: string, message: string): void {
  expect(error).toBeInstanceOf(ArbiterError);
  expect({ code: (error as ArbiterError).code, message: (error as ArbiterError).message }).toEqual({ code, message });
}

describe("plugin host: lifecycle order", () => {
  it("loads and enables in dependency order, and disables in reverse", async () => {
    const calls: string[] = [];
    const host = await loadWith([
      makePlugin("quests", { dependencies: { inventory: "^1.0.0" } }, tracing("quests", calls)),
      makePlugin("inventory", {}, tracing("inventory", calls)),
      makePlugin("chat", {}, tracing("chat", calls)),
    ]);
    expect(calls).toEqual(["onLoad:chat", "onLoad:inventory", "onLoad:quests"]);
    await host.enable();
    await host.disable();
    expect(calls.slice(3)).toEqual(["onEnable:chat", "onEnable:inventory", "onEnable:quests", "onDisable:quests", "onDisable:inventory", "onDisable:chat"]);
    expect(host.list().map((r) => [r.id, r.state, r.order])).toEqual([
      ["chat", "enabled", 1],
      ["inventory", "enabled", 2],
      ["quests", "enabled", 3],
    ]);
  });

  it("awaits async hooks one at a time", async () => {
    const calls: string[] = [];
    const slowly = (id: string) => ({
      onLoad: async () => {
        calls.push(`start:${id}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        calls.push(`end:${id}`);
      },
    });
    await loadWith([makePlugin("a", {}, slowly("a")), makePlugin("b", {}, slowly("b"))]);
    expect(calls).toEqual(["start:a", "end:a", "start:b", "end:b"]);
  });

  it("reports the start-up log line in load order, and the skipped plugins with their reasons", async () => {
    const host = await loadWith([
      makePlugin("b", { version: "0.2.0", dependencies: { a: "^1.0.0" } }),
      makePlugin("a"),
      makePlugin("inventory", { enabled: false, version: "1.1.0" }),
      makePlugin("quests", { version: "0.3.0", dependencies: { inventory: "^1.0.0" } }),
      makePlugin("quest-log", { dependencies: { quests: "*" } }),
    ]);
    expect(host.startup.message).toBe("Loaded 2 plugins: a@1.0.0, b@0.2.0");
    expect(host.startup.warning).toBe(
      'Skipped 3 plugins: inventory@1.1.0 (disabled in its manifest (enabled: false)), quest-log@1.0.0 (depends on "quests", which is skipped), quests@0.3.0 (depends on "inventory", which is disabled)',
    );
    expect(host.startup.loaded).toEqual([
      { id: "a", version: "1.0.0" },
      { id: "b", version: "0.2.0" },
    ]);
    expect(host.startup.skipped.map((s) => [s.id, s.state])).toEqual([
      ["inventory", "skipped"],
      ["quest-log", "skipped"],
      ["quests", "skipped"],
    ]);
  });

  it("says 1 plugin and 0 plugins, with no warning when nothing was skipped", async () => {
    expect((await loadWith([makePlugin("solo")])).startup).toMatchObject({ message: "Loaded 1 plugin: solo@1.0.0", warning: undefined });
    expect((await loadWith([])).startup).toEqual({ loaded: [], skipped: [], message: "Loaded 0 plugins", warning: undefined });
  });

  it("lists a record per plugin for GET /api/plugins, with what the capabilities recorded", async () => {
    const host = await loadWith([
      definedPlugin(
        definePlugin({
          manifest: { id: "quests", name: "quests", version: "1.0.0", permissions: ["events:subscribe", "http:routes", "actions:register"], prefix: "q", tags: ["content"] },
          onLoad(ctx) {
            ctx.events.on("moved", () => undefined);
            ctx.http.route("GET", "/log", () => []);
            ctx.actions.register({ name: "accept-quest", payload: z.strictObject({ quest: z.string() }), control: () => ({ ok: false, code: "command/no-control", message: "no quest giver here" }) });
          },
        }),
      ),
      makePlugin("off", { enabled: false }),
    ]);
    expect(host.list()).toEqual([
      {
        id: "quests",
        name: "quests",
        version: "1.0.0",
        description: "",
        prefix: "q",
        tags: ["content"],
        state: "loaded",
        reason: null,
        order: 1,
        permissions: ["events:subscribe", "http:routes", "actions:register"],
        dependencies: {},
        optional: false,
        budgetMs: 2,
        routes: [{ method: "GET", path: "/api/quests/log" }],
        actionKinds: ["accept-quest"],
        eventSubscriptions: ["moved"],
      },
      expect.objectContaining({ id: "off", state: "skipped", reason: "disabled in its manifest (enabled: false)", order: null }),
    ]);
    host.list()[0]!.routes.push({ method: "POST", path: "/x" });
    expect(host.list()[0]!.routes).toHaveLength(1);
  });

  it("rejects a hook timeout outside 1 … 2^31 − 1 ms", async () => {
    await expect(loadPlugins({ plugins: [], capabilities: {}, hookTimeoutMs: 0, logger: recordingLogger() })).rejects.toThrow(RangeError);
  });
});

describe("plugin host: capabilities", () => {
  it("puts only the granted capabilities on the context; ungranted ones are absent", async () => {
    let seen: PluginContextBase | undefined;
    await loadWith([makePlugin("watcher", { permissions: ["world-state", "sessions:read"] }, { onLoad: (ctx) => void (seen = ctx) })]);
    const ctx = seen!;
    expect(Object.keys(ctx).sort()).toEqual(["dataDir", "defineErrors", "id", "log", "manifest", "provide", "sessions", "state", "use"]);
    expect("events" in ctx).toBe(false);
    expect("storage" in ctx).toBe(false);
    expect(Object.getOwnPropertyDescriptor(ctx, "events")).toBeUndefined();
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(ctx.id).toBe("watcher");
  });

  it("fails the load with plugin/permission-denied when a plugin reads an ungranted capability", async () => {
    const plugin = makePlugin("sneaky", { permissions: ["world-state"] }, { onLoad: (ctx) => void (ctx as unknown as Record<string, unknown>)["events"] });
    expectCoded(
      await rejectionOf(loadWith([plugin])),
      "plugin/permission-denied",
      'plugin "sneaky" reached for ctx.events, which needs the permission "events:subscribe" (not in its manifest\'s permissions)',
    );
  });

  it("fails the load even when the plugin catches the denial", async () => {
    const onLoad = (ctx: PluginContextBase) => {
      try {
        const { storage } = ctx as unknown as Record<string, unknown>;
        void storage;
      } catch {
        // swallowed on purpose
      }
    };
    const error = await rejectionOf(loadWith([makePlugin("sneaky", {}, { onLoad })]));
    expect((error as ArbiterError).code).toBe("plugin/permission-denied");
    expect((error as ArbiterError).details).toEqual({ plugin: "sneaky", capability: "storage", permission: "storage" });
  });

  it("skips an optional plugin whose onLoad is denied a capability", async () => {
    const host = await loadWith([makePlugin("sneaky", { optional: true }, { onLoad: (ctx) => void (ctx as unknown as Record<string, unknown>)["scheduler"] })]);
    expect(host.list()[0]).toMatchObject({
      state: "failed",
      reason: 'plugin "sneaky" reached for ctx.scheduler, which needs the permission "scheduler:register" (not in its manifest\'s permissions)',
    });
  });

  it("fails a plugin granted a permission the server does not provide with plugin/capability-unavailable", async () => {
    const plugin = makePlugin("cron", { permissions: ["scheduler:register"] });
    const error = await rejectionOf(loadPlugins({ plugins: [plugin], capabilities: { ...fakeCapabilities(), "scheduler:register": undefined }, hookTimeoutMs: 1000, logger: recordingLogger() }));
    expectCoded(error, "plugin/capability-unavailable", 'plugin "cron" is granted "scheduler:register" (ctx.scheduler), but this server does not provide it');
  });

  it("gives the plugin a logger that names it", async () => {
    const logger = recordingLogger();
    await loadWith([makePlugin("chatty", {}, { onLoad: (ctx) => ctx!.log.info({ n: 1, plugin: "spoofed" }, "hello") })], logger);
    expect(logger.lines).toEqual([{ level: "info", obj: { n: 1, plugin: "chatty" }, msg: "hello" }]);
  });
});

describe("plugin host: definePlugin types", () => {
  it("types ctx from the manifest's permissions, and an ungranted read still fails at load", async () => {
    const plugin = definePlugin({
      manifest: { id: "typed", name: "Typed", version: "1.0.0", permissions: ["events:subscribe"] },
      onLoad(ctx) {
        ctx.events.on("moved", () => undefined);
        // @ts-expect-error: "storage" is not granted, so the type has no ctx.storage either
        void ctx.storage;
      },
    });
    const error = await rejectionOf(loadWith([definedPlugin(plugin)]));
    expect((error as ArbiterError).code).toBe("plugin/permission-denied");
    expect((error as ArbiterError).details).toEqual({ plugin: "typed", capability: "storage", permission: "storage" });
  });
});

describe("plugin host: failing hooks", () => {
  it("stops start-up with plugin/hook-failed naming the plugin and the hook, keeping the thrown error as cause", async () => {
    const boom = new Error("no database");
    const error = await rejectionOf(
      loadWith([
        makePlugin("broken", {}, {
          onLoad: () => {
            throw boom;
          },
        }),
      ]),
    );
    expectCoded(error, "plugin/hook-failed", 'plugin "broken" failed in onLoad: no database');
    expect((error as ArbiterError).cause).toBe(boom);
    expect((error as ArbiterError).details).toEqual({ plugin: "broken", hook: "onLoad" });
  });

  it("stops start-up with plugin/hook-timeout when onLoad does not settle in time", async () => {
    const never = () => new Promise<void>(() => undefined);
    const error = await rejectionOf(loadWith([makePlugin("stuck", {}, { onLoad: never })], recordingLogger(), 50));
    expectCoded(error, "plugin/hook-timeout", 'plugin "stuck" did not finish onLoad within 50 ms (PLUGIN_HOOK_TIMEOUT_MS)');
  });

  it("disables the plugins already loaded, in reverse, before a required plugin's failure stops start-up", async () => {
    const calls: string[] = [];
    const failing = {
      ...tracing("c", calls),
      onLoad: () => Promise.reject(new Error("bad config")),
    };
    const error = await rejectionOf(loadWith([makePlugin("a", {}, tracing("a", calls)), makePlugin("b", {}, tracing("b", calls)), makePlugin("c", {}, failing)]));
    expect((error as ArbiterError).code).toBe("plugin/hook-failed");
    expect(calls).toEqual(["onLoad:a", "onLoad:b", "onDisable:b", "onDisable:a"]);
  });

  it("skips an optional plugin that fails and, transitively, its dependents, with a warning", async () => {
    const calls: string[] = [];
    const logger = recordingLogger();
    const host = await loadWith(
      [
        makePlugin("flaky", { optional: true }, { ...tracing("flaky", calls), onLoad: () => Promise.reject(new Error("offline")) }),
        makePlugin("uses-flaky", { dependencies: { flaky: "*" } }, tracing("uses-flaky", calls)),
        makePlugin("uses-uses", { dependencies: { "uses-flaky": "*" } }, tracing("uses-uses", calls)),
        makePlugin("steady", {}, tracing("steady", calls)),
      ],
      logger,
    );
    expect(calls).toEqual(["onLoad:steady"]);
    expect(host.list().map((r) => [r.id, r.state, r.reason])).toEqual([
      ["flaky", "failed", 'plugin "flaky" failed in onLoad: offline'],
      ["steady", "loaded", null],
      ["uses-flaky", "skipped", 'depends on "flaky", which failed'],
      ["uses-uses", "skipped", 'depends on "uses-flaky", which is skipped'],
    ]);
    expect(host.startup.message).toBe("Loaded 1 plugin: steady@1.0.0");
    expect(host.startup.warning).toBe(
      'Skipped 3 plugins: flaky@1.0.0 (plugin "flaky" failed in onLoad: offline), uses-flaky@1.0.0 (depends on "flaky", which failed), uses-uses@1.0.0 (depends on "uses-flaky", which is skipped)',
    );
    expect(logger.lines.map((l) => [l.level, l.msg, l.obj["code"]])).toEqual([
      ["warn", 'optional plugin "flaky" failed in onLoad; it and the plugins that depend on it are skipped', "plugin/hook-failed"],
    ]);
    await host.disable();
    expect(calls).toEqual(["onLoad:steady", "onDisable:steady"]);
  });

  it("skips an optional plugin whose onLoad times out", async () => {
    const host = await loadWith([makePlugin("slow", { optional: true }, { onLoad: () => new Promise<void>(() => undefined) })], recordingLogger(), 50);
    expect(host.list()[0]).toMatchObject({ state: "failed", reason: 'plugin "slow" did not finish onLoad within 50 ms (PLUGIN_HOOK_TIMEOUT_MS)' });
  });

  it("rejects enable() for a required plugin's failing onEnable; an optional one is marked failed and its dependents skipped", async () => {
    const required = await loadWith([makePlugin("strict", {}, { onEnable: () => Promise.reject(new Error("port busy")) })]);
    expectCoded(await rejectionOf(required.enable()), "plugin/hook-failed", 'plugin "strict" failed in onEnable: port busy');

    const calls: string[] = [];
    const host = await loadWith([
      makePlugin("flaky", { optional: true }, { ...tracing("flaky", calls), onEnable: () => Promise.reject(new Error("offline")) }),
      makePlugin("user", { dependencies: { flaky: "*" } }, tracing("user", calls)),
    ]);
    await host.enable();
    expect(host.list().map((r) => [r.id, r.state, r.reason])).toEqual([
      ["flaky", "failed", 'plugin "flaky" failed in onEnable: offline'],
      ["user", "skipped", 'depends on "flaky", which failed'],
    ]);
    await host.disable();
    expect(calls).toEqual(["onLoad:flaky", "onLoad:user", "onDisable:user", "onDisable:flaky"]);
  });
});

describe("plugin host: shutdown", () => {
  it("logs an onDisable error and still disables the rest, in reverse order", async () => {
    const calls: string[] = [];
    const logger = recordingLogger();
    const host = await loadWith(
      [
        makePlugin("a", {}, tracing("a", calls)),
        makePlugin("b", { dependencies: { a: "*" } }, { ...tracing("b", calls), onDisable: () => Promise.reject(new Error("flush failed")) }),
        makePlugin("c", { dependencies: { b: "*" } }, tracing("c", calls)),
      ],
      logger,
    );
    await host.enable();
    await host.disable();
    expect(calls.filter((c) => c.startsWith("onDisable"))).toEqual(["onDisable:c", "onDisable:a"]);
    expect(logger.lines.map((l) => [l.level, l.msg, l.obj["plugin"], l.obj["hook"]])).toEqual([
      ["error", 'plugin "b" failed in onDisable: flush failed; shutdown goes on', "b", "onDisable"],
    ]);
  });

  it("times out a stuck onDisable and goes on", async () => {
    const calls: string[] = [];
    const logger = recordingLogger();
    const host = await loadWith(
      [makePlugin("a", {}, tracing("a", calls)), makePlugin("b", {}, { onDisable: () => new Promise<void>(() => undefined) })],
      logger,
      50,
    );
    await host.disable();
    expect(calls).toEqual(["onLoad:a", "onDisable:a"]);
    expect(logger.lines.map((l) => l.msg)).toEqual(['plugin "b" did not finish onDisable within 50 ms (PLUGIN_HOOK_TIMEOUT_MS); shutdown goes on']);
  });

  it("runs each onDisable once, even when disable() is called twice", async () => {
    const calls: string[] = [];
    const host = await loadWith([makePlugin("a", {}, tracing("a", calls))]);
    await host.disable();
    await host.disable();
    expect(calls).toEqual(["onLoad:a", "onDisable:a"]);
  });
});
