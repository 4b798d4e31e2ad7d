/**
 * The `move` action kind, the first registered kind (issue 9 §1), and the two methods a move or a
 * push reaction runs (seed 002 §3). A method checks first and changes state only when it succeeds,
 * recording the change in the undo log. It returns `true` (done), a {@link FailReason} (failed, no
 * message), or the occupant it conflicts with.
 */
import { z } from "zod";
import { defineActionKind, type Method, type MethodOutcome } from "./actions.ts";
import { DIRECTIONS, dxOf, dyOf, leftOf, rightOf, type Dir } from "./directions.ts";
import { cellOf, inBounds, isFreeFloor } from "./grid.ts";
import type { TickContext } from "./tick-context.ts";
import type { Actor, ActorAction, BehaviourName } from "./types.ts";
import { recordMove } from "./undo-log.ts";
import { placeActor } from "./world.ts";

/** `step`: one cell towards `action.dir`; a wall or the map's edge fails, an occupant is a conflict. */
export const step: Method = (ctx, action) => {
  const { actor } = action;
  const { world } = ctx;
  if (actor.respawnAt >= 0) return "downed";
  if (actor.movedTick === ctx.tick) return "already-moved";
  const x = actor.x + dxOf(action.dir);
  const y = actor.y + dyOf(action.dir);
  if (!inBounds(world.grid, x, y)) return "out-of-bounds";
  const cell = cellOf(world.grid, x, y);
  if (world.grid.walls[cell] === 1) return "wall";
  const occupant = world.grid.occupancy[cell]!;
  if (occupant !== 0) return world.slots[occupant - 1]!;
  moveTo(ctx, actor, x, y);
  return true;
};

/**
 * `flee`: the Frightened answer to a push towards `action.dir`. Steps into the first free cell of:
 * the push direction, its left, its right; never back toward the pusher and never pushing anyone.
 */
export const flee: Method = (ctx: TickContext, action: ActorAction): MethodOutcome => {
  const { actor } = action;
  if (actor.respawnAt >= 0) return "downed";
  if (actor.movedTick === ctx.tick) return "already-moved";
  for (const dir of FLEE_DIRECTIONS[action.dir]) {
    const x = actor.x + dxOf(dir);
    const y = actor.y + dyOf(dir);
    if (isFreeFloor(ctx.world.grid, x, y)) {
      moveTo(ctx, actor, x, y);
      return true;
    }
  }
  return "cornered";
};

const FLEE_DIRECTIONS: Record<Dir, readonly Dir[]> = {
  N: ["N", leftOf("N"), rightOf("N")],
  E: ["E", leftOf("E"), rightOf("E")],
  S: ["S", leftOf("S"), rightOf("S")],
  W: ["W", leftOf("W"), rightOf("W")],
};

function moveTo(ctx: TickContext, actor: Actor, x: number, y: number): void {
  recordMove(ctx.undo, actor);
  placeActor(ctx.world, actor, x, y);
  actor.movedTick = ctx.tick;
}

/** Behaviours that walk: every behaviour of seed 002 steps when its actor moves. */
const WALKING: ReadonlySet<BehaviourName> = new Set<BehaviourName>(["Moveable", "Frightened", "Aggressive"]);

/** `move { dir }`: one cell N, E, S or W, performed by the actor's first walking behaviour. */
export const moveAction = defineActionKind({
  name: "move",
  payload: z.object({ dir: z.enum(DIRECTIONS) }),
  control(actor, payload) {
    const behaviour = actor.behaviours.find((name) => WALKING.has(name));
    if (behaviour === undefined) {
      return { ok: false, code: "command/no-control", message: `actor ${actor.id} has no behaviour that can move (${actor.behaviours.join(", ") || "none"})` };
    }
    return { ok: true, value: { behaviour, method: step, dir: payload.dir } };
  },
});
