/**
 * How plugins' event handlers hear a world's ticks (issue 9 §3; its benchmark bounds the cost at
 * 10% of the 10k-actor core tick with 3 no-op plugins on every event type).
 *
 * One dispatcher per world, subscribed to the world's bus with `onTick`. Per tick it reads each
 * event's type once, as a small integer shared by every plugin, then runs the plugins in load
 * order: each plugin's handlers get the tick's events in event order (each type's handlers in the
 * order they subscribed), and the plugin's whole pass is timed once (a timer per call would cost
 * more than a no-op handler). A handler that throws is logged through `fault` and the pass resumes
 * at the next handler, so one bad handler loses that one call only.
 *
 * Unsubscribing bumps `SubscriptionSet.version` (tables are rebuilt at the next tick) and calls
 * `silence` on every live dispatcher, which replaces the handler in the tables it is iterating, so a
 * handler that unsubscribes hears nothing more, in this tick either, with no check per call.
 */
import type { TickEvent, World } from "../core/index.ts";
import type { PluginEventHandler } from "../plugins/api.ts";

/** One `ctx.events.on` of one plugin. */
export interface Subscription {
  readonly pluginId: string;
  readonly type: string;
  readonly handler: PluginEventHandler<never>;
  active: boolean;
}

/** Every plugin's subscriptions, in registration order (plugins load in dependency order). */
export interface SubscriptionSet {
  readonly list: Subscription[];
  /** Bumped whenever a subscription ends, so dispatchers rebuild their tables. */
  version: number;
  /** Dispatchers attached to a world now. */
  readonly live: Set<WorldDispatcher>;
}

export interface WorldDispatcher {
  /** The bus's `onTick` handler. */
  readonly dispatch: (result: { tick: number; events: readonly TickEvent[] }) => void;
  /** Stops `subscription`'s handler at once, mid-tick included. */
  silence(subscription: Subscription): void;
}

export interface DispatchGuard {
  /** Runs `pass`, adding its time to `pluginId`'s cost. */
  timed(pluginId: string, pass: () => void): void;
  /** Logs a handler that threw (the plugin, world, tick and event type). */
  fault(pluginId: string, world: World, tick: number, eventType: string, error: unknown): void;
}

type Handler = (event: TickEvent, tick: number, world: World) => void;

interface PluginTable {
  readonly pluginId: string;
  /**
   * One function per type id: the plugin's only handler of that type, or one that calls its several
   * handlers in subscription order (each guarded, so one that throws does not skip the next), or
   * NOOP. The last id stands for types this world's plugins did not subscribe to.
   */
  readonly byType: Handler[];
  /** The handlers behind each entry, by type id, parallel to `subscriptions`. */
  readonly lists: Handler[][];
  readonly subscriptions: Subscription[][];
}

const NOOP: Handler = () => undefined;

export function createSubscriptionSet(): SubscriptionSet {
  return { list: [], version: 0, live: new Set() };
}

/** Ends `subscription` everywhere; a no-op when it ended already. */
export function unsubscribe(set: SubscriptionSet, subscription: Subscription): void {
  if (!subscription.active) return;
  subscription.active = false;
  set.version++;
  for (const dispatcher of set.live) dispatcher.silence(subscription);
}

/** A dispatcher for `world`, registered in `set.live` until the returned `detach` runs. */
export function createWorldDispatcher(world: World, set: SubscriptionSet, guard: DispatchGuard): WorldDispatcher & { detach(): void } {
  // Type names by id, in first-subscription order: a scan comparing interned strings beats a Map
  // or object lookup for the handful of types a world has (the core has 8).
  let typeNames: string[] = [];
  let plugins: PluginTable[] = [];
  let built = -1;
  let ids = new Int32Array(1024);

  const rebuild = (): void => {
    const active = set.list.filter((s) => s.active);
    typeNames = [...new Set(active.map((s) => s.type))];
    const byPlugin = new Map<string, Subscription[][]>();
    for (const s of active) {
      let subscriptions = byPlugin.get(s.pluginId);
      if (subscriptions === undefined) byPlugin.set(s.pluginId, (subscriptions = Array.from({ length: typeNames.length + 1 }, () => [])));
      subscriptions[typeNames.indexOf(s.type)]!.push(s);
    }
    plugins = [...byPlugin].map(([pluginId, subscriptions]) => {
      const lists = subscriptions.map((list) => list.map((s) => s.handler as Handler));
      const byType = lists.map((handlers, id): Handler => {
        if (handlers.length === 0) return NOOP;
        if (handlers.length === 1) return handlers[0]!;
        return (event, tick, w) => {
          for (let j = 0; j < handlers.length; j++) {
            try {
              handlers[j]!(event, tick, w);
            } catch (error) {
              guard.fault(pluginId, w, tick, typeNames[id]!, error);
            }
          }
        };
      });
      return { pluginId, byType, lists, subscriptions };
    });
    built = set.version;
  };

  /** Runs `table`'s handlers from event `from` on; returns the event whose handler threw, and the error. */
  const pass = (table: PluginTable, events: readonly TickEvent[], tick: number, from: number): [number, unknown] | undefined => {
    const byType = table.byType;
    const typeIds = ids; // a local: the loop below reads no closure slot
    let i = from;
    try {
      for (; i < events.length; i++) byType[typeIds[i]!]!(events[i]!, tick, world);
      return undefined;
    } catch (error) {
      return [i, error];
    }
  };

  const runPlugin = (table: PluginTable, events: readonly TickEvent[], tick: number): void => {
    for (let failed = pass(table, events, tick, 0); failed; ) {
      const [at, error] = failed;
      guard.fault(table.pluginId, world, tick, events[at]!.type, error);
      failed = pass(table, events, tick, at + 1);
    }
  };

  const dispatcher: WorldDispatcher & { detach(): void } = {
    dispatch({ tick, events }) {
      if (built !== set.version) rebuild();
      if (plugins.length === 0 || events.length === 0) return;
      if (ids.length < events.length) ids = new Int32Array(events.length * 2);
      const names = typeNames;
      const typeIds = ids;
      for (let i = 0; i < events.length; i++) {
        const type = events[i]!.type;
        let id = 0;
        while (id < names.length && names[id] !== type) id++;
        typeIds[i] = id;
      }
      for (const table of plugins) guard.timed(table.pluginId, () => runPlugin(table, events, tick));
    },
    silence(subscription) {
      const id = typeNames.indexOf(subscription.type);
      if (id < 0) return;
      for (const table of plugins) {
        if (table.pluginId !== subscription.pluginId) continue;
        const at = table.subscriptions[id]!.indexOf(subscription);
        if (at < 0) continue;
        if (table.lists[id]!.length === 1) table.byType[id] = NOOP;
        else table.lists[id]![at] = NOOP;
      }
    },
    detach() {
      set.live.delete(dispatcher);
    },
  };
  set.live.add(dispatcher);
  return dispatcher;
}
