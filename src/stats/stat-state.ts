/**
 * An entity's stats at run time, and the effective-value computation.
 *
 * - `base`: merged layers (template, instance, NPC base or player customization), clamped.
 * - `runtime`: runtime overrides (damage taken, admin overrides), NaN where unset. Instant
 *   modifiers write here, like GAS changes a BaseValue.
 * - `modifiers`: timed and infinite modifiers in application order.
 *
 * Effective value of an axis (GAS aggregation order, then the definition's bounds):
 *   current = runtime ?? base
 *   value   = override (the latest-applied one) if any, else (current + Σ add·stacks) × Π multiply^stacks
 *   result  = clamp(round(value), min, max)
 */
import { clampToSlot, type StatLayout } from "./layout.ts";
// `x === x` is false only for NaN: the hot loops use it instead of Number.isNaN.
import type { ActiveModifier, ModifierSpec } from "./types.ts";

export interface StatState {
  readonly base: Float64Array;
  readonly runtime: Float64Array;
  readonly modifiers: ActiveModifier[];
}

export function createStatState(layout: StatLayout, base: Float64Array): StatState {
  return { base, runtime: new Float64Array(layout.slots.length).fill(Number.NaN), modifiers: [] };
}

/** Scratch buffers reused across calls (the core is single-threaded). */
const scratch = { add: new Float64Array(0), mul: new Float64Array(0), ovr: new Float64Array(0) };

function ensureScratch(size: number): void {
  if (scratch.add.length >= size) return;
  scratch.add = new Float64Array(size);
  scratch.mul = new Float64Array(size);
  scratch.ovr = new Float64Array(size);
}

/** Writes the effective values of `state` into `out` (length = layout size). Hot path: no allocation. */
export function computeEffective(layout: StatLayout, state: StatState, out: Float64Array): void {
  const n = layout.slots.length;
  const { base, runtime, modifiers } = state;
  if (modifiers.length === 0) {
    for (let i = 0; i < n; i++) {
      const r = runtime[i]!;
      out[i] = r === r ? r : base[i]!;
    }
    return;
  }
  ensureScratch(n);
  const { add, mul, ovr } = scratch;
  for (let i = 0; i < n; i++) {
    add[i] = 0;
    mul[i] = 1;
    ovr[i] = Number.NaN;
  }
  for (let k = 0; k < modifiers.length; k++) {
    const m = modifiers[k]!;
    if (m.op === "add") add[m.axis]! += m.value * m.stacks;
    else if (m.op === "multiply") mul[m.axis]! *= m.stacks === 1 ? m.value : m.value ** m.stacks;
    else ovr[m.axis] = m.value;
  }
  const { mins, maxs } = layout;
  for (let i = 0; i < n; i++) {
    const r = runtime[i]!;
    const o = ovr[i]!;
    const value = Math.round(o === o ? o : ((r === r ? r : base[i]!) + add[i]!) * mul[i]!);
    const min = mins[i]!;
    const max = maxs[i]!;
    out[i] = value < min ? min : value > max ? max : value;
  }
}

/** The effective value of one axis. */
export function effectiveValue(layout: StatLayout, state: StatState, i: number): number {
  const out = new Float64Array(layout.slots.length);
  computeEffective(layout, state, out);
  return out[i]!;
}

export type ApplyOutcome = { ok: true; instant: boolean } | { ok: false; problem: string };

/**
 * Applies a modifier in tick `tick`. Instant ones change `runtime` at once (clamped); the others
 * join `modifiers` under their stacking policy. Rejects an unknown stat or a bad duration.
 */
export function applyModifier(layout: StatLayout, state: StatState, spec: ModifierSpec, tick: number): ApplyOutcome {
  const axis = layout.indexOf.get(spec.stat);
  if (axis === undefined) return { ok: false, problem: `unknown stat "${spec.stat}"` };
  if (!Number.isFinite(spec.value)) return { ok: false, problem: "value must be a finite number" };
  if (spec.duration === "instant") {
    const slot = layout.slots[axis]!;
    const current = Number.isNaN(state.runtime[axis]!) ? state.base[axis]! : state.runtime[axis]!;
    const next = spec.op === "add" ? current + spec.value : spec.op === "multiply" ? current * spec.value : spec.value;
    state.runtime[axis] = clampToSlot(slot, next);
    return { ok: true, instant: true };
  }
  const durationTicks = spec.duration === "infinite" ? Infinity : spec.duration.ticks;
  if (!(durationTicks >= 1) || (durationTicks !== Infinity && !Number.isInteger(durationTicks))) return { ok: false, problem: "duration must be a positive whole number of ticks" };
  const stacking = spec.stacking ?? "refresh";
  const policy = typeof stacking === "string" ? stacking : "stack";
  const maxStacks = typeof stacking === "string" ? 1 : Math.max(1, Math.floor(stacking.stack));
  const existing = state.modifiers.find((m) => m.source === spec.source && m.axis === axis && m.op === spec.op);
  if (!existing) {
    state.modifiers.push({ source: spec.source, axis, op: spec.op, value: spec.value, stacks: 1, maxStacks, policy, durationTicks, appliedTick: tick, expiresAt: tick + durationTicks });
    return { ok: true, instant: false };
  }
  existing.value = spec.value;
  existing.policy = policy;
  existing.maxStacks = maxStacks;
  existing.durationTicks = durationTicks;
  if (policy === "extend") existing.expiresAt += durationTicks;
  else existing.expiresAt = tick + durationTicks;
  if (policy === "stack") existing.stacks = Math.min(maxStacks, existing.stacks + 1);
  return { ok: true, instant: false };
}

/** Removes modifiers no longer active in tick `tick` (expiry on tick boundaries). Returns how many. */
export function expireModifiers(state: StatState, tick: number): number {
  const before = state.modifiers.length;
  if (before === 0) return 0;
  let w = 0;
  for (const m of state.modifiers) if (m.expiresAt > tick) state.modifiers[w++] = m;
  state.modifiers.length = w;
  return before - w;
}

/** Removes every modifier with `source`. Returns how many. */
export function removeModifiersBySource(state: StatState, source: string): number {
  const before = state.modifiers.length;
  let w = 0;
  for (const m of state.modifiers) if (m.source !== source) state.modifiers[w++] = m;
  state.modifiers.length = w;
  return before - w;
}
