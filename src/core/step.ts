/**
 * One tick of the simulation, in this order: modifiers whose time is up expire (tick boundary),
 * downed actors due respawn, NPC brains (ai.ts) queue their actions, scheduled tasks due run
 * (schedules.ts), the pipeline drains every queued
 * action, the tick counter advances and the state is hashed.
 */
import { expireWorldModifiers, respawnDue } from "./actor-stats.ts";
import { runBrains } from "./ai.ts";
import { runSchedules } from "./schedules.ts";
import { isFreeFloor } from "./grid.ts";
import { hashWorld } from "./hash.ts";
import { drainPipeline } from "./pipeline.ts";
import { createTickContext, type TickCounts } from "./tick-context.ts";
import type { Actor, TickEvent, World } from "./types.ts";
import { firstFreeSpawn, placeActor } from "./world.ts";

export interface StepOutcome {
  /** The tick just completed. */
  tick: number;
  events: TickEvent[];
  /** State hash after the tick (16 hex digits). */
  hash: string;
  counts: TickCounts;
}

/** Runs one tick. Inputs for it must already be applied (see inputs.ts). */
export function stepWorld(world: World): StepOutcome {
  const ctx = createTickContext(world);
  expireWorldModifiers(world, ctx.tick, ctx.events);
  respawnDue(world, ctx.tick, ctx.events, (actor) => respawnCell(world, actor));
  runBrains(world);
  runSchedules(world, ctx.tick);
  drainPipeline(ctx);
  world.tick = ctx.tick;
  return { tick: ctx.tick, events: ctx.events, hash: hashWorld(world), counts: ctx.counts };
}

/** Moves a respawning actor to its cell: a player to the first free spawn, an NPC to its home. */
function respawnCell(world: World, actor: Actor): [number, number] | undefined {
  const { grid } = world;
  if (actor.kind === "player") {
    const cell = firstFreeSpawn(world);
    if (cell === undefined) return undefined;
    const at: [number, number] = [cell % grid.width, Math.floor(cell / grid.width)];
    placeActor(world, actor, at[0], at[1]);
    return at;
  }
  if (actor.x === actor.homeX && actor.y === actor.homeY) return [actor.x, actor.y];
  if (!isFreeFloor(grid, actor.homeX, actor.homeY)) return undefined;
  placeActor(world, actor, actor.homeX, actor.homeY);
  return [actor.homeX, actor.homeY];
}
