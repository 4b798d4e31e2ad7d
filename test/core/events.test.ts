/** The typed event bus (issue 9 §1): subscribe, unsubscribe, declared types only, order, faults. */
import { describe, expect, it } from "vitest";
import { createEventBus, createSimulation, createWorld, stepSimulation, submitInput, type TickEvent } from "../../src/core/index.ts";
import { defineAsciiWorld } from "../support/worlds.ts";
import { TEST_RULES } from "../support/worlds.ts";

declare module "../../src/core/events.ts" {
  interface TickEventMap {
    "test:rang": { type: "test:rang"; actorId: string; times: number };
  }
}

const moved = (actorId: string, x: number): TickEvent => ({ type: "moved", actorId, fromX: x - 1, fromY: 1, x, y: 1 });

describe("event bus", () => {
  it("hands each event to its type's handlers in event order; on() returns its own unsubscribe", () => {
    const bus = createEventBus();
    const seen: string[] = [];
    const off = bus.on("moved", (e, tick) => seen.push(`moved ${e.actorId} → ${e.x} @${tick}`));
    bus.on("pushed", (e) => seen.push(`pushed ${e.targetId}`));
    bus.publish({ tick: 3, events: [moved("a", 2), { type: "pushed", actorId: "a", targetId: "b", dir: "E", depth: 0 }, moved("b", 3)] });
    expect(seen).toEqual(["moved a → 2 @3", "pushed b", "moved b → 3 @3"]);
    off();
    off();
    bus.publish({ tick: 4, events: [moved("a", 3)] });
    expect(seen).toHaveLength(3);
    expect(bus.subscriptions()).toEqual({ pushed: 1 });
  });

  it("subscribing to an undeclared type is an error; a declared plugin type works like the core's", () => {
    const bus = createEventBus();
    expect(() => bus.on("test:rang", () => {})).toThrow(/no event type "test:rang"/);
    bus.defineEventType("test:rang");
    expect(() => bus.defineEventType("test:rang")).toThrow('event type "test:rang" is declared twice');
    expect(() => bus.defineEventType("Bad Name")).toThrow(/a name is 1–64/);
    const rings: number[] = [];
    bus.on("test:rang", (e) => rings.push(e.times));
    bus.publish({ tick: 1, events: [{ type: "test:rang", actorId: "bell", times: 3 }] });
    expect(rings).toEqual([3]);
  });

  it("a throwing handler is reported and the other handlers still run", () => {
    const failures: Array<{ type: string; tick: number; error: unknown }> = [];
    const bus = createEventBus({ onError: ({ type, tick, error }) => failures.push({ type, tick, error }) });
    const seen: string[] = [];
    bus.on("moved", () => {
      throw new Error("boom");
    });
    bus.on("moved", (e) => seen.push(e.actorId));
    bus.publish({ tick: 9, events: [moved("a", 2), moved("b", 2)] });
    expect(seen).toEqual(["a", "b"]);
    expect(failures.map((f) => `${f.type}@${f.tick}: ${(f.error as Error).message}`)).toEqual(["moved@9: boom", "moved@9: boom"]);
  });

  it("onTick handlers get each published tick once, after the per-type handlers", () => {
    const bus = createEventBus();
    const seen: string[] = [];
    bus.on("moved", (e) => seen.push(`moved ${e.actorId}`));
    const off = bus.onTick(({ tick, events }) => seen.push(`tick ${tick}: ${events.length} events`));
    bus.publish({ tick: 2, events: [moved("a", 2), moved("b", 2)] });
    off();
    bus.publish({ tick: 3, events: [moved("a", 3)] });
    expect(seen).toEqual(["moved a", "moved b", "tick 2: 2 events", "moved a"]);
  });

  it("a handler that unsubscribes during publish does not skip the next handler", () => {
    const bus = createEventBus();
    const seen: string[] = [];
    const off = bus.on("moved", () => {
      seen.push("first");
      off();
    });
    bus.on("moved", () => seen.push("second"));
    bus.publish({ tick: 1, events: [moved("a", 2), moved("a", 3)] });
    expect(seen).toEqual(["first", "second", "second"]);
  });

  it("carries a real tick's events from the pipeline", () => {
    const sim = createSimulation(createWorld(defineAsciiWorld(["#####", "#ab.#", "#####"], { a: { behaviours: ["Moveable"] }, b: { behaviours: ["Moveable"] } }), TEST_RULES));
    const bus = createEventBus();
    const seen: string[] = [];
    bus.on("pushed", (e) => seen.push(`${e.actorId} pushed ${e.targetId} ${e.dir}`));
    bus.on("moved", (e) => seen.push(`${e.actorId} [${e.fromX},${e.fromY}]→[${e.x},${e.y}]`));
    submitInput(sim, { type: "act", actorId: "a", kind: "move", payload: { dir: "E" } });
    bus.publish(stepSimulation(sim));
    expect(seen).toEqual(["a pushed b E", "b [2,1]→[3,1]", "a [1,1]→[2,1]"]);
  });
});
