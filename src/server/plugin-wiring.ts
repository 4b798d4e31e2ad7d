/**
 * The server's side of the plugin host (issue 9 §3): discovers `PLUGINS_DIR`, hands each plugin a
 * context built from the capability factories below, and collects what the plugins registered into
 * the pieces the rest of the server uses:
 * - `rules`: the core's action kinds and brains plus the plugins' (rules.ts), for every world;
 * - `extensions`: the AI kinds and world-file section schemas, to validate world files at start-up;
 * - `attach(bus, world)`: the plugins' event subscriptions, on one world's bus.
 *
 * Plugin code runs inside the tick (action methods, brains) or right after it (event handlers).
 * Each call is guarded and timed here: a method that throws fails its action with reason `fault`
 * (the pipeline rolls back everything the action wrote), a brain that throws is skipped for that
 * tick and an event handler for that event, and each fault is logged with the plugin, world, tick and action or event. Time
 * spent per plugin is added to `costs` (plugin-costs.ts).
 */
import { Counter, Gauge, type Registry } from "prom-client";
import type { WorldExtensions, WorldSectionSchemas } from "../content/world-extensions.ts";
import {
  actorStateOf,
  checkTaskSchedule,
  createEventBus,
  createWorldRules,
  modifyInTick,
  setStatsInTick,
  setActorState,
  setWorldState,
  worldStateOf,
  type ActionKind,
  type Brain,
  type EventBus,
  type ScheduledTask,
  type PlainData,
  type World,
  type WorldDef,
  type WorldRules,
} from "../core/index.ts";
import { ArbiterError } from "../errors.ts";
import type { ActionEdge, PlayerSeed, HttpMethod, PluginEventHandler, PluginRouteHandler, RouteOptions } from "../plugins/api.ts";
import type { WorldRuntime } from "./world-runtime.ts";
import type { CapabilityFactories } from "../plugins/context.ts";
import { discoverPlugins } from "../plugins/discover.ts";
import { loadPlugins, type PluginHost } from "../plugins/host.ts";
import type { LogLimiter } from "./log-limiter.ts";
import type { Logger } from "./logger.ts";
import type { Database } from "better-sqlite3";
import type { RegisteredRoute } from "./http/plugin-routes.ts";
import { removeModifiersInTick } from "../core/stat-writes.ts";
import { createPluginStorage } from "./plugin-storage.ts";
import type { SessionStore } from "./session-store.ts";
import { createPluginCosts, type PluginCosts } from "./plugin-costs.ts";
import { createGuard, type Guard } from "./plugin-guard.ts";
import { createSubscriptionSet, createWorldDispatcher, unsubscribe, type Subscription, type SubscriptionSet } from "./plugin-dispatch.ts";
import { worldPortOf } from "./world-ports.ts";

export interface ServerPlugins {
  readonly host: PluginHost;
  readonly rules: WorldRules;
  readonly extensions: WorldExtensions;
  readonly costs: PluginCosts;
  /** Routes the plugins added (`http:routes`), mounted by the API router (http/plugin-routes.ts). */
  readonly routes: readonly RegisteredRoute[];
  /**
   * A joining player's plugin state: `stored` (the session's), plus each plugin's `initialActor`
   * seed for the plugins `stored` has nothing of.
   */
  initialActorState(player: PlayerSeed, stored: Readonly<Record<string, PlainData>>): Record<string, PlainData>;
  /** Edge admission of action kinds, by kind name (`ActionEdge`), guarded: a throw answers `internal`. */
  readonly edges: ReadonlyMap<string, ActionEdge>;
  /** Declares the plugins' event types on `bus` and subscribes their handlers for `world`; returns the unsubscribe. */
  attach(bus: EventBus, world: World): () => void;
}

export interface PluginWiringOptions {
  /** Absolute plugins directory (`PLUGINS_DIR`). */
  dir: string;
  /** The server's database (`storage`) and sessions (`sessions:read`, `sessions:write`). */
  db: Database;
  sessions: SessionStore;
  /** `PLUGIN_HOOK_TIMEOUT_MS`. */
  hookTimeoutMs: number;
  logger: Logger;
  faults: LogLimiter;
  /** The running worlds (`services.runtimes`, filled as rooms start), for `clients:send` and `worlds:read`. */
  runtimes: ReadonlyMap<string, WorldRuntime>;
  /** `DATA_DIR`, absolute. */
  dataDir: string;
  /** The server's metrics registry (`metrics:register`). */
  registry: Registry;
  /** The loaded world files; undefined until they load (after the plugins). */
  worlds: () => ReadonlyMap<string, WorldDef> | undefined;
}

