/**
 * The plugin API: everything a plugin author imports, in one module (issue 9 §3).
 *
 * A plugin is a folder `plugins/<id>/index.ts` whose default export is `definePlugin({ manifest,
 * onLoad, onEnable, onDisable })` (or the same names as named exports). The host validates the
 * manifest, orders plugins by dependency and calls `onLoad(ctx)` before the server listens,
 * `onEnable()` after, `onDisable()` at shutdown in reverse order (src/plugins/host.ts).
 *
 * The context holds only what the manifest's `permissions` grant (STYLE §10): `ctx.events` exists
 * only with `events:subscribe`. The capability interfaces below are contracts: the SERVER provides
 * the implementations (issue 9 §2–3); this module only names their shapes.
 */
import type { Database } from "better-sqlite3";
import type { Counter, Gauge } from "prom-client";
import type { ErrorInfo } from "../errors.ts";
import type { SessionChanges } from "../server/session-store.ts";
import type { Character, GameSession, SessionStats } from "../sessions/types.ts";
import type { ModifierSpec, StatValues } from "../stats/types.ts";
import type { WorldPort } from "../server/world-runtime.ts";
import type { AsyncWorldPort } from "../server/world-ports.ts";
import type { ActionKind, Actor, Brain, WorldDef, EventType, PlainData, Result, ScheduledTask, TickContext, TickEventMap, World } from "../core/index.ts";
import type { WorldSectionSchemas } from "../content/world-extensions.ts";
import type { CapabilityKeyOf, Permission, PluginManifest, PluginManifestInput, ProvidedPermission } from "./manifest.ts";

export { PERMISSIONS } from "./manifest.ts";
export type { CapabilityKey, CapabilityKeyOf, Permission, PluginManifest, PluginManifestInput, ProvidedPermission } from "./manifest.ts";

/**
 * Capabilities plugins provide to each other, by name `<provider id>:<name>` → type. A providing
 * plugin augments this interface (`declare module "…/src/plugins/api.ts" { interface
 * ProvidedCapabilities { "interactions:register": InteractionRegistrar } }`), so `ctx.use` is typed.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProvidedCapabilities {}

/** Undoes a registration; calling it twice is harmless (bitECS's `subscribe`, STYLE §11). */
export type Unsubscribe = () => void;

/** Plain data (JSON values): what plugin-owned world state may hold (the core's type). */
export type { PlainData };

/** One actor of one world. */
export interface ActorRef {
  readonly worldId: string;
  readonly actorId: string;
}

/** `actions:register` → `ctx.actions`: adds action kinds (src/core/actions.ts) to every world. */
export interface ActionRegistrar {
  /**
   * Adds `kind` to every world's rules. A method that throws inside the tick fails its action with
   * reason `fault` (the tick's writes for it roll back) and is logged with the plugin, tick and
   * action. `edge`, when given, admits or refuses each client's attempt before the payload schema
   * (see {@link ActionEdge}). Throws at load if the name is taken.
   */
  register<P>(kind: ActionKind<P>, edge?: ActionEdge): void;
}

/** A client's attempt at an action kind, as the room received it (before the payload schema). */
export interface ActionAttempt {
  readonly world: World;
  /** The client's actor. */
  readonly actor: Actor;
  /** The player's session id. */
  readonly sessionId: string;
  /** The raw payload: unvalidated client data. */
  readonly payload: unknown;
}

/**
 * Server-side admission of a kind's client attempts, at the edge, outside the tick (so it may use
 * the wall clock, rate limits and storage): `admit` answers the payload to validate and queue, or a
 * rejection the client gets as `error { code, message }` and that changes nothing. A throw is
 * logged and answered `internal`.
 */
export interface ActionEdge {
  admit(attempt: ActionAttempt): Result<unknown>;
}

/** `clients:send` → `ctx.clients`: messages to the players' clients. */
export interface ClientMessenger {
  /** Sends `type` with `message` to the client controlling `actorId` in world `worldId`; false when none does (an NPC, or nobody connected). */
  send(worldId: string, actorId: string, type: string, message: unknown): boolean;
}

/**
 * `metrics:register` → `ctx.metrics`: prom-client metrics on the server's registry (`/metrics`),
 * named `arbiter_plugin_<id>_<name>` (the id's `-` as `_`). `name` is `a-z 0-9 _`; registering one
 * name twice throws at load.
 */
export interface PluginMetrics {
  counter<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Gauge<L>;
}

