/**
 * Plugin-owned state in the core (issue 9 §1): part of the snapshot, the state hash and the journal,
 * rolled back with a failed chain, and a registered action kind that writes it inside the tick.
 */
import { describe, expect, it } from "vitest";
import {
  actorStateOf,
  createSimulation,
  createWorld,
  createWorldRules,
  hashWorld,
  journalEntries,
  replayJournal,
  restoreWorld,
  setActorState,
  setWorldState,
  snapshotWorld,
  stepSimulation,
  submitInput,
  worldStateOf,
  DIRECTIONS,
  type WorldRules,
  type Input,
  type PlainData,
} from "../../src/core/index.ts";
import { z } from "zod";
import fc from "fast-check";
import { hashStateMap } from "../../src/core/plugin-state.ts";
import { createUndoLog, rollbackTo } from "../../src/core/undo-log.ts";
import { checkInvariants, defineAsciiWorld, positions, stepAfter } from "../support/worlds.ts";

const M = { behaviours: ["Moveable" as const] };

/**
 * A test kind: `mark-step { dir }` counts the actor's tries in its plugin state, then steps. The
 * count is written inside the tick through the undo log, so a failed chain leaves it as it was.
 */
const markStep = stepAfter("mark-step", z.object({ dir: z.enum(DIRECTIONS) }), (ctx, action) => {
  const tries = (actorStateOf(action.actor, "marker") as { tries: number } | undefined)?.tries ?? 0;
  setActorState(ctx.world, action.actor, "marker", { tries: tries + 1 }, ctx.undo);
  return undefined;
});

const withMarker = (): WorldRules => createWorldRules({ actions: [markStep] });
const mark = (actorId: string, dir: "N" | "E" | "S" | "W"): Input => ({ type: "act", actorId, kind: "mark-step", payload: { dir } });

