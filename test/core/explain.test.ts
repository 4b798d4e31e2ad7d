import { describe, expect, it } from "vitest";
import { createSimulation, createWorld, explainMoves, GUARDS, stepSimulation, submitInput, traceRootActions, type Dir, type MoveExplanation, type RootAction, type Simulation } from "../../src/core/index.ts";
import { checkInvariants, defineAsciiWorld, TEST_RULES, type LegendEntry } from "../support/worlds.ts";

const M: LegendEntry = { behaviours: ["Moveable"] };
const F: LegendEntry = { behaviours: ["Frightened"] };
const A: LegendEntry = { behaviours: ["Aggressive"] };

/** A simulation whose rules are traced, and a tick runner that explains one actor's moves. */
function tracedSimulation(rows: string[], legend: Record<string, LegendEntry>) {
  let roots: RootAction[] = [];
  const sim: Simulation = createSimulation(createWorld(defineAsciiWorld(rows, legend), traceRootActions(TEST_RULES, (root) => roots.push(root))));
  return {
    sim,
    /** Queues `moves`, runs a tick, and explains `actorId`'s moves in it. */
    explain(moves: Array<[string, Dir]>, actorId: string): MoveExplanation[] {
      for (const [id, dir] of moves) expect(submitInput(sim, { type: "act", actorId: id, kind: "move", payload: { dir } }).ok).toBe(true);
      const result = stepSimulation(sim);
      checkInvariants(sim.world);
      const explained = explainMoves(result.tick, result.events, roots, result.inputs, actorId);
      roots = [];
      return explained;
    },
  };
}

describe("explainMoves", () => {
  it("a push chain that ends at a wall: every push, every rollback, and the wall two deep", () => {
    const { explain } = tracedSimulation(["######", "#pab##", "######"], { p: M, a: M, b: M });
    expect(explain([["p", "E"]], "p")).toEqual([
      {
        tick: 1,
        dir: "E",
        source: "input",
        succeeded: false,
        moved: null,
        reason: "wall",
        stoppedBy: { actorId: "b", refusedId: null, reason: "wall", depth: 2, guard: GUARDS.wall },
        chain: [
          { type: "pushed", actorId: "p", targetId: "a", dir: "E", depth: 0 },
          { type: "pushed", actorId: "a", targetId: "b", dir: "E", depth: 1 },
          { type: "blocked", actorId: "b", reason: "wall", depth: 2 },
          { type: "blocked", actorId: "a", reason: "wall", depth: 1 },
          { type: "blocked", actorId: "p", reason: "wall", depth: 0 },
        ],
      },
    ]);
  });

  it("a line of 6: the sixth refuses the fifth's push at depth 5, the depth guard", () => {
    const { explain } = tracedSimulation(["###########", "#pabcdef.##", "###########"], { p: M, a: M, b: M, c: M, d: M, e: M, f: M });
    const [move] = explain([["p", "E"]], "p");
    expect(move!.stoppedBy).toEqual({ actorId: "f", refusedId: "e", reason: "depth", depth: 5, guard: GUARDS.depth });
    expect(move!.chain.filter((e) => e.type === "pushed").map((e) => e.depth)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(GUARDS.depth).toBe('depth guard: reactions at most 5 deep (seed 002 "5 levels", broker.ts guard 2)');
  });

  it("an Aggressive occupant refuses and retaliates", () => {
    const { explain } = tracedSimulation(["######", "#px..#", "######"], { p: M, x: A });
    expect(explain([["p", "E"]], "p")).toEqual([
      {
        tick: 1,
        dir: "E",
        source: "input",
        succeeded: false,
        moved: null,
        reason: "aggressive",
        stoppedBy: { actorId: "x", refusedId: "p", reason: "aggressive", depth: 0, guard: GUARDS.aggressive },
        chain: [
          { type: "pushed", actorId: "p", targetId: "x", dir: "E", depth: 0 },
          { type: "retaliated", actorId: "x", targetId: "p", damage: 6 },
          { type: "refused", actorId: "x", byId: "p", reason: "aggressive" },
          { type: "blocked", actorId: "p", reason: "aggressive", depth: 0 },
        ],
      },
    ]);
  });

  it("a push to an actor blocked earlier in the tick is refused by the blocked guard; each mover's moves are its own", () => {
    const { explain } = tracedSimulation(["######", "#ax#.#", "#b...#", "######"], { a: M, b: M, x: A });
    const moves = explain([["a", "E"], ["b", "N"]], "b");
    expect(moves).toHaveLength(1);
    expect(moves[0]!.stoppedBy).toEqual({ actorId: "a", refusedId: "b", reason: "blocked", depth: 0, guard: GUARDS.blocked });
    expect(moves[0]!.chain).toEqual([
      { type: "pushed", actorId: "b", targetId: "a", dir: "N", depth: 0 },
      { type: "refused", actorId: "a", byId: "b", reason: "blocked" },
      { type: "blocked", actorId: "b", reason: "blocked", depth: 0 },
    ]);
  });

  it("a chain that moves: the moves in commit order, the mover's own last", () => {
    const { explain } = tracedSimulation(["######", "#....#", "#paf##", "#....#", "######"], { p: M, a: M, f: F });
    const [move] = explain([["p", "E"]], "p");
    expect(move).toMatchObject({ succeeded: true, reason: null, stoppedBy: null, moved: { from: [1, 2], to: [2, 2] } });
    expect(move!.chain.filter((e) => e.type === "moved").map((e) => e.actorId)).toEqual(["f", "a", "p"]);
  });

  it("a move straight into a wall fails at depth 0 with no push", () => {
    const { explain } = tracedSimulation(["####", "#p.#", "####"], { p: M });
    expect(explain([["p", "N"]], "p")).toEqual([
      { tick: 1, dir: "N", source: "input", succeeded: false, moved: null, reason: "wall", stoppedBy: { actorId: "p", refusedId: null, reason: "wall", depth: 0, guard: GUARDS.wall }, chain: [{ type: "blocked", actorId: "p", reason: "wall", depth: 0 }] },
    ]);
  });

  it("an actor pushed by another made no move of its own; a wanderer's moves come from its brain", () => {
    const { explain } = tracedSimulation(["#########", "#pa....w#", "#########"], { p: M, a: M, w: { behaviours: ["Moveable"], ai: "wander" } });
    expect(explain([["p", "E"]], "a")).toEqual([]);
    const wandered = Array.from({ length: 10 }, () => explain([], "w")).flat();
    expect(wandered.length).toBeGreaterThan(0);
    expect(wandered.map((m) => m.source)).toEqual(wandered.map(() => "brain"));
  });

  it("tracing changes nothing: a traced and an untraced world hash the same, tick after tick", () => {
    const rows = ["#########", "#pab...w#", "#..x....#", "#########"];
    const legend = { p: M, a: M, b: F, x: A, w: { behaviours: ["Moveable" as const], ai: "wander" as const } };
    const traced = tracedSimulation(rows, legend).sim;
    const plain = createSimulation(createWorld(defineAsciiWorld(rows, legend), TEST_RULES));
    const dirs: Dir[] = ["E", "E", "S", "E", "N", "W", "E", "E"];
    for (const dir of dirs) {
      for (const sim of [traced, plain]) submitInput(sim, { type: "act", actorId: "p", kind: "move", payload: { dir } });
      expect(stepSimulation(traced).hash).toBe(stepSimulation(plain).hash);
    }
  });
});
