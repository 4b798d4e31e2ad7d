import { describe, expect, it } from "vitest";
import { sendPush } from "../../src/core/broker.ts";
import { createTickContext } from "../../src/core/tick-context.ts";
import type { ActorAction, TickEvent } from "../../src/core/index.ts";
import { step, submitInput } from "../../src/core/index.ts";
import { asciiSimulation, checkInvariants, positionOf, positions, tickWith } from "../support/worlds.ts";

const M = { behaviours: ["Moveable" as const] };
const F = { behaviours: ["Frightened" as const] };
const A = { behaviours: ["Aggressive" as const] };

const movedIds = (events: TickEvent[]) => events.filter((e) => e.type === "moved").map((e) => e.actorId);

describe("rule 1: moves into floor, walls and the map's edge", () => {
  it("a move into a free floor cell succeeds", () => {
    const sim = asciiSimulation(["#####", "#p..#", "#####"], { p: M });
    const result = tickWith(sim, [["p", "E"]]);
    expect(positionOf(sim.world, "p")).toEqual([2, 1]);
    expect(result.events).toContainEqual({ type: "moved", actorId: "p", fromX: 1, fromY: 1, x: 2, y: 1 });
  });

  it("a move into a wall fails, with no message sent", () => {
    const sim = asciiSimulation(["#####", "#p..#", "#####"], { p: M });
    const result = tickWith(sim, [["p", "N"]]);
    expect(positionOf(sim.world, "p")).toEqual([1, 1]);
    expect(result.events).toEqual([{ type: "blocked", actorId: "p", reason: "wall", depth: 0 }]);
  });

  it("a move out of bounds fails, with no message sent", () => {
    const sim = asciiSimulation(["p..", "..."], { p: M });
    const result = tickWith(sim, [["p", "W"]]);
    expect(positionOf(sim.world, "p")).toEqual([0, 0]);
    expect(result.events).toEqual([{ type: "blocked", actorId: "p", reason: "out-of-bounds", depth: 0 }]);
  });
});

describe("rule 2 and 3: pushes and atomic chains", () => {
  it("a chain of 3 Moveables moves as one into a free cell", () => {
    const sim = asciiSimulation(["#########", "#pabc...#", "#########"], { p: M, a: M, b: M, c: M });
    const result = tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual({ a: [3, 1], b: [4, 1], c: [5, 1], p: [2, 1] });
    expect(movedIds(result.events)).toEqual(["c", "b", "a", "p"]);
    const pushes = result.events.filter((e) => e.type === "pushed");
    expect(pushes.map((e) => e.type === "pushed" && [e.actorId, e.targetId, e.depth])).toEqual([
      ["p", "a", 0],
      ["a", "b", 1],
      ["b", "c", 2],
    ]);
  });

  it("a chain that ends at a wall does not move at all", () => {
    const sim = asciiSimulation(["######", "#pabc#", "######"], { p: M, a: M, b: M, c: M });
    const before = positions(sim.world);
    const result = tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual(before);
    expect(movedIds(result.events)).toEqual([]);
    expect(result.events.at(-1)).toEqual({ type: "blocked", actorId: "p", reason: "wall", depth: 0 });
  });

  it("a line of 5 pushed actors moves when the cell after it is free", () => {
    const legend = { p: M, a: M, b: M, c: M, d: M, e: M };
    const sim = asciiSimulation(["##########", "#pabcde.##", "##########"], legend);
    tickWith(sim, [["p", "E"]]);
    expect(positionOf(sim.world, "p")).toEqual([2, 1]);
    expect(positionOf(sim.world, "e")).toEqual([7, 1]);
  });

  it("a line of 6 pushed actors is too deep: nothing moves and the sixth push is refused for depth", () => {
    const legend = { p: M, a: M, b: M, c: M, d: M, e: M, f: M };
    const sim = asciiSimulation(["###########", "#pabcdef.##", "###########"], legend);
    const before = positions(sim.world);
    const result = tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual(before);
    expect(result.events).toContainEqual({ type: "refused", actorId: "f", byId: "e", reason: "depth" });
    expect(result.events.at(-1)).toEqual({ type: "blocked", actorId: "p", reason: "depth", depth: 0 });
  });

  it("an Aggressive occupant refuses, records a retaliation, and the chain before it does not move", () => {
    const sim = asciiSimulation(["########", "#pax...#", "########"], { p: M, a: M, x: A });
    const before = positions(sim.world);
    const result = tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual(before);
    expect(result.events).toContainEqual({ type: "retaliated", actorId: "x", targetId: "a", damage: 6 });
    expect(result.events).toContainEqual({ type: "refused", actorId: "x", byId: "a", reason: "aggressive" });
  });

  it("an actor with no reactive behaviour is immovable, without retaliation", () => {
    const sim = asciiSimulation(["######", "#pr..#", "######"], { p: M, r: { behaviours: [] } });
    const result = tickWith(sim, [["p", "E"]]);
    expect(positionOf(sim.world, "p")).toEqual([1, 1]);
    expect(result.events).toContainEqual({ type: "refused", actorId: "r", byId: "p", reason: "immovable" });
    expect(result.events.some((e) => e.type === "retaliated")).toBe(false);
  });
});