describe("plugin state in the world", () => {
  it("is part of the hash; a world without plugin state hashes as it did before plugins", () => {
    const def = defineAsciiWorld(["#####", "#a..#", "#####"], { a: M });
    const plain = createWorld(def);
    const before = hashWorld(plain);
    const stateful = createWorld(def);
    setWorldState(stateful, "quests", { open: ["q1"] });
    expect(hashWorld(stateful)).not.toBe(before);
    setWorldState(stateful, "quests", undefined);
    expect(hashWorld(stateful)).toBe(before);
    setActorState(stateful, stateful.byId.get("a")!, "inventory", { items: ["key"] });
    expect(hashWorld(stateful)).not.toBe(before);
    setActorState(stateful, stateful.byId.get("a")!, "inventory", undefined);
    expect(hashWorld(stateful)).toBe(before);
  });

  it("equal data gives equal hashes whatever the key order", () => {
    const def = defineAsciiWorld(["#####", "#a..#", "#####"], { a: M });
    const one = createWorld(def);
    const two = createWorld(def);
    setWorldState(one, "p", { x: 1, y: [1, 2, { z: "q", a: null }] });
    setWorldState(two, "p", { y: [1, 2, { a: null, z: "q" }], x: 1 });
    expect(hashWorld(one)).toBe(hashWorld(two));
  });

  it("a value read back and spread into a new one shares its unchanged parts; the hash follows every change", () => {
    const world = createWorld(defineAsciiWorld(["#####", "#a..#", "#####"], { a: M }));
    const a = world.byId.get("a")!;
    setActorState(world, a, "inv", { gold: 1, bag: { key: 1, coin: [1, 2] } });
    const first = actorStateOf(a, "inv") as { gold: number; bag: PlainData };
    const h1 = hashWorld(world);
    setActorState(world, a, "inv", { ...first, gold: 2 });
    const second = actorStateOf(a, "inv") as { gold: number; bag: PlainData };
    expect(second.bag).toBe(first.bag);
    expect(Object.keys(second)).toEqual(["gold", "bag"]);
    const h2 = hashWorld(world);
    expect(h2).not.toBe(h1);
    setActorState(world, a, "inv", { ...second, gold: 1 });
    expect(hashWorld(world)).toBe(h1);
    // A copy made outside, equal in data, hashes the same as the shared one.
    setActorState(world, a, "inv", JSON.parse(JSON.stringify({ bag: { coin: [1, 2], key: 1 }, gold: 2 })));
    expect(hashWorld(world)).toBe(h2);
  });

  it("the hash kept through any writes and rollbacks is the hash of the content written from scratch (property)", () => {
    const def = defineAsciiWorld(["#####", "#a..#", "#####"], { a: M });
    const leaf = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("x", "y", 0.5, true, null));
    const value = fc.letrec<{ v: PlainData }>((tie) => ({
      v: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("a", "b", "c", "npc:1"), tie("v"), { maxKeys: 3, noNullPrototype: true })),
    })).v;
    // A write: replace a plugin's value, spread the stored one with one key changed (shared parts), delete it; optionally rolled back.
    const write = fc.record({ plugin: fc.constantFrom("p", "q"), how: fc.constantFrom("replace", "spread", "delete"), key: fc.constantFrom("a", "b"), value, rollback: fc.boolean() });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 12 }), (writes) => {
        const world = createWorld(def);
        const a = world.byId.get("a")!;
        for (const w of writes) {
          const undo = createUndoLog();
          const stored = actorStateOf(a, w.plugin);
          const next = w.how === "delete" ? undefined : w.how === "spread" && stored !== null && typeof stored === "object" && !Array.isArray(stored) ? { ...stored, [w.key]: w.value } : w.value;
          setActorState(world, a, w.plugin, next, undo);
          setWorldState(world, w.plugin, next, undo);
          if (w.rollback) rollbackTo(undo, world, 0);
        }
        const fresh = createWorld(def);
        for (const [id, v] of a.pluginState ?? []) setActorState(fresh, fresh.byId.get("a")!, id, JSON.parse(JSON.stringify(v)));
        for (const [id, v] of world.pluginState) setWorldState(fresh, id, JSON.parse(JSON.stringify(v)));
        expect(hashWorld(world)).toBe(hashWorld(fresh));
        expect(hashStateMap(a.pluginState ?? new Map())).toBe(fresh.byId.get("a")!.pluginHash);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it("writes are hashed when the state hash is taken: many writes in a row give the hash of the last", () => {
    const def = defineAsciiWorld(["#####", "#a..#", "#####"], { a: M });
    const many = createWorld(def);
    for (let i = 0; i <= 10; i++) setActorState(many, many.byId.get("a")!, "count", { i });
    const once = createWorld(def);
    setActorState(once, once.byId.get("a")!, "count", { i: 10 });
    expect(hashWorld(many)).toBe(hashWorld(once));
  });

  it("survives a snapshot round trip through JSON, hash included", () => {
    const def = defineAsciiWorld(["#####", "#a..#", "#####"], { a: M });
    const world = createWorld(def);
    setWorldState(world, "clock", { minute: 42 });
    setActorState(world, world.byId.get("a")!, "inventory", { items: ["key", "coin"], gold: 3 });
    const snapshot = JSON.parse(JSON.stringify(snapshotWorld(world)));
    expect(snapshot.plugins).toEqual({ clock: { minute: 42 } });
    expect(snapshot.actors[0].plugins).toEqual({ inventory: { items: ["key", "coin"], gold: 3 } });
    const restored = restoreWorld(def, snapshot);
    expect(restored.ok).toBe(true);
    if (!restored.ok) return;
    expect(hashWorld(restored.value)).toBe(hashWorld(world));
    expect(worldStateOf(restored.value, "clock")).toEqual({ minute: 42 });
    expect(actorStateOf(restored.value.byId.get("a")!, "inventory")).toEqual({ items: ["key", "coin"], gold: 3 });
  });

  it("stored values are frozen copies, and anything but plain data is refused naming where", () => {
    const world = createWorld(defineAsciiWorld(["#####", "#a..#", "#####"], { a: M }));
    const written = { items: ["key"] };
    setWorldState(world, "inv", written);
    written.items.push("stolen");
    expect(worldStateOf(world, "inv")).toEqual({ items: ["key"] });
    expect(() => (worldStateOf(world, "inv") as { items: string[] }).items.push("x")).toThrow(TypeError);
    expect(() => setWorldState(world, "inv", { bad: Number.NaN })).toThrow("inv.bad: NaN is not plain data");
    expect(() => setWorldState(world, "inv", { list: [1, () => 2] } as never)).toThrow("inv.list[1]: a function is not plain data");
    expect(() => setWorldState(world, "inv", { when: new Date(0) } as never)).toThrow("inv.when: a Date is not plain data");
    expect(() => setWorldState(world, "inv", { items: ["key"], gone: undefined } as never)).toThrow("inv.gone: a undefined is not plain data");
    expect(() => setWorldState(world, "inv", [undefined] as never)).toThrow("inv[0]: a undefined is not plain data");
    expect(worldStateOf(world, "inv")).toEqual({ items: ["key"] });
  });

  it("a set-state input is journaled; changing plugin state on one side of a replay diverges at that tick", () => {
    const def = defineAsciiWorld(["#######", "#a....#", "#######"], { a: M });
    const sim = createSimulation(createWorld(def));
    const start = snapshotWorld(sim.world);
    for (let t = 1; t <= 6; t++) {
      if (t === 2) expect(submitInput(sim, { type: "set-state", pluginId: "clock", value: { minute: t } }).ok).toBe(true);
      submitInput(sim, { type: "act", actorId: "a", kind: "move", payload: { dir: "E" } });
      stepSimulation(sim);
    }
    const journal = journalEntries(sim.journal);
    expect(journal[1]!.inputs[0]).toEqual({ type: "set-state", pluginId: "clock", value: { minute: 2 } });

    const restored = restoreWorld(def, start);
    if (!restored.ok) throw new Error(restored.message);
    const faithful = createSimulation(restored.value);
    expect(replayJournal(faithful, journal)).toEqual({ replayed: 6, divergences: [] });

    // The other side changes the plugin's state before tick 4 runs: ticks 1–3 agree, tick 4 does not.
    const tampered = createSimulation(createWorld(def));
    const report = replayJournal(tampered, journal.slice(0, 3));
    expect(report.divergences).toEqual([]);
    setWorldState(tampered.world, "clock", { minute: 99 });
    const rest = replayJournal(tampered, journal.slice(3));
    expect(rest.divergences[0]).toMatch(/^tick 4: hash [0-9a-f]{16}, journal says [0-9a-f]{16}$/);
  });
});

