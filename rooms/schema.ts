/**
 * Synced state (@colyseus/schema 5): the tick, the game time (issue 10) and every actor, keyed by
 * actor id. Coordinates are cells. Rooms mirror the core into these after every tick; no rule lives here.
 *
 * Lean by design (issue 11 §1): an actor is one schema tree of plain fields, so each costs one
 * change tracker and one per-view visibility entry, and entering a view costs its fields only.
 * - `id`, `kind`, `name`, `x`, `y` (cells: `uint8` when the world's map is at most 256 cells on
 *   each side, `uint16` up to 65,536, `number` beyond; {@link coordinateType}); `behaviours`, a
 *   bitmask over the room's `behaviourNames` (bit k = `behaviourNames[k]`; absent for none);
 *   `downed` (absent until the actor is first downed). Fields that never change cost nothing after
 *   an actor's first sync.
 * - One `uint8` field per public stat axis of the world, named by the axis key and holding the
 *   index of its tier in `WorldState.publicAxes.get(key).tiers` ({@link publicTierOf}):
 *   `actor["attributes.health"] === 2` is `"wounded"` in the default stats. An index costs 2 bytes
 *   where the tier id cost its length plus 2. The world's public axes and map size are known when
 *   its room starts, so each world gets its own `ActorState` class ({@link syncSchemaFor}); a
 *   client's SDK learns the fields from the room's handshake, as for any schema.
 * - `owner`: only on players, and only in the owner's view ({@link OWNER_TAG}): its raw effective
 *   stats (`stats`, `"attributes.health" → 65`, issue 3) and inventory (`gold`, `items`,
 *   `equipped`, the items plugin's state, issue 10). NPCs carry no owner object at all; other
 *   clients see nothing of another actor's stats or inventory.
 * Who sees which actors: the area of interest (issue 4, rooms/interest.ts).
 */
import { MapSchema, schema, t, type ArraySchema, type Ref, type Schema, type SchemaType } from "@colyseus/schema";
import { BEHAVIOURS, gameTimeAt, type Actor, type BehaviourName, type EventBus, type World } from "../src/core/index.ts";
import { tierIndex, type StatLayout } from "../src/stats/layout.ts";
import { INVENTORY_PLUGIN, inventoryOf } from "../plugins/items/inventory.ts";

/** View tag of the fields only an actor's owner sees (its `owner` object). */
export const OWNER_TAG = 1;

/** At most 63 fields per schema class (schema 5): the base fields leave room for this many public axes. */
export const MAX_PUBLIC_AXES = 48;

/** What only an actor's owner sees: raw stats and inventory. */
export const OwnerState = schema(
  {
    /** Raw effective stat values by `<definition>.<axis>`. */
    stats: t.map("number"),
    /**
     * The inventory (plugins/items/inventory.ts): gold, carried item id → count, slot → worn item
     * id. The maps are created with the first item carried or worn (a schema tree costs ~1 KB).
     */
    gold: t.number().default(0),
    items: t.map("number").optional(),
    equipped: t.map("string").optional(),
  },
  "OwnerState",
);
export type OwnerState = SchemaType<typeof OwnerState>;

/** The tier ids of one public stat axis, in tier order (the index an actor's tier field holds). */
export const PublicAxisState = schema({ tiers: t.array("string") }, "PublicAxisState");
export type PublicAxisState = SchemaType<typeof PublicAxisState>;

/** The synced type of a coordinate on a map of `cells` cells on its longer side. */
export type CoordinateType = "uint8" | "uint16" | "number";

/** The narrowest schema type that holds every cell coordinate of a `width` × `height` map. */
export function coordinateType(width: number, height: number): CoordinateType {
  const side = Math.max(width, height);
  return side <= 256 ? "uint8" : side <= 65_536 ? "uint16" : "number";
}

const COORDINATE_FIELD = { uint8: () => t.uint8(), uint16: () => t.uint16(), number: () => t.number() } satisfies Record<CoordinateType, () => unknown>;

const ACTOR_FIELDS = {
  id: t.string(),
  kind: t.string(),
  name: t.string(),
  /** Replaced per world by {@link coordinateType}'s field. */
  x: t.number(),
  y: t.number(),
  /** Bit k set = the actor has behaviour k of `WorldState.behaviourNames`; absent for none. */
  behaviours: t.number(),
  /** True while downed; absent until the actor is first downed. */
  downed: t.boolean(),
  /** Players only, owner's view only. */
  owner: t.ref(OwnerState).view(OWNER_TAG).optional(),
};

/** An actor's synced state ({@link ACTOR_FIELDS}); the public tier fields are indexed by axis key. */
export type ActorState = Schema & {
  id: string;
  kind: string;
  name: string;
  x: number;
  y: number;
  behaviours?: number;
  downed?: boolean;
  owner?: OwnerState;
  /** Public tier index by axis key ({@link publicTierOf}). */
  [tierKey: `${string}.${string}`]: number | undefined;
};

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

