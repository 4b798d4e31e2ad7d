/**
 * The stat layout: every axis of every entity-owned (not per-entity) definition, flattened into one
 * vector so that an actor's stats are three small Float64Arrays (base, runtime, effective). This is
 * what keeps effective-stat computation for 10k actors inside a fraction of a tick.
 */
import type { AxisDef, StatsConfig, StatValues } from "./types.ts";
import { tierOf } from "./tiers.ts";

export interface AxisSlot extends AxisDef {
  /** `<definition>.<axis>` */
  key: string;
  definition: string;
  axis: string;
}

export interface StatLayout {
  readonly config: StatsConfig;
  readonly slots: readonly AxisSlot[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Per slot: tier bounds for a fast lookup, or null without tiers. */
  readonly tierMins: readonly (Int32Array | null)[];
  /** Per slot bounds, as typed arrays for the hot path (stat-state.ts). */
  readonly mins: Float64Array;
  readonly maxs: Float64Array;
}

export function compileStatLayout(config: StatsConfig): StatLayout {
  const slots: AxisSlot[] = [];
  for (const [definition, def] of Object.entries(config.definitions)) {
    if (def.perEntity) continue;
    for (const [axis, spec] of Object.entries(def.axes)) slots.push({ ...spec, key: `${definition}.${axis}`, definition, axis });
  }
  return {
    config,
    slots,
    indexOf: new Map(slots.map((s, i) => [s.key, i])),
    tierMins: slots.map((s) => (s.tiers ? Int32Array.from(s.tiers, (t) => t.min) : null)),
    mins: Float64Array.from(slots, (s) => s.min),
    maxs: Float64Array.from(slots, (s) => s.max),
  };
}

/** The tier index of `value` on slot `i`, or −1 when the axis has no tiers. Tiers are contiguous. */
export function tierIndex(layout: StatLayout, i: number, value: number): number {
  const mins = layout.tierMins[i];
  if (!mins) return -1;
  let t = 0;
  while (t + 1 < mins.length && value >= mins[t + 1]!) t++;
  return t;
}

/** Clamps to the slot's bounds and rounds to an integer (Math.round: halves go up). */
export function clampToSlot(slot: AxisDef, value: number): number {
  const rounded = Math.round(value);
  return rounded < slot.min ? slot.min : rounded > slot.max ? slot.max : rounded;
}

/**
 * Merges layers of stat values, later layers winning per axis, over the defaults
 * (seed 004: `merge(template, instance, npc base, runtime)`). Unknown axes are ignored here; the
 * content validator rejects them. Returns a clamped base vector.
 */
export function mergeLayers(layout: StatLayout, layers: readonly (StatValues | undefined)[]): Float64Array {
  const out = Float64Array.from(layout.slots, (s) => s.default);
  for (const layer of layers) {
    if (!layer) continue;
    for (const [definition, axes] of Object.entries(layer)) {
      for (const [axis, value] of Object.entries(axes)) {
        const i = layout.indexOf.get(`${definition}.${axis}`);
        if (i !== undefined) out[i] = clampToSlot(layout.slots[i]!, value);
      }
    }
  }
  return out;
}

/** A vector as nested values, `{ attributes: { health: 65 } }`; NaN entries are skipped. */
export function vectorToValues(layout: StatLayout, vector: Float64Array): StatValues {
  const out: StatValues = {};
  layout.slots.forEach((slot, i) => {
    const v = vector[i]!;
    if (Number.isNaN(v)) return;
    (out[slot.definition] ??= {})[slot.axis] = v;
  });
  return out;
}

/**
 * Normalization (seed 004): the axes of one definition with `<axis>TierId` added for each axis
 * with tiers: `{ affinity: 75 }` → `{ affinity: 75, affinityTierId: "friend" }`. Values are clamped.
 */
export function normalizeStats(config: StatsConfig, definition: string, values: Record<string, number>): Record<string, number | string> {
  const def = Object.hasOwn(config.definitions, definition) ? config.definitions[definition] : undefined;
  if (!def) return { ...values };
  const out: Record<string, number | string> = {};
  for (const [axis, spec] of Object.entries(def.axes)) {
    const value = clampToSlot(spec, values[axis] ?? spec.default);
    out[axis] = value;
    const tier = tierOf(spec, value);
    if (tier) out[`${axis}TierId`] = tier.id;
  }
  return out;
}