/** `worlds:read` → `ctx.worlds`: the world files and the running worlds (issue 9 §2's typed port). */
export interface WorldDirectory {
  /** A loaded world file, or undefined (world files load after the plugins: empty during `onLoad`). */
  def(worldId: string): WorldDef | undefined;
  /** Every loaded world file. */
  defs(): readonly WorldDef[];
  /** A running world's port, or undefined when no room hosts it now. */
  port(worldId: string): WorldPort | undefined;
  /**
   * A running world's port in any process (issue 14, src/server/world-ports.ts): this process's, or
   * remote calls to the process hosting it; undefined when no room hosts it. Every method answers
   * asynchronously, with the same results as the local port.
   */
  reach(worldId: string): Promise<AsyncWorldPort | undefined>;
  /** A running world's state, to read (write through actions and capabilities only). */
  world(worldId: string): World | undefined;
  /** The session of a player actor in a running world, or undefined. */
  sessionOf(worldId: string, actorId: string): string | undefined;
  /** The running world of this process where session `sessionId` plays, and its actor; undefined when none. */
  sessionActor(sessionId: string): { world: World; actor: Actor } | undefined;
}

/** `ai:register` → `ctx.ai`: adds NPC brains (AI kinds, src/core/ai.ts) to every world. */
export interface BrainRegistrar {
  /** Adds `brain`; a world file may then name it in `npcs[].ai`. Throws at load if the kind is taken. */
  register(brain: Brain): void;
}

/** A plugin's handler of a tick event: the event, the tick, and the world it happened in. */
export type PluginEventHandler<K extends EventType> = (event: TickEventMap[K], tick: number, world: World) => void;

/**
 * `events:subscribe` → `ctx.events`: the typed tick events (src/core/events.ts) of every world.
 * Handlers run after the tick, in subscription order; one that throws is logged and the others run.
 */
export interface EventSubscriptions {
  /** Subscribes to `type` in every world; returns its unsubscribe. An undeclared type throws at load. */
  on<K extends EventType>(type: K, handler: PluginEventHandler<K>): Unsubscribe;
  /** Declares a new event type (augment `TickEventMap` for its payload type). */
  define(type: string): void;
}

/**
 * `world-state` → `ctx.state`: the plugin's own state, per world and per actor, keyed by its id
 * (src/core/plugin-state.ts): plain data, in the snapshot, the state hash and the journal. Pass the
 * tick's context (`TickContext`, as action methods receive it) when writing inside a tick, so a
 * failed action rolls the write back.
 */
export interface PluginWorldState {
  /** Declares the plugin's world-file sections (`plugins.<id>`, `npcs[].plugins.<id>`), validated at start-up. */
  sections(schemas: WorldSectionSchemas): void;
  getWorld(world: World): PlainData | undefined;
  setWorld(world: World, value: PlainData | undefined, tick?: TickContext): void;
  getActor(actor: Actor): PlainData | undefined;
  setActor(world: World, actor: Actor, value: PlainData | undefined, tick?: TickContext): void;
  /**
   * The plugin's state for a player joining without any stored for this plugin (a new session, or
   * one older than the plugin): for example a starting inventory from the character template.
   * Called at the edge, before the join input; the value travels in that journaled input.
   * Return undefined for none. A throw is logged and the player joins without it.
   */
  initialActor(seed: (player: PlayerSeed) => PlainData | undefined): void;
}

/** What a joining player's initial plugin state may depend on. */
export interface PlayerSeed {
  readonly worldId: string;
  readonly character: Readonly<Character>;
  readonly stats: Readonly<SessionStats>;
}

/**
 * `stats:write` → `ctx.stats`: changes an actor's stats inside the tick (seed 004; src/core/
 * stat-writes.ts), through the tick's undo log, so a failed action rolls them back, downing
 * included. Pass the tick context an action method receives. A rejection (`command/invalid`: an
 * unknown stat, a value outside its axis) changes nothing.
 */
export interface StatWriter {
  /** Sets runtime values by definition and axis (`{ attributes: { health: 40 } }`). */
  set(tick: TickContext, actor: Actor, values: StatValues): Result<Actor>;
  /** Applies a modifier (`{ stat, op, value, duration, source }`); at health 0 the actor is downed. */
  modify(tick: TickContext, actor: Actor, modifier: ModifierSpec): Result<Actor>;
  /**
   * Removes every active modifier of `actor` with `source` (an unequipped item's), undoably; at
   * health 0 the actor is downed. Returns how many were removed (0 changes nothing).
   */
  remove(tick: TickContext, actor: Actor, source: string): number;
}