/** What the capability factories collect while plugins load. */
interface Registrations {
  actions: ActionKind[];
  brains: Brain[];
  sections: Map<string, WorldSectionSchemas>;
  eventTypes: string[];
  subscriptions: SubscriptionSet;
  routes: RegisteredRoute[];
  schedules: ScheduledTask[];
  edges: Map<string, ActionEdge>;
  seeds: Array<{ pluginId: string; seed: (player: PlayerSeed) => PlainData | undefined }>;
}

/** Discovers and loads the plugins; throws the host's coded `plugin/*` errors (start-up stops). */
export async function loadServerPlugins(options: PluginWiringOptions): Promise<ServerPlugins> {
  const { plugins } = await discoverPlugins(options.dir);
  const registered: Registrations = { actions: [], brains: [], sections: new Map(), eventTypes: [], subscriptions: createSubscriptionSet(), routes: [], schedules: [], edges: new Map(), seeds: [] };
  const prefixes = new Map(plugins.map((p) => [p.manifest.id, p.manifest.prefix]));
  const costs = createPluginCosts();
  const guard = createGuard(options, costs);
  const host = await loadPlugins({ plugins, capabilities: { ...capabilityFactories(registered, guard, prefixes), ...serviceCapabilities(options, registered, guard) }, hookTimeoutMs: options.hookTimeoutMs, logger: options.logger, dataDir: options.dataDir });
  return {
    host,
    rules: createWorldRules({ actions: registered.actions, brains: registered.brains, schedules: registered.schedules }),
    extensions: { brains: new Set(registered.brains.map((b) => b.name)), sections: registered.sections },
    costs,
    routes: registered.routes,
    edges: registered.edges,
    initialActorState(player, stored) {
      const state: Record<string, PlainData> = {};
      for (const { pluginId, seed } of registered.seeds) {
        if (Object.hasOwn(stored, pluginId)) continue;
        try {
          const value = seed(player);
          if (value !== undefined) state[pluginId] = value;
        } catch (error) {
          options.faults.log("error", `plugin-fault:${pluginId}:initial-state`, { plugin: pluginId, world: player.worldId, err: error }, `plugin ${pluginId} failed to seed a joining player's state; the player joins without it`);
        }
      }
      return { ...state, ...stored };
    },
    attach: (bus, world) => attachSubscriptions(bus, world, registered, guard),
  };
}

function capabilityFactories(registered: Registrations, guard: Guard, prefixes: ReadonlyMap<string, string>): CapabilityFactories {
  // Names are checked as they are registered, so a clash stops the load naming the plugin.
  const probe = createEventBus();
  return {
    "actions:register": (pluginId, usage) => ({
      register(kind, edge) {
        if (registered.actions.some((k) => k.name === kind.name) || kind.name === "move") throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: action kind "${kind.name}" is registered already`);
        registered.actions.push(guard.kind(pluginId, kind as ActionKind));
        if (edge) registered.edges.set(kind.name, guard.edge(pluginId, kind.name, edge));
        usage.actionKinds.push(kind.name);
      },
    }),
    "ai:register": (pluginId) => ({
      register(brain) {
        if (registered.brains.some((b) => b.name === brain.name)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: AI kind "${brain.name}" is registered already`);
        registered.brains.push(guard.brain(pluginId, brain));
      },
    }),
    "events:subscribe": (pluginId, usage) => ({
      define(type) {
        probe.defineEventType(type);
        registered.eventTypes.push(type);
      },
      on(type, handler) {
        if (!probe.has(type)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: no event type "${type}" to subscribe to`);
        const subscription: Subscription = { pluginId, type, handler: handler as PluginEventHandler<never>, active: true };
        registered.subscriptions.list.push(subscription);
        usage.eventSubscriptions.push(type);
        return () => unsubscribe(registered.subscriptions, subscription);
      },
    }),
    "http:routes": (pluginId, usage) => {
      const add = (method: HttpMethod, path: string, full: string, handler: PluginRouteHandler, options: RouteOptions = {}): void => {
        if (!/^\/[A-Za-z0-9/:_.-]*$/.test(path)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: route path "${path}" must start with / and hold only A-Z a-z 0-9 / : _ . -`);
        const clash = registered.routes.find((r) => r.method === method && r.path === full);
        if (clash) throw new ArbiterError("plugin/duplicate-route", `plugin ${pluginId}: route ${method} ${full} is already served by plugin ${clash.pluginId}`);
        registered.routes.push({ pluginId, method, path: full, handler, admin: options.admin === true });
        usage.routes.push({ method, path: full });
      };
      const tail = (path: string): string => `${prefixes.get(pluginId)}${path === "/" ? "" : path}`;
      return {
        route: (method, path, handler, options) => add(method, path, `/api/${tail(path)}`, handler, options),
        npcRoute: (method, path, handler, options) => add(method, path, `/api/worlds/:worldId/npcs/:npcId/${tail(path)}`, handler, options),
        sessionRoute: (method, path, handler, options) => add(method, path, `/api/sessions/:sessionId/${tail(path)}`, handler, options),
      };
    },
    "world-state": (pluginId) => ({
      sections: (schemas) => void registered.sections.set(pluginId, schemas),
      getWorld: (world) => worldStateOf(world, pluginId),
      setWorld: (world, value, tick) => setWorldState(world, pluginId, value, tick?.undo),
      getActor: (actor) => actorStateOf(actor, pluginId),
      setActor: (world, actor, value, tick) => setActorState(world, actor, pluginId, value, tick?.undo),
      initialActor: (seed) => void registered.seeds.push({ pluginId, seed }),
    }),
  };
}

