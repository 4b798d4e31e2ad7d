/**
 * Synced state (@colyseus/schema 5): the tick and every actor, keyed by actor id. Coordinates are
 * cells. Rooms mirror the core into these after every tick; no rule lives here.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import type { Actor, World } from "../src/core/index.ts";

export const ActorState = schema(
  {
    id: t.string(),
    kind: t.string(),
    name: t.string(),
    x: t.uint16(),
    y: t.uint16(),
    behaviours: t.array("string"),
  },
  "ActorState",
);
export type ActorState = SchemaType<typeof ActorState>;

export const WorldState = schema(
  {
    worldId: t.string(),
    tick: t.uint32(),
    actors: t.map(ActorState),
  },
  "WorldState",
);
export type WorldState = SchemaType<typeof WorldState>;

export function createActorState(actor: Actor): ActorState {
  const state = new ActorState();
  state.id = actor.id;
  state.kind = actor.kind;
  state.name = actor.name;
  state.x = actor.x;
  state.y = actor.y;
  for (const b of actor.behaviours) state.behaviours.push(b);
  return state;
}

/** The full synced state of a world. */
export function createWorldState(world: World): WorldState {
  const state = new WorldState();
  state.worldId = world.id;
  state.tick = world.tick;
  for (const actor of world.order) state.actors.set(actor.id, createActorState(actor));
  return state;
}