/** `sessions:read` → `ctx.sessions`. Provided by the server over the session store (seed 003 §1.1). */
export interface SessionReader {
  /** The session, or undefined for an unknown id. */
  get(sessionId: string): Readonly<GameSession> | undefined;
}

/** `sessions:write` → `ctx.sessionWriter`. Provided by the server over the session store. */
export interface SessionWriter {
  /** Changes the name and/or flags (never stats); undefined for an unknown id. */
  update(sessionId: string, changes: SessionChanges): Readonly<GameSession> | undefined;
}

/** Methods a plugin route may answer. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a plugin route handler receives: already-parsed JSON body, path params and query. */
export interface PluginRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Returns the JSON body of a 200 answer; throwing an `ArbiterError` answers its code and status. */
export type PluginRouteHandler = (request: PluginRequest) => unknown;

/** `http:routes` → `ctx.http`. Provided by the server, on its router, listed in `/api/reference`. */
export interface RouteRegistry {
  /**
   * Adds `method /api/<prefix><path>` (`path` starts with `/`). The same method and path twice
   * (from any plugin or the server) stops start-up with `plugin/duplicate-route` naming both.
   */
  route(method: HttpMethod, path: string, handler: PluginRouteHandler, options?: RouteOptions): void;
  /**
   * Adds `method /api/worlds/:worldId/npcs/:npcId/<prefix><path>` (`path` "/" or starting with
   * `/`): the plugin's part of an NPC resource (`GET /api/worlds/docks/npcs/guard-1/interactions`).
   * The handler gets `params.worldId` and `params.npcId`; clashes as for `route`.
   */
  npcRoute(method: HttpMethod, path: string, handler: PluginRouteHandler, options?: RouteOptions): void;
  /**
   * Adds `method /api/sessions/:sessionId/<prefix><path>` (`path` "/" or starting with `/`): the
   * plugin's part of a session resource (`GET /api/sessions/:sessionId/inventory`). The handler
   * gets `params.sessionId`; clashes as for `route`.
   */
  sessionRoute(method: HttpMethod, path: string, handler: PluginRouteHandler, options?: RouteOptions): void;
}

export interface RouteOptions {
  /** Requires the admin credentials (HTTP basic, user `admin`); 401 `auth/required` otherwise. Default false. */
  admin?: boolean;
}

/** One schema migration of a plugin's own tables; shipped migrations are never edited. */
export interface PluginMigration {
  /** Sortable, unique within the plugin: `NNNN-description`. */
  readonly name: string;
  /** SQL run in one transaction. */
  readonly up: string;
  readonly down: string;
}

/** The server's SQLite handle as a plugin sees it (better-sqlite3's `Database`). */
export type PluginDatabase = Database;

/**
 * `storage` → `ctx.storage`. Provided by the server: the plugin's tables live in the server's
 * SQLite database, namespaced by plugin id (the server records migrations as `<id>/<name>` and
 * decides the table-name rule it enforces).
 */
export interface PluginStorage {
  readonly db: PluginDatabase;
  /** Applies the pending migrations in name order; resolves to the names applied. */
  migrate(migrations: readonly PluginMigration[]): Promise<string[]>;
}

/**
 * `scheduler:register` → `ctx.scheduler`: tasks that run inside every world's tick, in registration
 * order (src/core/schedules.ts `ScheduledTask`: `run(world, tick)`), on exactly one schedule:
 * `everyTicks: n` (ticks divisible by n), `daily: "HH:MM"` (the first tick whose game time reaches
 * that minute, once per game day) or `everyGameMinutes: n` (each tick where the game-minute count
 * crosses a multiple of n). Game time derives from the tick (src/core/clock.ts, issue 10), so tasks
 * are deterministic and replayed with the world; they need no journal entry of their own.
 * `register` throws `plugin/hook-failed` on a duplicate name or a bad schedule (none or several
 * fields, a period that is not an integer ≥ 1, a time that is not `HH:MM`). A task that throws is
 * logged and skipped for that tick.
 */
export interface Scheduler {
  /** Adds `task` to every world; the returned function stops it (worlds keep their rules, the task just no longer runs). */
  register(task: ScheduledTask): Unsubscribe;
}

/**
 * What each permission grants: permission → capability type. The server provides one factory
 * per entry (src/plugins/context.ts `CapabilityFactories`). Must have exactly the keys of
 * `PERMISSIONS` (checked below at compile time).
 */