describe("rollback covers plugin state", () => {
  it("a failed chain rolls back the state written while resolving it; a successful one keeps it", () => {
    const def = defineAsciiWorld(["######", "#ab#.#", "#c...#", "######"], { a: M, b: M, c: M });
    const sim = createSimulation(createWorld(def, withMarker()));
    // a → b → wall: the chain fails, a is rolled back, and so is a's marker.
    expect(submitInput(sim, mark("a", "E")).ok).toBe(true);
    // c → free floor: succeeds and keeps its marker.
    expect(submitInput(sim, mark("c", "E")).ok).toBe(true);
    const result = stepSimulation(sim);
    checkInvariants(sim.world);
    expect(positions(sim.world)).toEqual({ a: [1, 1], b: [2, 1], c: [2, 2] });
    expect(actorStateOf(sim.world.byId.get("a")!, "marker")).toBeUndefined();
    expect(actorStateOf(sim.world.byId.get("c")!, "marker")).toEqual({ tries: 1 });
    expect(result.events.filter((e) => e.type === "blocked").map((e) => e.actorId)).toEqual(["b", "a"]);
  });

  it("latest wins per actor and per kind: one move and one mark-step both run, a second move replaces the first", () => {
    const def = defineAsciiWorld(["#######", "#a....#", "#.....#", "#######"], { a: M });
    const sim = createSimulation(createWorld(def, withMarker()));
    submitInput(sim, { type: "act", actorId: "a", kind: "move", payload: { dir: "S" } });
    submitInput(sim, mark("a", "E"));
    submitInput(sim, { type: "act", actorId: "a", kind: "move", payload: { dir: "E" } });
    const queued = sim.world.byId.get("a")!.queue!.map((action) => `${action.kind} ${action.dir}`);
    expect(queued).toEqual(["mark-step E", "move E"]);
    stepSimulation(sim);
    // mark-step moved a east; the move then fails (one cell per tick), and the marker stays.
    expect(positions(sim.world)).toEqual({ a: [2, 1] });
    expect(actorStateOf(sim.world.byId.get("a")!, "marker")).toEqual({ tries: 1 });
  });

  it("an action kind the world was not given is refused, changing nothing", () => {
    const sim = createSimulation(createWorld(defineAsciiWorld(["####", "#a.#", "####"], { a: M })));
    const before = hashWorld(sim.world);
    expect(submitInput(sim, mark("a", "E"))).toEqual({ ok: false, code: "command/unknown-type", message: 'world test has no action kind "mark-step"' });
    expect(sim.pending).toEqual([]);
    expect(hashWorld(sim.world)).toBe(before);
  });
});