export type WorldState = Schema & {
  worldId: string;
  /** The behaviour names an actor's `behaviours` bitmask indexes. */
  behaviourNames: ArraySchema<string>;
  /** The world's public stat axes with tiers, by axis key: the tier ids an actor's tier field indexes. */
  publicAxes: MapSchema<PublicAxisState>;
  tick: number;
  clock: ClockState;
  /** Each client receives only the actors in its view (area of interest, rooms/interest.ts). */
  actors: MapSchema<ActorState>;
};

/** A world's schema classes and what the mirror needs to fill them. */
export interface SyncSchema {
  readonly ActorState: new () => ActorState;
  readonly WorldState: new () => WorldState;
  /** Layout slot indices of the public axes with tiers, in layout order: one field each. */
  readonly publicSlots: readonly number[];
  /** The synced type of `x` and `y`. */
  readonly coordinates: CoordinateType;
}

/** Classes by coordinate type and public axis keys: worlds alike in both share them. */
const SCHEMAS = new Map<string, SyncSchema>();

/**
 * The schema classes of a world with this stat layout on a `width` × `height` map (cells):
 * `ActorState` with coordinates of {@link coordinateType} and one `uint8` tier field per public
 * axis with tiers. Throws when the world has more than {@link MAX_PUBLIC_AXES} of them.
 */
export function syncSchemaFor(layout: StatLayout, width: number, height: number): SyncSchema {
  const publicSlots = layout.slots.flatMap((slot, i) => (slot.public && slot.tiers ? [i] : []));
  if (publicSlots.length > MAX_PUBLIC_AXES) throw new Error(`sync: ${publicSlots.length} public stat axes with tiers; at most ${MAX_PUBLIC_AXES} fit an actor's schema`);
  const keys = publicSlots.map((i) => layout.slots[i]!.key);
  const coordinates = coordinateType(width, height);
  const id = [coordinates, ...keys].join("\n");
  let found = SCHEMAS.get(id);
  if (found === undefined) {
    const actorFields: Record<string, unknown> = { ...ACTOR_FIELDS, x: COORDINATE_FIELD[coordinates](), y: COORDINATE_FIELD[coordinates]() };
    for (const key of keys) actorFields[key] = t.uint8();
    const actor = schema(actorFields as typeof ACTOR_FIELDS, "ActorState");
    const world = schema(
      { worldId: t.string(), behaviourNames: t.array("string"), publicAxes: t.map(PublicAxisState), tick: t.uint32(), clock: ClockState, actors: t.map(actor).view() },
      "WorldState",
    );
    found = { ActorState: actor as unknown as new () => ActorState, WorldState: world as unknown as new () => WorldState, publicSlots, coordinates };
    SCHEMAS.set(id, found);
  }
  // The same keys may sit at other slot indices in another world's layout.
  return { ...found, publicSlots };
}

/** Clients read a tier with it (src/wire.ts, shared with the web client). */
export { publicTierOf } from "../src/wire.ts";

/** The behaviours a synced bitmask can name, in bit order. */
export const BEHAVIOUR_NAMES = Object.keys(BEHAVIOURS) as BehaviourName[];

/** `behaviours` as a bitmask over {@link BEHAVIOUR_NAMES}. */
export function behaviourMask(behaviours: readonly BehaviourName[]): number {
  let mask = 0;
  for (const name of behaviours) mask |= 1 << BEHAVIOUR_NAMES.indexOf(name);
  return mask;
}

/** A new synced actor: a player gets its `owner` object. Stats and inventory come from the mirror functions. */
export function createActorState(sync: SyncSchema, actor: Actor): ActorState {
  const state = new sync.ActorState();
  state.id = actor.id;
  state.kind = actor.kind;
  state.name = actor.name;
  state.x = actor.x;
  state.y = actor.y;
  if (actor.behaviours.length > 0) state.behaviours = behaviourMask(actor.behaviours);
  if (actor.kind === "player") state.owner = new OwnerState();
  return state;
}

/** Copies an actor's downed flag, public tiers and (for a player) raw effective stats into its synced state. */
export function mirrorStats(sync: SyncSchema, layout: StatLayout, actor: Actor, state: ActorState): void {
  const downed = actor.respawnAt >= 0;
  if (downed ? state.downed !== true : state.downed === true) state.downed = downed;
  for (const i of sync.publicSlots) {
    const key = layout.slots[i]!.key as `${string}.${string}`;
    const tier = tierIndex(layout, i, actor.effective[i]!);
    if (state[key] !== tier) state[key] = tier;
  }
  const owner = state.owner;
  if (owner === undefined) return;
  const { slots } = layout;
  for (let i = 0; i < slots.length; i++) {
    const value = actor.effective[i]!;
    if (owner.stats.get(slots[i]!.key) !== value) owner.stats.set(slots[i]!.key, value);
  }
}

/** Each owner object's inventory state as last mirrored (stored plugin state is replaced, never mutated). */
const mirroredInventory = new WeakMap<OwnerState, unknown>();

