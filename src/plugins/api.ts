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
import type { z } from "zod";
import type { SessionChanges } from "../server/session-store.ts";
import type { GameSession } from "../sessions/types.ts";
import type { ModifierSpec, StatValues } from "../stats/types.ts";
import type { ActionKind, Actor, Brain, EventType, PlainData, Result, ScheduledTask, TickContext, TickEventMap, World } from "../core/index.ts";
import type { WorldSectionSchemas } from "../content/world-extensions.ts";
import type { CapabilityKeyOf, Permission, PluginManifest, PluginManifestInput } from "./manifest.ts";

export { PERMISSIONS } from "./manifest.ts";
export type { CapabilityKey, CapabilityKeyOf, Permission, PluginManifest, PluginManifestInput } from "./manifest.ts";

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
   * action. Throws at load if the name is taken.
   */
  register<P>(kind: ActionKind<P>): void;
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
  route(method: HttpMethod, path: string, handler: PluginRouteHandler): void;
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
 * `scheduler:register` → `ctx.scheduler`: tasks that run inside every world's tick, every
 * `everyTicks` ticks (src/core/schedules.ts `ScheduledTask`: `run(world, tick)`), deterministic and
 * replayed with the world. A task that throws is logged and skipped for that tick.
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
}

/**
 * The context `onLoad(ctx)` receives: the base plus one key per granted permission
 * (`PluginContext<"events:subscribe">` has `ctx.events`). Ungranted capability keys are absent:
 * `"events" in ctx` is false, and reading one fails the load with `plugin/permission-denied`.
 */
export type PluginContext<P extends Permission = never> = PluginContextBase & {
  readonly [K in P as CapabilityKeyOf<K>]: CapabilityMap[K];
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
export interface PluginModule<P extends Permission = Permission> {
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
export function definePlugin<const P extends Permission = never>(plugin: PluginModule<P>): PluginModule<P> {
  return plugin;
}
