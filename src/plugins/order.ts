/**
 * Load order of plugins (issue 9 §3 "Order"; anchors: avvio's dependency-ordered boot and
 * @fastify/autoload's cycle detection, with fastify-plugin's dependency check plus semver ranges).
 *
 * 1. Ids must be unique (`plugin/duplicate-id`).
 * 2. Disabled plugins (`enabled: false`) are skipped, and so is every plugin that depends on a
 *    skipped one, transitively; each with a reason naming the dependency.
 * 3. Every dependency of the rest must be present (`plugin/missing-dependency`) at a version in
 *    its range (`plugin/version-mismatch`); all such problems are reported together.
 * 4. Kahn's topological sort, dependencies first; among plugins ready at the same time the
 *    smallest id goes first, so the order never depends on the file system. Plugins left over
 *    sit on or behind a cycle, which is named: `Circular dependency detected: a -> b -> a`
 *    (`plugin/cycle`; `a -> b` reads "a depends on b").
 */
import { ArbiterError } from "../errors.ts";
import { satisfiesRange, type PluginManifest } from "./manifest.ts";
import { compareIds } from "./records.ts";

/** What ordering needs of a plugin: its manifest, and where it came from (for messages). */
export interface OrderablePlugin {
  readonly manifest: PluginManifest;
  /** A path or label naming where the plugin was found (`/srv/arbiter/plugins/quests/index.ts`). */
  readonly source: string;
}

/** A plugin left out before ordering, and why. */
export interface SkippedPlugin {
  readonly id: string;
  readonly reason: string;
}

/** The outcome of {@link orderPlugins}. */
export interface PluginPlan<T extends OrderablePlugin> {
  /** Plugins to load, dependencies first, ties broken by id. */
  readonly load: readonly T[];
  /** Disabled plugins and their dependents, by id. */
  readonly skipped: readonly SkippedPlugin[];
}

/** The reason of a plugin skipped because of `dependency`: `depends on "c", which is disabled` (or `is skipped`, `failed`). */
export function describeBlockedDependency(dependency: string, why: "disabled" | "skipped" | "failed"): string {
  return `depends on "${dependency}", which ${why === "failed" ? why : `is ${why}`}`;
}

/** The reason of a plugin disabled in its own manifest. */
export const DISABLED_REASON = "disabled in its manifest (enabled: false)";

/**
 * Orders `plugins` for loading (see the module header). Throws `plugin/duplicate-id`,
 * `plugin/missing-dependency`, `plugin/version-mismatch` or `plugin/cycle`.
 */
export function orderPlugins<T extends OrderablePlugin>(plugins: readonly T[]): PluginPlan<T> {
  const byId = indexById(plugins);
  const skipped = findSkipped(byId);
  const active = [...byId.values()].filter((p) => !skipped.has(p.manifest.id));
  checkDependencies(active, byId);
  const load = sortTopologically(active);
  return { load, skipped: [...skipped].map(([id, reason]) => ({ id, reason })).sort((a, b) => compareIds(a.id, b.id)) };
}

/** Plugins by id, sorted by id. Throws `plugin/duplicate-id` naming both sources. */
function indexById<T extends OrderablePlugin>(plugins: readonly T[]): Map<string, T> {
  const byId = new Map<string, T>();
  for (const plugin of [...plugins].sort((a, b) => compareIds(a.manifest.id, b.manifest.id))) {
    const other = byId.get(plugin.manifest.id);
    if (other) {
      throw new ArbiterError("plugin/duplicate-id", `two plugins have the id "${plugin.manifest.id}": ${other.source} and ${plugin.source}`, {
        id: plugin.manifest.id,
        sources: [other.source, plugin.source],
      });
    }
    byId.set(plugin.manifest.id, plugin);
  }
  return byId;
}

