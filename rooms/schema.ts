/**
 * Synced state (@colyseus/schema 5): the tick, the game time (issue 10) and every actor, keyed by
 * actor id. Coordinates are cells. Rooms mirror the core into these after every tick; no rule lives here.
 *
 * Who sees what: a client sees the actors in its area of interest (issue 4, rooms/interest.ts), with
 * their public tiers (`tiers`, e.g. `"attributes.health" → "wounded"`) and whether they are downed;
 * only the owner's StateView holds its raw effective stats (`stats`, tagged {@link OWNER_TAG}),
 * e.g. `"attributes.health" → 65` (issue 3), and its inventory (`gold`, `items`, `equipped`, the
 * items plugin's state, issue 10): other clients see nothing of another actor's inventory.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import { gameTimeAt, type Actor, type EventBus, type World } from "../src/core/index.ts";
import { tierIndex, type StatLayout } from "../src/stats/layout.ts";
import { INVENTORY_PLUGIN, inventoryOf } from "../plugins/items/inventory.ts";

/** View tag of the fields only an actor's owner sees (its raw stats). */
export const OWNER_TAG = 1;

export const ActorState = schema(
  {
    id: t.string(),
    kind: t.string(),
    name: t.string(),
    x: t.uint16(),
    y: t.uint16(),
    behaviours: t.array("string"),
    downed: t.boolean(),
    /** Public tier ids by `<definition>.<axis>`, for axes marked public. */
    tiers: t.map("string"),
    /** Raw effective stat values by `<definition>.<axis>`: only in the owner's view. */
    stats: t.map("number").view(OWNER_TAG),
    /** The owner's inventory (plugins/items/inventory.ts): gold, carried item id → count, slot → worn item id. */
    gold: t.number().view(OWNER_TAG),
    items: t.map("number").view(OWNER_TAG),
    equipped: t.map("string").view(OWNER_TAG),
  },
  "ActorState",
);
export type ActorState = SchemaType<typeof ActorState>;

/** Game time (issue 10, src/core/clock.ts), derived from the tick; every client sees it. */
export const ClockState = schema(
  {
    /** Game days since tick 0; the first day is day 0. */
    day: t.uint32(),
    hour: t.uint8(),
    minute: t.uint8(),
  },
  "ClockState",
);
export type ClockState = SchemaType<typeof ClockState>;

export const WorldState = schema(
  {
    worldId: t.string(),
    tick: t.uint32(),
    clock: ClockState,
    /** Each client receives only the actors in its view (area of interest, rooms/interest.ts). */
    actors: t.map(ActorState).view(),
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

/** Copies an actor's effective stats, public tiers and downed flag into its synced state. */
export function mirrorStats(layout: StatLayout, actor: Actor, state: ActorState): void {
  state.downed = actor.respawnAt >= 0;
  layout.slots.forEach((slot, i) => {
    const value = actor.effective[i]!;
    if (state.stats.get(slot.key) !== value) state.stats.set(slot.key, value);
    if (!slot.public || !slot.tiers) return;
    const tier = slot.tiers[tierIndex(layout, i, value)]!.id;
    if (state.tiers.get(slot.key) !== tier) state.tiers.set(slot.key, tier);
  });
}

/** Each synced actor's inventory state as last mirrored (stored plugin state is replaced, never mutated). */
const mirroredInventory = new WeakMap<ActorState, unknown>();

/** Copies a player's inventory into its synced state when its `items` plugin state changed since the last copy. */
export function mirrorInventory(actor: Actor, state: ActorState): void {
  const stored = actor.pluginState?.get(INVENTORY_PLUGIN);
  if (mirroredInventory.has(state) && mirroredInventory.get(state) === stored) return;
  mirroredInventory.set(state, stored);
  const { gold, items, equipped } = inventoryOf(actor);
  if (state.gold !== gold) state.gold = gold;
  syncMap(state.items, items);
  syncMap(state.equipped, equipped);
}

function syncMap<V>(synced: { get(key: string): V | undefined; set(key: string, value: V): unknown; delete(key: string): unknown; keys(): Iterable<string> }, wanted: Readonly<Record<string, V>>): void {
  for (const key of [...synced.keys()]) if (!Object.hasOwn(wanted, key)) synced.delete(key);
  for (const [key, value] of Object.entries(wanted)) if (synced.get(key) !== value) synced.set(key, value);
}

/** The full synced state of a world. */
export function createWorldState(world: World): WorldState {
  const state = new WorldState();
  state.worldId = world.id;
  state.tick = world.tick;
  state.clock = new ClockState();
  mirrorClock(world, state);
  for (const actor of world.order) {
    const actorState = createActorState(actor);
    mirrorStats(world.layout, actor, actorState);
    state.actors.set(actor.id, actorState);
  }
  return state;
}

/** Sets the synced game time to the world's at its current tick, when the minute changed. */
export function mirrorClock(world: World, state: WorldState): void {
  const time = gameTimeAt(world.clock, world.tickRate, world.tick);
  const clock = state.clock;
  if (clock.minute === time.minute && clock.hour === time.hour && clock.day === time.day) return;
  clock.day = time.day;
  clock.hour = time.hour;
  clock.minute = time.minute;
}

/**
 * Mirrors a world's committed moves, respawns and stat changes into the synced state, as they are
 * published on its event bus; returns the unsubscribe function. The tick number is set by the
 * caller once the tick's events are published.
 */
export function subscribeMirror(bus: EventBus, world: World, state: WorldState): () => void {
  const place = (event: { actorId: string; x: number; y: number }): void => {
    const actorState = state.actors.get(event.actorId);
    if (!actorState) return;
    actorState.x = event.x;
    actorState.y = event.y;
  };
  const offs = [
    bus.on("moved", place),
    bus.on("respawned", place),
    bus.on("stats", (event) => {
      const actor = world.byId.get(event.actorId);
      const actorState = state.actors.get(event.actorId);
      if (actor && actorState) mirrorStats(world.layout, actor, actorState);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
