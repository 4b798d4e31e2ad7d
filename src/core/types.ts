/**
 * Plain-data types of the simulation core (STYLE §4): actors, worlds, actions, inputs, events.
 * Functions over them live in the module named after the verb's subject (world.ts, pipeline.ts …).
 */
import type { ErrorCode } from "../errors.ts";
import type { StatLayout } from "../stats/layout.ts";
import type { StatState } from "../stats/stat-state.ts";
import type { ModifierSpec, StatsConfig, StatValues } from "../stats/types.ts";
import type { Method } from "./actions.ts";
import type { WorldRules } from "./rules.ts";
import type { Reaction } from "./behaviours.ts";
import type { TickEventMap } from "./events.ts";
import type { SpatialHash } from "./spatial-hash.ts";
import type { Dir } from "./directions.ts";
import type { Grid } from "./grid.ts";
import type { RngState } from "./rng.ts";
import type { WorldClock } from "./clock.ts";

/** The behaviours of seed 002 §1, in the seed's spelling. */
export const BEHAVIOUR_NAMES = ["Moveable", "Frightened", "Aggressive"] as const;
export type BehaviourName = (typeof BEHAVIOUR_NAMES)[number];

export type ActorKind = "player" | "npc";

/** An NPC brain's kind, as registered (ai.ts), for example `wander` (plugins/ai-wander/). */
export type AiKind = string;

/** A non-player actor as a world file declares it (positions in cells). */
export interface NpcDef {
  id: string;
  name: string;
  at: readonly [number, number];
  behaviours: readonly BehaviourName[];
  ai?: AiKind;
  /** Higher acts first in the pipeline (default 0). */
  initiative?: number;
  /** Base stats, already merged from the character template and the world's instance overrides. */
  stats?: StatValues;
  /** Plugin sections by plugin id, as the plugins' schemas accepted them (content/world-extensions.ts). */
  plugins?: Record<string, unknown>;
}

/** A validated world file (src/content/world-file.ts). */
export interface WorldDef {
  id: string;
  name: string;
  /** Ticks per second, in Hz. */
  tickRate: number;
  seed: number;
  /** Map rows: `#` wall, `.` floor, `S` floor + spawn point. */
  map: readonly string[];
  npcs: readonly NpcDef[];
  /** The world's stat definitions (src/content/stats-config.ts). */
  stats: StatsConfig;
  /** Ticks a downed actor stays down before it respawns with full health. */
  respawnTicks: number;
  /** Scenario type (content; picks the default player character). */
  scenario?: string;
  /** Area of interest: a client sees the actors within this many cells of its own (0: everyone). */
  interestRadius?: number;
  /** World sections of plugins by plugin id, as the plugins' schemas accepted them. */
  plugins?: Record<string, unknown>;
  /** The in-game clock (clock.ts, issue 10); absent: `DEFAULT_CLOCK`. */
  clock?: WorldClock;
  /** Narrative genre (issue 10 "dialogue", seed 003 §1.3): picks `DATA_DIR/narrative/<genre>.json`; absent: `"default"`. */
  genre?: string;
}

export interface Actor {
  /** Index in `World.slots`; stable while the actor lives. */
  readonly slot: number;
  readonly id: string;
  readonly kind: ActorKind;
  readonly name: string;
  /** Column, in cells. */
  x: number;
  /** Row, in cells. */
  y: number;
  readonly behaviours: readonly BehaviourName[];
  /** How the actor answers a push, derived once from `behaviours` (behaviours.ts). */
  readonly reaction: Reaction;
  readonly ai: AiKind | null;
  readonly initiative: number;
  /** Hash of `id`, cached for the state hash. */
  readonly idHash: number;
  /** Position in the pipeline order (`World.order`). */
  rank: number;
  /** Stats: base, runtime overrides and active modifiers (src/stats/). */
  readonly stats: StatState;
  /** Effective stat values, kept current whenever stats change. */
  readonly effective: Float64Array;
  /** Hash of the stats part of the state, kept current with `effective`. */
  statsHash: number;
  /** Tick at which a downed actor respawns, or −1 while it is up. A downed actor cannot act and is not pushable. */
  respawnAt: number;
  /** Where an NPC respawns (its cell in the world file); a player respawns at a spawn point. */
  readonly homeX: number;
  readonly homeY: number;
  /** Last tick in which the actor moved: an actor moves at most one cell per tick (rule 4). */
  movedTick: number;
  /** Last tick in which the actor was blocked by a conflict; a blocked actor promises no reaction (seed 002 §5). */
  blockedTick: number;
  /** Plugin-owned state by plugin id (plugin-state.ts), or null when there is none. */
  pluginState: Map<string, PlainData> | null;
  /** Hash of `pluginState`, 0 when null; part of the actor's hash contribution, settled lazily (plugin-state.ts). */
  pluginHash: number;
  /** Sum of the hash terms of `pluginState`, kept up to date at every write (plugin-state.ts). */
  pluginSum: number;
  /** Root actions queued for the next tick, in arrival order, or null. */
  queue: ActorAction[] | null;
  /** The ban list (seed 002 §8): receivers this actor pushed in tick `bannedTick`, first `bannedCount` entries. */
  bannedTick: number;
  bannedCount: number;
  readonly bannedSlots: number[];
}

