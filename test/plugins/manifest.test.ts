import { describe, expect, it } from "vitest";
import { formatIssues } from "../../src/content/format-issues.ts";
import { DEFAULT_BUDGET_MS, manifestSchema, PERMISSION_NAMES, PERMISSIONS } from "../../src/plugins/manifest.ts";
import { manifestOf } from "./support.ts";

/** The `path: problem` lines of an invalid manifest. */
function problemsOf(input: unknown): string[] {
  const parsed = manifestSchema.safeParse(input);
  expect(parsed.success, "the manifest is rejected").toBe(false);
  return parsed.success ? [] : formatIssues(parsed.error.issues);
}

describe("manifestSchema: valid manifests", () => {
  it("fills the defaults: prefix = id, enabled, not optional, no permissions, budget 2 ms", () => {
    expect(manifestSchema.parse(manifestOf("ai-wander"))).toEqual({
      id: "ai-wander",
      name: "ai-wander",
      version: "1.0.0",
      description: "",
      prefix: "ai-wander",
      tags: [],
      dependencies: {},
      enabled: true,
      permissions: [],
      optional: false,
      budgetMs: DEFAULT_BUDGET_MS,
    });
    expect(DEFAULT_BUDGET_MS).toBe(2);
  });

  it("keeps every field as written", () => {
    const input = {
      id: "quests",
      name: "Quests",
      version: "0.3.0-beta.1",
      description: "Quest log",
      prefix: "quest_log",
      tags: ["content"],
      dependencies: { inventory: ">=1.0.0 <2.0.0" },
      enabled: false,
      permissions: ["events:subscribe", "storage"],
      optional: true,
      budgetMs: 0.5,
    };
    expect(manifestSchema.parse(input)).toEqual(input);
  });

  it("grants each permission one distinct context key", () => {
    expect(PERMISSION_NAMES).toEqual([
      "actions:register",
      "ai:register",
      "events:subscribe",
      "world-state",
      "stats:write",
      "sessions:read",
      "sessions:write",
      "http:routes",
      "storage",
      "scheduler:register",
      "clients:send",
      "worlds:read",
      "metrics:register",
    ]);
    const keys = PERMISSION_NAMES.map((p) => PERMISSIONS[p].key);
    expect(keys).toEqual(["actions", "ai", "events", "state", "stats", "sessions", "sessionWriter", "http", "storage", "scheduler", "clients", "worlds", "metrics"]);
  });
});

describe("manifestSchema: invalid manifests name the field", () => {
  it("rejects an id that is not kebab-case", () => {
    expect(problemsOf(manifestOf("Ai_Wander"))).toEqual(["id: must be kebab-case: lower-case letters and digits in words joined by '-' (e.g. ai-wander)"]);
  });

  it("rejects a version that is not x.y.z", () => {
    expect(problemsOf(manifestOf("a", { version: "1.0" }))).toEqual(["version: must be a semver version x.y.z, optionally with a prerelease (1.2.0-beta.1)"]);
  });

  it("rejects a dependency range that is not semver", () => {
    expect(problemsOf(manifestOf("a", { dependencies: { b: "one point oh" } }))).toEqual([
      "dependencies.b: must be a semver range such as ^1.2.0, ~0.3.1 or >=1.0.0 <2.0.0",
    ]);
  });

  it("rejects an unknown permission, a permission listed twice and a dependency on itself", () => {
    expect(problemsOf(manifestOf("a", { permissions: ["storage", "fs write" as "storage"] }))).toEqual([
      `permissions[1]: "fs write" is not a permission: use one of actions:register, ai:register, events:subscribe, world-state, stats:write, sessions:read, sessions:write, http:routes, storage, scheduler:register, clients:send, worlds:read, metrics:register, or another plugin's capability "<plugin id>:<name>"`,
    ]);
    // Another plugin's capability needs a dependency on that plugin, so it loads first.
    expect(problemsOf(manifestOf("a", { permissions: ["inventory:register"] }))).toEqual(['permissions[0]: "inventory:register" is provided by plugin inventory: list it in dependencies']);
    expect(manifestSchema.safeParse(manifestOf("a", { permissions: ["inventory:register"], dependencies: { inventory: "^1.0.0" } })).success).toBe(true);
    expect(problemsOf(manifestOf("a", { permissions: ["storage", "storage"] }))).toEqual(['permissions[1]: "storage" is already listed at permissions[0]']);
    expect(problemsOf(manifestOf("a", { dependencies: { a: "*" } }))).toEqual(["dependencies.a: a plugin cannot depend on itself"]);
  });

  it("rejects a dependency whose key is not a plugin id", () => {
    expect(problemsOf(manifestOf("a", { dependencies: { Inventory: "^1.0.0" } }))).toEqual(['dependencies.Inventory: "Inventory" is not a plugin id (kebab-case, 1–64 characters)']);
  });

  it("rejects unknown fields (strict)", () => {
    expect(problemsOf({ ...manifestOf("a"), dependsOn: ["b"] })).toEqual(['(root): Unrecognized key: "dependsOn"']);
  });
});