/**
 * Copies a player's inventory into its owner object when its `items` plugin state changed since the
 * last copy. Returns the maps it created (the first item carried or worn): an owner already in a
 * view does not reveal a new child's entries by itself, so the caller adds each to the owner's view
 * (`InterestManager.grant`; colyseus/schema views track visibility per tree).
 */
export function mirrorInventory(actor: Actor, state: ActorState): readonly Ref[] {
  const owner = state.owner;
  if (owner === undefined) return NONE;
  const stored = actor.pluginState?.get(INVENTORY_PLUGIN);
  if (mirroredInventory.has(owner) && mirroredInventory.get(owner) === stored) return NONE;
  mirroredInventory.set(owner, stored);
  const { gold, items, equipped } = inventoryOf(actor);
  if (owner.gold !== gold) owner.gold = gold;
  const created: Ref[] = [];
  if (owner.items === undefined && Object.keys(items).length > 0) created.push((owner.items = new MapSchema<number>()));
  if (owner.equipped === undefined && Object.keys(equipped).length > 0) created.push((owner.equipped = new MapSchema<string>()));
  if (owner.items !== undefined) syncMap(owner.items, items);
  if (owner.equipped !== undefined) syncMap(owner.equipped, equipped);
  return created.length === 0 ? NONE : created;
}

const NONE: readonly Ref[] = Object.freeze([]);

function syncMap<V>(synced: { get(key: string): V | undefined; set(key: string, value: V): unknown; delete(key: string): unknown; keys(): Iterable<string> }, wanted: Readonly<Record<string, V>>): void {
  for (const key of [...synced.keys()]) if (!Object.hasOwn(wanted, key)) synced.delete(key);
  for (const [key, value] of Object.entries(wanted)) if (synced.get(key) !== value) synced.set(key, value);
}

/**
 * The synced actors of one room, kept in its `WorldState.actors` and indexed by core slot
 * (`Actor.slot`) beside it: the mirror and the area of interest look an actor's state up once per
 * event on a plain array instead of the schema map (whose lookups cost several times more).
 */
export class SyncedActors {
  private readonly bySlot: (ActorState | undefined)[] = [];

  constructor(private readonly state: WorldState) {}

  /** The schema map of the synced actors (`WorldState.actors`), keyed by actor id. */
  get map(): WorldState["actors"] {
    return this.state.actors;
  }

  /** The synced state last added for core slot `slot` (possibly of an actor since gone), or undefined. */
  at(slot: number): ActorState | undefined {
    return this.bySlot[slot];
  }

  add(actor: Actor, actorState: ActorState): void {
    this.state.actors.set(actor.id, actorState);
    setDense(this.bySlot, actor.slot, actorState);
  }

  /** Forgets actor `actorId`. A stale slot entry is harmless: {@link of} checks the id. */
  remove(actorId: string): void {
    this.state.actors.delete(actorId);
  }

  /** `actor`'s synced state, or undefined when it has none. */
  of(actor: Actor): ActorState | undefined {
    const found = this.bySlot[actor.slot];
    return found !== undefined && found.id === actor.id ? found : undefined;
  }
}

/**
 * `list[index] = value`, growing `list` one element at a time: a write far past the end would turn
 * it into a dictionary (V8's sparse elements), and every lookup of the hot paths ten times slower.
 */
export function setDense<T>(list: (T | undefined)[], index: number, value: T | undefined): void {
  while (list.length <= index) list.push(undefined);
  list[index] = value;
}

/** The full synced state of a world, with its schema classes. */
export function createWorldState(world: World): { sync: SyncSchema; state: WorldState; synced: SyncedActors } {
  const sync = syncSchemaFor(world.layout, world.grid.width, world.grid.height);
  const state = new sync.WorldState();
  state.worldId = world.id;
  state.behaviourNames.push(...BEHAVIOUR_NAMES);
  for (const i of sync.publicSlots) {
    const slot = world.layout.slots[i]!;
    const axis = new PublicAxisState();
    axis.tiers.push(...slot.tiers!.map((tier) => tier.id));
    state.publicAxes.set(slot.key, axis);
  }
  state.tick = world.tick;
  state.clock = new ClockState();
  mirrorClock(world, state);
  const synced = new SyncedActors(state);
  for (const actor of world.order) {
    const actorState = createActorState(sync, actor);
    mirrorStats(sync, world.layout, actor, actorState);
    synced.add(actor, actorState);
  }
  return { sync, state, synced };
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
export function subscribeMirror(bus: EventBus, world: World, sync: SyncSchema, synced: SyncedActors): () => void {
  const place = (event: { actorId: string; x: number; y: number }): void => {
    const actor = world.byId.get(event.actorId);
    const actorState = actor && synced.of(actor);
    if (!actorState) return;
    actorState.x = event.x;
    actorState.y = event.y;
  };
  const offs = [
    bus.on("moved", place),
    bus.on("respawned", place),
    bus.on("stats", (event) => {
      const actor = world.byId.get(event.actorId);
      const actorState = actor && synced.of(actor);
      if (actor && actorState) mirrorStats(sync, world.layout, actor, actorState);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
