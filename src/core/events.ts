/**
 * The typed event bus (issue 9 §1; STYLE §11). Each tick's events reach subscribers through one
 * bus: `on(type, handler)` returns its own unsubscribe function (bitECS's pattern), and
 * `publish(result)` hands every event of a tick to the handlers of its type, in the order the
 * events happened, each type's handlers in the order they subscribed.
 *
 * Event types are a registered set, not a closed union: the core's (`moved`, `pushed`, `blocked`,
 * `refused`, `retaliated`, `stats`, `downed`, `respawned`) are always there, and a plugin declares
 * its own with `defineEventType` before anyone subscribes (its payload type by augmenting
 * {@link TickEventMap}). Subscribing to a type nobody declared is a start-up error, so a typo never
 * becomes a handler that silently never runs.
 *
 * A handler that throws does not stop the others: the bus catches it and calls `onError` with the
 * type, the event and the error (the server logs it); the tick's outcome is already decided.
 */
import type { Dir } from "./directions.ts";
import type { FailReason, TickResult } from "./types.ts";

/**
 * Payloads by event type: the core's, in the order a tick produces them. Plugins add theirs with
 * `declare module` augmentation of this interface (and `defineEventType` at run time).
 */
export interface TickEventMap {
  moved: { type: "moved"; actorId: string; fromX: number; fromY: number; x: number; y: number };
  pushed: { type: "pushed"; actorId: string; targetId: string; dir: Dir; depth: number };
  blocked: { type: "blocked"; actorId: string; reason: FailReason; depth: number };
  refused: { type: "refused"; actorId: string; byId: string; reason: FailReason };
  retaliated: { type: "retaliated"; actorId: string; targetId: string; damage: number };
  stats: { type: "stats"; actorId: string };
  downed: { type: "downed"; actorId: string; respawnAt: number };
  respawned: { type: "respawned"; actorId: string; x: number; y: number };
}

export type EventType = keyof TickEventMap & string;

/** A handler of `type`: the event, and the tick it happened in. */
export type EventHandler<K extends EventType> = (event: TickEventMap[K], tick: number) => void;

/** The core's event types, always declared. */
export const CORE_EVENT_TYPES: readonly EventType[] = ["moved", "pushed", "blocked", "refused", "retaliated", "stats", "downed", "respawned"];

export interface EventBus {
  /** Declares an event type (a plugin's). Throws if it is declared already or is not `a-z 0-9 - :`. */
  defineEventType(type: string): void;
  /** True when `type` is declared. */
  has(type: string): boolean;
  /** Subscribes; returns the unsubscribe function. Throws for an undeclared type. */
  on<K extends EventType>(type: K, handler: EventHandler<K>): () => void;
  /**
   * Subscribes to whole ticks: `handler` gets each published tick once, after the per-type
   * handlers ran (for a dispatcher of its own, such as a plugin's, timed once per tick). Returns
   * the unsubscribe function.
   */
  onTick(handler: (result: Pick<TickResult, "tick" | "events">) => void): () => void;
  /** Hands each of `result.events` to its type's handlers, in order, then the tick to `onTick` handlers. Never throws. */
  publish(result: Pick<TickResult, "tick" | "events">): void;
  /** Handlers subscribed now, by type (for `GET /api/plugins` and tests). */
  subscriptions(): Record<string, number>;
}

export interface EventBusOptions {
  /** Called for each handler that throws; the other handlers still run. */
  onError?: (failure: { type: string; event: unknown; tick: number; error: unknown }) => void;
}

const TYPE_NAME = /^[a-z0-9][a-z0-9:-]{0,63}$/;

export function createEventBus(options: EventBusOptions = {}): EventBus {
  type Handler = (event: unknown, tick: number) => void;
  type TickHandler = (result: Pick<TickResult, "tick" | "events">) => void;
  // Copy-on-write lists: subscribing or unsubscribing replaces a list, so publish iterates the one
  // it read without copying, and a handler that unsubscribes mid-publish skips nobody.
  const handlers = new Map<string, readonly Handler[]>(CORE_EVENT_TYPES.map((type) => [type, []]));
  let tickHandlers: readonly TickHandler[] = [];
  let perTypeCount = 0;
  const fail = (type: string, event: unknown, tick: number, error: unknown): void => options.onError?.({ type, event, tick, error });
  return {
    defineEventType(type) {
      if (!TYPE_NAME.test(type)) throw new Error(`event type "${type}": a name is 1–64 of a-z 0-9 - :`);
      if (handlers.has(type)) throw new Error(`event type "${type}" is declared twice`);
      handlers.set(type, []);
    },
    has: (type) => handlers.has(type),
    on(type, handler) {
      const list = handlers.get(type);
      if (!list) throw new Error(`no event type "${type}" (declared: ${[...handlers.keys()].join(", ")})`);
      const entry = handler as Handler;
      handlers.set(type, [...list, entry]);
      perTypeCount++;
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        handlers.set(type, handlers.get(type)!.filter((h) => h !== entry));
        perTypeCount--;
      };
    },
    onTick(handler) {
      tickHandlers = [...tickHandlers, handler];
      return () => {
        tickHandlers = tickHandlers.filter((h) => h !== handler);
      };
    },
    publish(result) {
      const { tick, events } = result;
      if (perTypeCount > 0) {
        for (let i = 0; i < events.length; i++) {
          const event = events[i]!;
          const list = handlers.get(event.type);
          if (list === undefined) continue;
          for (let j = 0; j < list.length; j++) {
            try {
              list[j]!(event, tick);
            } catch (error) {
              fail(event.type, event, tick, error);
            }
          }
        }
      }
      const ticks = tickHandlers;
      for (let j = 0; j < ticks.length; j++) {
        try {
          ticks[j]!(result);
        } catch (error) {
          fail("(tick)", undefined, tick, error);
        }
      }
    },
    subscriptions: () => Object.fromEntries([...handlers].filter(([, list]) => list.length > 0).map(([type, list]) => [type, list.length])),
  };
}