/** Disabled plugins and, transitively, the plugins that depend on one: id → reason. */
function findSkipped(byId: ReadonlyMap<string, OrderablePlugin>): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const [id, plugin] of byId) if (!plugin.manifest.enabled) reasons.set(id, DISABLED_REASON);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, plugin] of byId) {
      if (reasons.has(id)) continue;
      const blocked = dependencyIds(plugin.manifest).find((dep) => reasons.has(dep));
      if (blocked === undefined) continue;
      reasons.set(id, describeBlockedDependency(blocked, byId.get(blocked)!.manifest.enabled ? "skipped" : "disabled"));
      changed = true;
    }
  }
  return reasons;
}

/** A manifest's dependency ids, sorted. */
export function dependencyIds(manifest: PluginManifest): string[] {
  return Object.keys(manifest.dependencies).sort(compareIds);
}

/** Throws `plugin/missing-dependency` (first) or `plugin/version-mismatch` listing every problem of its kind. */
function checkDependencies(active: readonly OrderablePlugin[], byId: ReadonlyMap<string, OrderablePlugin>): void {
  const missing: string[] = [];
  const mismatched: string[] = [];
  for (const { manifest } of active) {
    for (const dep of dependencyIds(manifest)) {
      const range = manifest.dependencies[dep]!;
      const found = byId.get(dep)?.manifest.version;
      if (found === undefined) missing.push(`plugin "${manifest.id}" depends on "${dep}" (${range}), but no plugin "${dep}" was found`);
      else if (!satisfiesRange(found, range)) mismatched.push(`plugin "${manifest.id}" depends on "${dep}" ${range}, but found ${dep}@${found}`);
    }
  }
  if (missing.length > 0) throw new ArbiterError("plugin/missing-dependency", missing.join("\n"), { problems: missing });
  if (mismatched.length > 0) throw new ArbiterError("plugin/version-mismatch", mismatched.join("\n"), { problems: mismatched });
}

/** Kahn's algorithm, smallest ready id first. Throws `plugin/cycle` naming one cycle. */
function sortTopologically<T extends OrderablePlugin>(active: readonly T[]): T[] {
  const unmet = new Map(active.map((p) => [p.manifest.id, dependencyIds(p.manifest).length]));
  const dependents = new Map<string, string[]>(active.map((p) => [p.manifest.id, []]));
  for (const p of active) for (const dep of dependencyIds(p.manifest)) dependents.get(dep)!.push(p.manifest.id);
  const byId = new Map(active.map((p) => [p.manifest.id, p]));
  const ready = [...unmet].filter(([, n]) => n === 0).map(([id]) => id);
  const order: T[] = [];
  while (ready.length > 0) {
    ready.sort(compareIds);
    const id = ready.shift()!;
    order.push(byId.get(id)!);
    unmet.delete(id);
    for (const dependent of dependents.get(id)!) {
      const left = unmet.get(dependent)! - 1;
      unmet.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  if (unmet.size > 0) throwCycle(findCycle(new Set(unmet.keys()), byId));
  return order;
}

/**
 * One cycle among `left` (plugins Kahn could not order: each has a dependency in `left`), as ids
 * from its smallest id back to it: `["a", "b", "a"]`.
 */
function findCycle(left: ReadonlySet<string>, byId: ReadonlyMap<string, OrderablePlugin>): string[] {
  const path = [[...left].sort(compareIds)[0]!];
  for (;;) {
    const next = dependencyIds(byId.get(path.at(-1)!)!.manifest).find((dep) => left.has(dep))!;
    const seen = path.indexOf(next);
    if (seen >= 0) return rotateToSmallest(path.slice(seen));
    path.push(next);
  }
}

/** `["b", "a"]` (b → a → b) → `["a", "b", "a"]`. */
function rotateToSmallest(cycle: readonly string[]): string[] {
  const start = cycle.indexOf([...cycle].sort(compareIds)[0]!);
  const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
  return [...rotated, rotated[0]!];
}

function throwCycle(cycle: readonly string[]): never {
  throw new ArbiterError("plugin/cycle", `Circular dependency detected: ${cycle.join(" -> ")}`, { cycle });
}