/** Capabilities over the server's services: storage, sessions, the scheduler. */
function serviceCapabilities(options: PluginWiringOptions, registered: Registrations, guard: Guard): CapabilityFactories {
  return {
    storage: (pluginId) => createPluginStorage(options.db, pluginId),
    "stats:write": () => ({ set: setStatsInTick, modify: modifyInTick, remove: removeModifiersInTick }),
    "sessions:read": () => ({ get: (sessionId) => options.sessions.get(sessionId) }),
    "sessions:write": () => ({ update: (sessionId, changes) => options.sessions.update(sessionId, changes) }),
    "metrics:register": (pluginId) => {
      const prefix = `arbiter_plugin_${pluginId.replaceAll("-", "_")}_`;
      const named = (name: string): string => {
        if (!/^[a-z0-9_]{1,64}$/.test(name)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: metric name "${name}" must be 1–64 of a-z 0-9 _`);
        if (options.registry.getSingleMetric(prefix + name)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: metric ${prefix + name} is registered already`);
        return prefix + name;
      };
      return {
        counter: (name, help, labelNames = []) => new Counter({ name: named(name), help, labelNames, registers: [options.registry] }),
        gauge: (name, help, labelNames = []) => new Gauge({ name: named(name), help, labelNames, registers: [options.registry] }),
      };
    },
    "clients:send": () => ({
      send: (worldId, actorId, type, message) => options.runtimes.get(worldId)?.sendTo(actorId, type, message) ?? false,
    }),
    "worlds:read": () => ({
      def: (worldId) => options.worlds()?.get(worldId),
      defs: () => [...(options.worlds()?.values() ?? [])],
      port: (worldId) => options.runtimes.get(worldId),
      reach: (worldId) => worldPortOf(options, worldId),
      world: (worldId) => options.runtimes.get(worldId)?.world,
      sessionOf: (worldId, actorId) => options.runtimes.get(worldId)?.sessionOf(actorId),
      sessionActor: (sessionId) => {
        for (const runtime of options.runtimes.values()) {
          const actor = runtime.world.byId.get(runtime.actorOf(sessionId) ?? "");
          if (actor !== undefined) return { world: runtime.world, actor };
        }
        return undefined;
      },
    }),
    "scheduler:register": (pluginId) => ({
      register(task) {
        if (registered.schedules.some((t) => t.name === task.name)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: scheduled task "${task.name}" is registered already`);
        const problem = checkTaskSchedule(task);
        if (problem !== undefined) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: scheduled task "${task.name}": ${problem}`);
        const guarded = guard.task(pluginId, task);
        registered.schedules.push(guarded.task);
        return guarded.stop;
      },
    }),
  };
}

/** Declares the plugins' event types on `bus` and puts one dispatcher for `world` on it (plugin-dispatch.ts). */
function attachSubscriptions(bus: EventBus, world: World, registered: Registrations, guard: Guard): () => void {
  for (const type of registered.eventTypes) if (!bus.has(type)) bus.defineEventType(type);
  const dispatcher = createWorldDispatcher(world, registered.subscriptions, guard.events);
  const off = bus.onTick(dispatcher.dispatch);
  return () => {
    off();
    dispatcher.detach();
  };
}
