/**
 * The server's plugin wiring without a room: a plugin's unsubscribe reaches every world's
 * dispatcher, and a plugin over its time budget for a second of ticks is reported once per second.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RoomInstruments } from "../../rooms/room-metrics.ts";
import { createEventBus, createWorld, type TickEvent } from "../../src/core/index.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { loadStandalonePlugins } from "../../src/server/standalone-plugins.ts";
import { heard } from "../fixtures/plugins/quitter/quitter/index.ts";
import { defineAsciiWorld } from "../support/worlds.ts";

const QUITTER = fileURLToPath(new URL("../fixtures/plugins/quitter", import.meta.url));
const moved = (actorId: string): TickEvent => ({ type: "moved", actorId, fromX: 1, fromY: 1, x: 2, y: 1 });

describe("plugin wiring", () => {
  it("a handler that unsubscribes hears nothing more, in any world", async () => {
    const { plugins, close } = await loadStandalonePlugins(QUITTER, 1000);
    const world = createWorld(defineAsciiWorld(["####", "#a.#", "####"], { a: { behaviours: ["Moveable"] } }));
    const [one, two] = [createEventBus(), createEventBus()];
    plugins.attach(one, world);
    plugins.attach(two, world);
    one.publish({ tick: 1, events: [moved("a"), moved("a")] });
    two.publish({ tick: 1, events: [moved("a")] });
    one.publish({ tick: 2, events: [moved("a")] });
    expect(heard.moved).toBe(1);
    await close();
  });

  it("a plugin over its budget for tickRate ticks in a row is reported once per such second", () => {
    const instruments = new RoomInstruments(createMetrics(), "w");
    const budgets = new Map([["slow", 2], ["fast", 2]]);
    const tick = (slowMs: number) => instruments.observePlugins(new Map([["slow", slowMs], ["fast", 0.1]]), budgets, 3);
    expect([tick(3), tick(3), tick(3), tick(3), tick(3), tick(3)]).toEqual([[], [], ["slow"], [], [], ["slow"]]);
    expect([tick(3), tick(1), tick(3), tick(3)]).toEqual([[], [], [], []]);
    expect(instruments.topPlugin()).toMatch(/^slow \(\d+\.\d{3} ms\)$/);
  });
});