describe("Frightened occupants", () => {
  it("step ahead when the cell ahead is free", () => {
    const sim = asciiSimulation(["######", "#pf..#", "######"], { p: M, f: F });
    tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual({ f: [3, 1], p: [2, 1] });
  });

  it("side-step to the left of the push direction when ahead is blocked", () => {
    const sim = asciiSimulation(["#####", "#...#", "#pf##", "#...#", "#####"], { p: M, f: F });
    tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual({ f: [2, 1], p: [2, 2] });
  });

  it("side-step right when ahead and left are blocked", () => {
    const sim = asciiSimulation(["#####", "###.#", "#pf##", "#...#", "#####"], { p: M, f: F });
    tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual({ f: [2, 3], p: [2, 2] });
  });

  it("never flee toward the pusher, and never push anyone: cornered, nothing moves", () => {
    const sim = asciiSimulation(["######", "#..a.#", "#.pfb#", "#..c.#", "######"], { a: M, b: M, c: M, f: F, p: M });
    const before = positions(sim.world);
    const result = tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual(before);
    expect(result.events).toContainEqual({ type: "blocked", actorId: "f", reason: "cornered", depth: 1 });
    expect(result.events.filter((e) => e.type === "pushed")).toHaveLength(1);
  });

  it("inside a chain, a fleeing actor lets the whole line behind it move", () => {
    const sim = asciiSimulation(["######", "#....#", "#paf##", "#....#", "######"], { p: M, a: M, f: F });
    tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual({ a: [3, 2], f: [3, 1], p: [2, 2] });
  });
});

