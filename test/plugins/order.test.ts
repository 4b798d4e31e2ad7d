import { describe, expect, it } from "vitest";
import { orderPlugins } from "../../src/plugins/order.ts";
import { expectArbiterError } from "../support/errors.ts";
import { makePlugin } from "./support.ts";

const idsOf = (plugins: readonly { manifest: { id: string } }[]) => plugins.map((p) => p.manifest.id);

describe("orderPlugins: dependency order", () => {
  it("puts every dependency before its dependents", () => {
    const plan = orderPlugins([
      makePlugin("quests", { dependencies: { inventory: "^1.0.0", "session-core": "^1.0.0" } }),
      makePlugin("inventory", { dependencies: { "session-core": "^1.0.0" } }),
      makePlugin("session-core"),
    ]);
    expect(idsOf(plan.load)).toEqual(["session-core", "inventory", "quests"]);
    expect(plan.skipped).toEqual([]);
  });

  it("breaks ties by id, whatever order the plugins come in", () => {
    const plugins = [
      makePlugin("zeta"),
      makePlugin("beta", { dependencies: { zeta: "*" } }),
      makePlugin("alpha", { dependencies: { zeta: "*" } }),
      makePlugin("mid"),
    ];
    const expected = ["mid", "zeta", "alpha", "beta"];
    expect(idsOf(orderPlugins(plugins).load)).toEqual(expected);
    expect(idsOf(orderPlugins([...plugins].reverse()).load)).toEqual(expected);
  });

  it("accepts a prerelease version when the range names a prerelease of it", () => {
    const plan = orderPlugins([makePlugin("base", { version: "2.0.0-beta.2" }), makePlugin("user", { dependencies: { base: "^2.0.0-beta.1" } })]);
    expect(idsOf(plan.load)).toEqual(["base", "user"]);
  });
});

describe("orderPlugins: cycles", () => {
  it("names a two-plugin cycle exactly: Circular dependency detected: a -> b -> a", () => {
    const error = expectArbiterError(
      () => orderPlugins([makePlugin("b", { dependencies: { a: "*" } }), makePlugin("a", { dependencies: { b: "*" } })]),
      "plugin/cycle",
    );
    expect(error.message).toBe("Circular dependency detected: a -> b -> a");
    expect(error.details).toEqual({ cycle: ["a", "b", "a"] });
  });

  it("names a longer cycle from its smallest id, behind a plugin that only depends on it", () => {
    const error = expectArbiterError(
      () =>
        orderPlugins([
          makePlugin("ok"),
          makePlugin("entry", { dependencies: { y: "*", ok: "*" } }),
          makePlugin("x", { dependencies: { z: "*" } }),
          makePlugin("y", { dependencies: { x: "*" } }),
          makePlugin("z", { dependencies: { y: "*" } }),
        ]),
      "plugin/cycle",
    );
    expect(error.message).toBe("Circular dependency detected: x -> z -> y -> x");
  });
});

describe("orderPlugins: missing dependencies and versions", () => {
  it("stops on a missing dependency naming the plugin, the dependency and the range", () => {
    const error = expectArbiterError(() => orderPlugins([makePlugin("quests", { dependencies: { inventory: "^1.2.0" } })]), "plugin/missing-dependency");
    expect(error.message).toBe('plugin "quests" depends on "inventory" (^1.2.0), but no plugin "inventory" was found');
  });

  it("lists every missing dependency together", () => {
    const error = expectArbiterError(
      () => orderPlugins([makePlugin("b", { dependencies: { x: "1.x" } }), makePlugin("a", { dependencies: { y: "~2.1.0", z: "*" } })]),
      "plugin/missing-dependency",
    );
    expect(error.message.split("\n")).toEqual([
      'plugin "a" depends on "y" (~2.1.0), but no plugin "y" was found',
      'plugin "a" depends on "z" (*), but no plugin "z" was found',
      'plugin "b" depends on "x" (1.x), but no plugin "x" was found',
    ]);
  });

  it("stops when the installed version is outside the range, naming plugin, dependency, range and found version", () => {
    const error = expectArbiterError(
      () => orderPlugins([makePlugin("inventory", { version: "1.4.0" }), makePlugin("quests", { dependencies: { inventory: "^2.0.0" } })]),
      "plugin/version-mismatch",
    );
    expect(error.message).toBe('plugin "quests" depends on "inventory" ^2.0.0, but found inventory@1.4.0');
  });

  it("rejects two plugins with one id, naming both sources", () => {
    const error = expectArbiterError(() => orderPlugins([makePlugin("twin"), makePlugin("twin", { version: "2.0.0" })]), "plugin/duplicate-id");
    expect(error.message).toBe('two plugins have the id "twin": memory:twin and memory:twin');
  });
});

describe("orderPlugins: disabled plugins", () => {
  it("skips a disabled plugin and, transitively, its dependents, each with a reason", () => {
    const plan = orderPlugins([
      makePlugin("core"),
      makePlugin("inventory", { enabled: false }),
      makePlugin("quests", { dependencies: { inventory: "^1.0.0", core: "^1.0.0" } }),
      makePlugin("quest-log", { dependencies: { quests: "*" } }),
      makePlugin("chat", { dependencies: { core: "*" } }),
    ]);
    expect(idsOf(plan.load)).toEqual(["core", "chat"]);
    expect(plan.skipped).toEqual([
      { id: "inventory", reason: "disabled in its manifest (enabled: false)" },
      { id: "quest-log", reason: 'depends on "quests", which is skipped' },
      { id: "quests", reason: 'depends on "inventory", which is disabled' },
    ]);
  });

  it("does not check the dependencies of skipped plugins, nor cycles through a disabled one", () => {
    const plan = orderPlugins([
      makePlugin("off", { enabled: false, dependencies: { ghost: "*", loop: "*" } }),
      makePlugin("loop", { dependencies: { off: "*", missing: "*" } }),
    ]);
    expect(idsOf(plan.load)).toEqual([]);
    expect(plan.skipped.map((s) => s.id)).toEqual(["loop", "off"]);
  });
});
