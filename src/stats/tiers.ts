/**
 * The tier a value falls in (seed 004): the axis's tier with `min ≤ value ≤ max`, or undefined when
 * the axis has no tiers (or the value is outside them). Pure and dependency-free, so the web client
 * reads tiers with the server's rule.
 */
import type { AxisDef, TierDef } from "./types.ts";

export function tierOf(axis: Pick<AxisDef, "tiers"> | undefined, value: number): TierDef | undefined {
  return axis?.tiers?.find((tier) => value >= tier.min && value <= tier.max);
}