export interface World {
  readonly id: string;
  readonly name: string;
  readonly tickRate: number;
  readonly seed: number;
  /** The world file it was built from (its NPCs' plugin sections, for plugins); never changed. */
  readonly def: WorldDef;
  /** The in-game clock: game time is `gameTimeAt(clock, tickRate, tick)` (clock.ts), derived, never hashed. */
  readonly clock: WorldClock;
  /** Number of completed ticks. */
  tick: number;
  readonly grid: Grid;
  /** Actors by slot; a removed actor leaves `undefined` until the slot is reused. */
  readonly slots: (Actor | undefined)[];
  readonly freeSlots: number[];
  readonly byId: Map<string, Actor>;
  /** Every actor in pipeline order: initiative descending, then id ascending (UTF-16 code units). */
  readonly order: Actor[];
  /** Actors with a queued action, in no particular order (the pipeline sorts them by rank). */
  readonly queued: Actor[];
  /** Actors with an AI, in pipeline order. */
  readonly thinkers: Actor[];
  /** Every actor by position, for area-of-interest queries (spatial-hash.ts). */
  readonly spatial: SpatialHash<Actor>;
  /** The flattened stat layout of `WorldDef.stats`. */
  readonly layout: StatLayout;
  readonly respawnTicks: number;
  /** Actors with timed modifiers, which may expire on a tick boundary. */
  readonly modified: Set<Actor>;
  /** Downed actors, waiting for `respawnAt`. */
  readonly downed: Set<Actor>;
  /** Sums of every actor's hash contribution, two 32-bit lanes, kept up to date on every change (hash.ts). */
  actorSumA: number;
  actorSumB: number;
  readonly rng: RngState;
  /** Plugin-owned world-level state by plugin id (plugin-state.ts). */
  readonly pluginState: Map<string, PlainData>;
  /** Hash of `pluginState`, 0 when empty; mixed into the state hash when not 0. */
  pluginHash: number;
  /** Sum of the hash terms of `pluginState` (plugin-state.ts). */
  pluginSum: number;
  /** Actors (and the world itself) whose plugin state was written since the hashes were last settled (plugin-state.ts). */
  readonly pluginDirty: Set<Actor | World>;
  /** The action kinds and brains this world resolves (rules.ts); travel with the world through restore and replay. */
  readonly rules: WorldRules;
  /** Number given to the next player actor's id (`player-<n>`). */
  nextPlayerNo: number;
}

/** One attempt to change an actor's state (seed 002 §1, `ActorAction`). */
export interface ActorAction {
  actor: Actor;
  /** The action kind (actions.ts) this action performs; a push reaction keeps its pusher's kind. */
  kind: string;
  behaviour: BehaviourName;
  /** What executing it does (actions.ts `Method`); a function, never a name looked up later. */
  method: Method;
  /** Direction of the action (a conflict pushes the occupant this way), or the push direction a flight reacts to. */
  dir: Dir;
  /** The intent's payload as its kind's schema accepted it at the edge. */
  payload: unknown;
  /** Executions so far, the first one included. */
  attempts: number;
  /** 0 for an actor's own action; a reaction to a push is one deeper than the action that pushed. */
  depth: number;
}

/** JSON-safe data: what plugin-owned state may hold (plugin-state.ts). Numbers are finite. */
export type PlainData = null | boolean | number | string | readonly PlainData[] | { readonly [key: string]: PlainData };

/** External inputs: the only things that enter the journal (replay regenerates the rest). */
/** A player's stats as a session carries them into a world (values by definition and axis). */
export interface CarriedStats {
  base: StatValues;
  runtime?: StatValues;
}

export type Input =
  /** `state`: the player's plugin state carried from its session, by plugin id (journaled with the join). */
  | { type: "join"; actorId: string; name: string; stats?: CarriedStats; at?: [number, number]; state?: Readonly<Record<string, PlainData>> }
  | { type: "leave"; actorId: string }
  /** An intent of a registered action kind (actions.ts), `move { dir }` among them. */
  | { type: "act"; actorId: string; kind: string; payload: unknown }
  | { type: "set-stats"; actorId: string; values: StatValues }
  | { type: "modify"; actorId: string; modifier: ModifierSpec }
  /** Sets (`value` absent: deletes) a plugin's world state, or its state on `actorId` when given. */
  | { type: "set-state"; pluginId: string; actorId?: string; value?: PlainData };

/** A rejection is a value, not an exception (STYLE §7). */
export interface Rejection {
  ok: false;
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | Rejection;

/** Why an action failed or a push was refused. */
export type FailReason =
  | "wall"
  | "out-of-bounds"
  | "already-moved"
  | "banned"
  | "depth"
  | "blocked"
  | "aggressive"
  | "immovable"
  | "cornered"
  | "attempts"
  | "downed"
  /** The action's own rules refused it inside the tick (a plugin's check, such as an interaction's effect that failed): its writes roll back. */
  | "rejected"
  /** A plugin's method threw (the server's guard, src/server/plugin-wiring.ts): the action rolls back. */
  | "fault";

/**
 * What happened in a tick, in the order it happened (moves in commit order): one of the payloads of
 * {@link TickEventMap} (events.ts), which plugins extend with their own types.
 */
export type TickEvent = TickEventMap[keyof TickEventMap];

/** The outcome of one tick: its inputs, its events and the state hash after it. */
export interface TickResult {
  tick: number;
  inputs: Input[];
  events: TickEvent[];
  hash: string;
  /** Actions executed, conflicts, pushes and rollbacks in this tick. */
  counts: { actions: number; conflicts: number; pushes: number; rollbacks: number };
}
