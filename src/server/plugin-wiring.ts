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
import { performance } from "node:perf_hooks";
import type { WorldExtensions, WorldSectionSchemas } from "../content/world-extensions.ts";
import {
  actorStateOf,
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
  type Method,
  type ScheduledTask,
  type World,
  type WorldRules,
} from "../core/index.ts";
import { ArbiterError } from "../errors.ts";
import type { PluginEventHandler } from "../plugins/api.ts";
import type { CapabilityFactories } from "../plugins/context.ts";
import { discoverPlugins } from "../plugins/discover.ts";
import { loadPlugins, type PluginHost } from "../plugins/host.ts";
import type { LogLimiter } from "./log-limiter.ts";
import type { Logger } from "./logger.ts";
import type { Database } from "better-sqlite3";
import type { RegisteredRoute } from "./http/plugin-routes.ts";
import { createPluginStorage } from "./plugin-storage.ts";
import type { SessionStore } from "./session-store.ts";
import { createPluginCosts, type PluginCosts } from "./plugin-costs.ts";
import { createSubscriptionSet, createWorldDispatcher, unsubscribe, type DispatchGuard, type Subscription, type SubscriptionSet } from "./plugin-dispatch.ts";

export interface ServerPlugins {
  readonly host: PluginHost;
  readonly rules: WorldRules;
  readonly extensions: WorldExtensions;
  readonly costs: PluginCosts;
  /** Routes the plugins added (`http:routes`), mounted by the API router (http/plugin-routes.ts). */
  readonly routes: readonly RegisteredRoute[];
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
}

/** Discovers and loads the plugins; throws the host's coded `plugin/*` errors (start-up stops). */
export async function loadServerPlugins(options: PluginWiringOptions): Promise<ServerPlugins> {
  const { plugins } = await discoverPlugins(options.dir);
  const registered: Registrations = { actions: [], brains: [], sections: new Map(), eventTypes: [], subscriptions: createSubscriptionSet(), routes: [], schedules: [] };
  const prefixes = new Map(plugins.map((p) => [p.manifest.id, p.manifest.prefix]));
  const costs = createPluginCosts();
  const guard = createGuard(options, costs);
  const host = await loadPlugins({ plugins, capabilities: { ...capabilityFactories(registered, guard, prefixes), ...serviceCapabilities(options, registered, guard) }, hookTimeoutMs: options.hookTimeoutMs, logger: options.logger });
  return {
    host,
    rules: createWorldRules({ actions: registered.actions, brains: registered.brains, schedules: registered.schedules }),
    extensions: { brains: new Set(registered.brains.map((b) => b.name)), sections: registered.sections },
    costs,
    routes: registered.routes,
    attach: (bus, world) => attachSubscriptions(bus, world, registered, guard),
  };
}

function capabilityFactories(registered: Registrations, guard: Guard, prefixes: ReadonlyMap<string, string>): CapabilityFactories {
  // Names are checked as they are registered, so a clash stops the load naming the plugin.
  const probe = createEventBus();
  return {
    "actions:register": (pluginId, usage) => ({
      register(kind) {
        if (registered.actions.some((k) => k.name === kind.name) || kind.name === "move") throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: action kind "${kind.name}" is registered already`);
        registered.actions.push(guard.kind(pluginId, kind as ActionKind));
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
    "http:routes": (pluginId, usage) => ({
      route(method, path, handler) {
        if (!/^\/[A-Za-z0-9/:_.-]*$/.test(path)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: route path "${path}" must start with / and hold only A-Z a-z 0-9 / : _ . -`);
        const full = `/api/${prefixes.get(pluginId)}${path === "/" ? "" : path}`;
        const clash = registered.routes.find((r) => r.method === method && r.path === full);
        if (clash) throw new ArbiterError("plugin/duplicate-route", `plugin ${pluginId}: route ${method} ${full} is already served by plugin ${clash.pluginId}`);
        registered.routes.push({ pluginId, method, path: full, handler });
        usage.routes.push({ method, path: full });
      },
    }),
    "world-state": (pluginId) => ({
      sections: (schemas) => void registered.sections.set(pluginId, schemas),
      getWorld: (world) => worldStateOf(world, pluginId),
      setWorld: (world, value, tick) => setWorldState(world, pluginId, value, tick?.undo),
      getActor: (actor) => actorStateOf(actor, pluginId),
      setActor: (world, actor, value, tick) => setActorState(world, actor, pluginId, value, tick?.undo),
    }),
  };
}

