/**
 * One tick of the simulation: NPC brains queue their actions, the pipeline drains every queued
 * action, the tick counter advances and the state is hashed.
 */
import { queueWanderers } from "./ai.ts";
import { hashWorld } from "./hash.ts";
import { drainPipeline } from "./pipeline.ts";
import { createTickContext } from "./tick-context.ts";
import type { TickEvent, World } from "./types.ts";

export interface StepOutcome {
  /** The tick just completed. */
  tick: number;
  events: TickEvent[];
  /** State hash after the tick (16 hex digits). */
  hash: string;
}

/** Runs one tick. Inputs for it must already be applied (see inputs.ts). */
export function stepWorld(world: World): StepOutcome {
  const ctx = createTickContext(world);
  queueWanderers(world);
  drainPipeline(ctx);
  world.tick = ctx.tick;
  return { tick: ctx.tick, events: ctx.events, hash: hashWorld(world) };
}