describe("rule 4 and 5: one cell per tick, head-on moves, swaps and cycles", () => {
  it("the latest of several moves queued in one tick wins, and the actor moves one cell", () => {
    const sim = asciiSimulation(["#######", "#.p...#", "#######"], { p: M });
    tickWith(sim, [["p", "W"], ["p", "E"], ["p", "E"]]);
    expect(positionOf(sim.world, "p")).toEqual([3, 1]);
  });

  it("head-on: the actor earlier in pipeline order pushes the other back; the other's move is dropped", () => {
    const sim = asciiSimulation(["######", "#.ab.#", "######"], { a: M, b: M });
    const result = tickWith(sim, [["b", "W"], ["a", "E"]]);
    expect(positions(sim.world)).toEqual({ a: [3, 1], b: [4, 1] });
    expect(result.events).toContainEqual({ type: "blocked", actorId: "b", reason: "already-moved", depth: 0 });
  });

  it("head-on against a wall: nobody moves (the blocked first mover promises nothing)", () => {
    const sim = asciiSimulation(["####", "#ab#", "####"], { a: M, b: M });
    const result = tickWith(sim, [["a", "E"], ["b", "W"]]);
    expect(positions(sim.world)).toEqual({ a: [1, 1], b: [2, 1] });
    expect(result.events).toContainEqual({ type: "refused", actorId: "a", byId: "b", reason: "blocked" });
  });

  it("two actors into one free cell: the earlier one takes it, the later one is refused", () => {
    const sim = asciiSimulation(["#####", "#a.b#", "#####"], { a: M, b: M });
    const result = tickWith(sim, [["b", "W"], ["a", "E"]]);
    expect(positions(sim.world)).toEqual({ a: [2, 1], b: [3, 1] });
    expect(result.events).toContainEqual({ type: "refused", actorId: "a", byId: "b", reason: "already-moved" });
  });

  it("a rotation cycle does not rotate: actors act in order and push in their own direction", () => {
    const sim = asciiSimulation(["#####", "#ab.#", "#dc.#", "#####"], { a: M, b: M, c: M, d: M });
    tickWith(sim, [["a", "E"], ["b", "S"], ["c", "W"], ["d", "N"]]);
    expect(positions(sim.world)).toEqual({ a: [2, 1], b: [3, 1], c: [2, 2], d: [1, 1] });
  });

  it("higher initiative acts first, whatever the ids", () => {
    const sim = asciiSimulation(["#####", "#a.b#", "#####"], { a: M, b: { behaviours: ["Moveable"], initiative: 5 } });
    tickWith(sim, [["a", "E"], ["b", "W"]]);
    expect(positions(sim.world)).toEqual({ a: [1, 1], b: [2, 1] });
  });
});

describe("guards", () => {
  it("the broker sends at most one message per sender→receiver pair per tick", () => {
    const sim = asciiSimulation(["######", "#ab..#", "######"], { a: M, b: M });
    const ctx = createTickContext(sim.world);
    const a = sim.world.byId.get("a")!;
    const b = sim.world.byId.get("b")!;
    const action: ActorAction = { actor: a, kind: "move", behaviour: "Moveable", method: step, dir: "E", payload: { dir: "E" }, attempts: 1, depth: 0 };
    const first = sendPush(ctx, action, b);
    const second = sendPush(ctx, action, b);
    expect(first).toMatchObject({ receiver: { id: "b" }, reaction: { actor: { id: "b" }, dir: "E", depth: 1 } });
    expect(second).toBe("banned");
    const third = sendPush(ctx, { ...action, actor: b }, a);
    expect(third).toMatchObject({ receiver: { id: "a" }, reaction: { actor: { id: "a" }, dir: "E", depth: 1 } });
  });

  it("a blocked actor promises no reaction for the rest of the tick", () => {
    const sim = asciiSimulation(["######", "#ax#.#", "#b...#", "######"], { a: M, b: M, x: A });
    const result = tickWith(sim, [["a", "E"], ["b", "N"]]);
    expect(positions(sim.world)).toEqual({ a: [1, 1], b: [1, 2], x: [2, 1] });
    expect(result.events).toContainEqual({ type: "refused", actorId: "a", byId: "b", reason: "blocked" });
  });

  it("failed chains leave no trace: every actor is where it was and the next tick works normally", () => {
    const sim = asciiSimulation(["#######", "#pab#.#", "#.....#", "#######"], { p: M, a: M, b: M });
    tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual({ a: [2, 1], b: [3, 1], p: [1, 1] });
    tickWith(sim, [["b", "S"]]);
    tickWith(sim, [["p", "E"]]);
    expect(positions(sim.world)).toEqual({ a: [3, 1], b: [3, 2], p: [2, 1] });
    checkInvariants(sim.world);
  });
});

describe("player ids", () => {
  it("a join skips player ids already taken, so nobody is locked out", () => {
    const sim = asciiSimulation(["#####", "#SpS#", "#####"], { p: { id: "player-1", behaviours: ["Moveable"] } });
    const joined = submitInput(sim, { type: "join", actorId: "", name: "Ada" });
    expect(joined.ok && joined.value.id).toBe("player-2");
    expect(positionOf(sim.world, "player-2")).toEqual([1, 1]);
  });
});