/** Capabilities over the server's services: storage, sessions, the scheduler. */
function serviceCapabilities(options: PluginWiringOptions, registered: Registrations, guard: Guard): CapabilityFactories {
  return {
    storage: (pluginId) => createPluginStorage(options.db, pluginId),
    "stats:write": () => ({ set: setStatsInTick, modify: modifyInTick }),
    "sessions:read": () => ({ get: (sessionId) => options.sessions.get(sessionId) }),
    "sessions:write": () => ({ update: (sessionId, changes) => options.sessions.update(sessionId, changes) }),
    "scheduler:register": (pluginId) => ({
      register(task) {
        if (registered.schedules.some((t) => t.name === task.name)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: scheduled task "${task.name}" is registered already`);
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

interface Guard {
  kind(pluginId: string, kind: ActionKind): ActionKind;
  task(pluginId: string, task: ScheduledTask): { task: ScheduledTask; stop: () => void };
  brain(pluginId: string, brain: Brain): Brain;
  readonly events: DispatchGuard;
}

/** Wraps plugin code run inside the tick: timed per plugin, and a throw becomes a logged fault. */
function createGuard(options: PluginWiringOptions, costs: PluginCosts): Guard {
  const fault = (pluginId: string, fields: Record<string, unknown>, error: unknown, what: string) =>
    options.faults.log("error", `plugin-fault:${pluginId}:${what}`, { plugin: pluginId, ...fields, err: error }, `plugin ${pluginId} failed in ${what}; the world keeps ticking`);
  const timed = <T>(pluginId: string, run: () => T): T => {
    const started = performance.now();
    try {
      return run();
    } finally {
      costs.add(pluginId, performance.now() - started);
    }
  };
  return {
    kind(pluginId, kind) {
      const guardMethod = (method: Method): Method => (ctx, action) => {
        try {
          return timed(pluginId, () => method(ctx, action));
        } catch (error) {
          fault(pluginId, { world: ctx.world.id, tick: ctx.tick, action: action.kind, actor: action.actor.id }, error, `action ${action.kind}`);
          return "fault";
        }
      };
      return {
        ...kind,
        control(actor, payload) {
          const control = kind.control(actor, payload);
          return control.ok ? { ok: true, value: { ...control.value, method: guardMethod(control.value.method) } } : control;
        },
      };
    },
    events: {
      timed: (pluginId, pass) => timed(pluginId, pass),
      fault: (pluginId, world, tick, eventType, error) => fault(pluginId, { world: world.id, tick, event: eventType }, error, `event ${eventType}`),
    },
    task(pluginId, task) {
      let active = true;
      return {
        stop: () => void (active = false),
        task: {
          name: task.name,
          everyTicks: task.everyTicks,
          run(world, tick) {
            if (!active) return;
            try {
              timed(pluginId, () => task.run(world, tick));
            } catch (error) {
              fault(pluginId, { world: world.id, tick, task: task.name }, error, `task ${task.name}`);
            }
          },
        },
      };
    },
    brain(pluginId, brain) {
      return {
        name: brain.name,
        think(world, actor) {
          try {
            timed(pluginId, () => brain.think(world, actor));
          } catch (error) {
            fault(pluginId, { world: world.id, tick: world.tick + 1, ai: brain.name, actor: actor.id }, error, `AI ${brain.name}`);
          }
        },
      };
    },
  };
}
