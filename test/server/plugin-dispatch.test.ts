/**
 * The per-world dispatcher of plugins' event handlers (src/server/plugin-dispatch.ts): order, a
 * handler that throws losing its one call only, and unsubscribing mid-tick.
 */
import { describe, expect, it } from "vitest";
import { createWorld, type TickEvent } from "../../src/core/index.ts";
import { createSubscriptionSet, createWorldDispatcher, unsubscribe, type DispatchGuard, type Subscription } from "../../src/server/plugin-dispatch.ts";
import { defineAsciiWorld } from "../support/worlds.ts";

const world = createWorld(defineAsciiWorld(["###", "#a#", "###"], { a: { behaviours: ["Moveable"] } }));
const moved = (actorId: string): TickEvent => ({ type: "moved", actorId, fromX: 1, fromY: 1, x: 2, y: 1 });
const stats = (actorId: string): TickEvent => ({ type: "stats", actorId });

function setUp() {
  const set = createSubscriptionSet();
  const log: string[] = [];
  const faults: string[] = [];
  const timed: string[] = [];
  const guard: DispatchGuard = {
    timed(pluginId, pass) {
      timed.push(pluginId);
      pass();
    },
    fault: (pluginId, w, tick, type, error) => faults.push(`${pluginId} ${w.id} ${tick} ${type} ${(error as Error).message}`),
  };
  const on = (pluginId: string, type: string, handler: (event: TickEvent, tick: number) => void): Subscription => {
    const subscription: Subscription = { pluginId, type, handler: handler as Subscription["handler"], active: true };
    set.list.push(subscription);
    return subscription;
  };
  const dispatcher = createWorldDispatcher(world, set, guard);
  return { set, log, faults, timed, on, dispatcher };
}

describe("plugin dispatch", () => {
  it("runs each plugin's handlers over the tick's events in event order, plugins in load order, each plugin timed once", () => {
    const { log, timed, on, dispatcher } = setUp();
    on("p1", "moved", (e, tick) => log.push(`p1 moved ${e.actorId} @${tick}`));
    on("p2", "stats", (e) => log.push(`p2 stats ${e.actorId}`));
    on("p1", "stats", (e) => log.push(`p1 stats ${e.actorId}`));
    on("p2", "moved", (e) => log.push(`p2 moved ${e.actorId}`));
    on("p1", "moved", (e) => log.push(`p1 moved again ${e.actorId}`));
    dispatcher.dispatch({ tick: 7, events: [moved("a"), stats("b"), { type: "blocked", actorId: "c", reason: "wall", depth: 0 }, moved("d")] });
    expect(log).toEqual([
      "p1 moved a @7",
      "p1 moved again a",
      "p1 stats b",
      "p1 moved d @7",
      "p1 moved again d",
      "p2 moved a",
      "p2 stats b",
      "p2 moved d",
    ]);
    expect(timed).toEqual(["p1", "p2"]);
  });

  it("a handler that throws loses that one call: the plugin's next handler and next event still run, and the fault names it", () => {
    const { log, faults, on, dispatcher } = setUp();
    on("p1", "moved", (e) => {
      if (e.actorId === "a") throw new Error("boom");
      log.push(`first ${e.actorId}`);
    });
    on("p1", "moved", (e) => log.push(`second ${e.actorId}`));
    on("p2", "stats", (e) => {
      if (e.actorId === "s") throw new Error("bang");
      log.push(`p2 ${e.actorId}`);
    });
    dispatcher.dispatch({ tick: 3, events: [moved("a"), stats("s"), moved("b"), stats("t")] });
    expect(log).toEqual(["second a", "first b", "second b", "p2 t"]);
    expect(faults).toEqual([`p1 ${world.id} 3 moved boom`, `p2 ${world.id} 3 stats bang`]);
  });

  it("a handler that unsubscribes itself or another hears nothing more, in this tick either; the table is rebuilt for the next", () => {
    const { set, log, on, dispatcher } = setUp();
    let other: Subscription | undefined;
    const self: Subscription = on("p1", "moved", (e) => {
      log.push(`self ${e.actorId}`);
      unsubscribe(set, self);
      unsubscribe(set, other!);
    });
    other = on("p1", "moved", (e) => log.push(`other ${e.actorId}`));
    on("p1", "stats", (e) => log.push(`stats ${e.actorId}`));
    dispatcher.dispatch({ tick: 1, events: [moved("a"), moved("b"), stats("c")] });
    dispatcher.dispatch({ tick: 2, events: [moved("d"), stats("e")] });
    expect(log).toEqual(["self a", "stats c", "stats e"]);
    expect(set.version).toBe(2);
  });

  it("a detached dispatcher is no longer silenced, and one with no plugin does nothing", () => {
    const { set, timed, dispatcher } = setUp();
    dispatcher.dispatch({ tick: 1, events: [moved("a")] });
    expect(timed).toEqual([]);
    expect(set.live.size).toBe(1);
    dispatcher.detach();
    expect(set.live.size).toBe(0);
  });
});
