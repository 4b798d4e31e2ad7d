/**
 * Stat definitions and modifiers (seed 004; anchor: Unreal's Gameplay Ability System, with every
 * duration in ticks so replay is exact).
 *
 * A world's stats config names stat definitions (`attributes`, `combat_skills`, `relationships`),
 * each with axes (`health`, `strength`, `affinity` …) that have min, max, default and optional
 * tiers. Values are integers. A per-entity definition (`relationships`) holds one set of axes per
 * other entity, keyed `npc:<id>`; it lives in player sessions, not in the tick.
 */

/** A tier: the id a value gets when `min ≤ value ≤ max` (both inclusive integers). */
export interface TierDef {
  id: string;
  min: number;
  max: number;
}

export interface AxisDef {
  min: number;
  max: number;
  default: number;
  /** Contiguous, non-overlapping, covering `[min, max]` (validated in src/content/stats-config.ts). */
  tiers?: TierDef[];
  /** Others may see this axis's tier (never its value). */
  public?: boolean;
}

export interface StatDefinition {
  axes: Record<string, AxisDef>;
  /** One set of axes per other entity (`npc:<id>` → axes), as `relationships` (seed 004). */
  perEntity?: boolean;
}

/** Character creation rules (seed 003 §1.2). */
export interface CreationRules {
  /** Points a player may add on top of the template, summed over the customizable axes. */
  pointBudget: number;
  /** Definitions whose axes a player may customize. */
  definitions: string[];
}

export interface StatsConfig {
  definitions: Record<string, StatDefinition>;
  creation: CreationRules;
}

/** Stat values by definition then axis: `{ combat_skills: { strength: 90 } }`. Partial where layered. */
export type StatValues = Record<string, Record<string, number>>;

export const MODIFIER_OPS = ["add", "multiply", "override"] as const;
export type ModifierOp = (typeof MODIFIER_OPS)[number];

/**
 * A modifier to apply. `stat` is `<definition>.<axis>`.
 * - `instant` changes the runtime value once (damage, healing), like a GAS instant effect;
 * - `{ ticks: n }` is active for n ticks from the tick it is applied in, then expires on a tick boundary;
 * - `infinite` stays until removed by source.
 * Stacking (default `refresh`) applies when a modifier with the same source, stat and op is active:
 * `refresh` restarts its duration, `extend` adds the new duration to what is left, `{ stack: n }`
 * adds a stack up to n and restarts the duration.
 */
export interface ModifierSpec {
  source: string;
  stat: string;
  op: ModifierOp;
  value: number;
  duration: "instant" | "infinite" | { ticks: number };
  stacking?: "refresh" | "extend" | { stack: number };
}

/** A timed or infinite modifier in effect. Kept in application order (overrides: latest wins). */
export interface ActiveModifier {
  source: string;
  /** Index of the axis in the stat layout. */
  axis: number;
  op: ModifierOp;
  value: number;
  stacks: number;
  maxStacks: number;
  policy: "refresh" | "extend" | "stack";
  /** Duration in ticks, or Infinity. */
  durationTicks: number;
  appliedTick: number;
  /** The first tick in which it is no longer active (Infinity for infinite). */
  expiresAt: number;
}