export interface CapabilityMap {
  "actions:register": ActionRegistrar;
  "ai:register": BrainRegistrar;
  "events:subscribe": EventSubscriptions;
  "world-state": PluginWorldState;
  "stats:write": StatWriter;
  "sessions:read": SessionReader;
  "sessions:write": SessionWriter;
  "http:routes": RouteRegistry;
  storage: PluginStorage;
  "scheduler:register": Scheduler;
  "clients:send": ClientMessenger;
  "worlds:read": WorldDirectory;
  "metrics:register": PluginMetrics;
}

/** Compile-time check: `CapabilityMap` and `PERMISSIONS` name the same permissions. */
type SameKeys<A, B> = [keyof A] extends [B] ? ([B] extends [keyof A] ? true : false) : false;
type AssertTrue<T extends true> = T;
export type CapabilityMapIsComplete = AssertTrue<SameKeys<CapabilityMap, Permission>>;

/** A minimal structured logger (pino's `Logger` fits): `log.info({ detail }, "message")`. */
export interface PluginLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What every context holds, whatever the permissions. */
export interface PluginContextBase {
  /** The plugin's id (its folder name). */
  readonly id: string;
  /** The validated manifest, defaults filled in (frozen). */
  readonly manifest: Readonly<PluginManifest>;
  /** The server's logger; every line carries `{ plugin: id }`. */
  readonly log: PluginLogger;
  /** The server's content directory (`DATA_DIR`, absolute): `worlds/`, `characters/`, and plugins' own content (`narrative/`, `items/`). */
  readonly dataDir: string;
  /**
   * Offers a capability to other plugins (Fastify's `decorate`, permissioned): `name` must be
   * `<own id>:<name>`. Plugins that list it in `permissions` and depend on this one reach it with
   * `use`. Throws `plugin/hook-failed` for a name outside the plugin's namespace or provided twice.
   */
  provide<K extends keyof ProvidedCapabilities & string>(name: K, implementation: ProvidedCapabilities[K]): void;
  /**
   * Another plugin's capability. Throws `plugin/permission-denied` when `name` is not in the
   * manifest's permissions, `plugin/capability-unavailable` when its provider did not offer it.
   */
  use<K extends keyof ProvidedCapabilities & string>(name: K): ProvidedCapabilities[K];
  /**
   * Adds the plugin's error codes to the server's table (src/errors.ts): `{ "interaction/not-adjacent":
   * { message, status } }`, answered like the server's own over WebSocket (`error { code }`) and HTTP
   * (the status). Augment `PluginErrorCodes` for the codes to type-check. Throws
   * `plugin/hook-failed` for a malformed code, a server namespace or a code another plugin defined.
   */
  defineErrors(table: Readonly<Record<string, ErrorInfo>>): void;
}

/**
 * The context `onLoad(ctx)` receives: the base plus one key per granted permission
 * (`PluginContext<"events:subscribe">` has `ctx.events`). Ungranted capability keys are absent:
 * `"events" in ctx` is false, and reading one fails the load with `plugin/permission-denied`.
 */
export type PluginContext<P extends Permission | ProvidedPermission = never> = PluginContextBase & {
  readonly [K in P & Permission as CapabilityKeyOf<K>]: CapabilityMap[K];
};

/** A hook's result: nothing, or a promise of nothing (the host awaits it, with a timeout). */
export type HookResult = void | Promise<void>;

/**
 * A plugin module: its manifest and optional lifecycle hooks (seed 001, avvio's order).
 * - `onLoad(ctx)`: before the server listens, in dependency order; register actions, routes, subscriptions here.
 * - `onEnable()`: after the server listens, in the same order.
 * - `onDisable()`: at shutdown, in reverse order; errors are logged and shutdown goes on.
 * Each hook has `PLUGIN_HOOK_TIMEOUT_MS` (default 10 000 ms) to finish.
 */
export interface PluginModule<P extends Permission | ProvidedPermission = Permission> {
  readonly manifest: Omit<PluginManifestInput, "permissions"> & { readonly permissions?: readonly P[] };
  onLoad?(ctx: PluginContext<P>): HookResult;
  onEnable?(): HookResult;
  onDisable?(): HookResult;
}

/**
 * Returns `plugin` unchanged, typed: the context `onLoad` receives has exactly the capabilities
 * the manifest's `permissions` list (`export default definePlugin({ manifest: { …, permissions:
 * ["events:subscribe"] }, onLoad(ctx) { ctx.events.on(…) } })`).
 */
export function definePlugin<const P extends Permission | ProvidedPermission = never>(plugin: PluginModule<P>): PluginModule<P> {
  return plugin;
}
