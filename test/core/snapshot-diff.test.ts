import { describe, expect, it } from "vitest";
import { diffSnapshots, moveInput, removeActor, setActorState, setWorldState, snapshotWorld, stepSimulation, submitInput } from "../../src/core/index.ts";
import { asciiSimulation } from "../support/worlds.ts";

const M = { behaviours: ["Moveable" as const] };
const MAP = ["#######", "#abc..#", "#######"];

describe("diffSnapshots", () => {
  it("equal snapshots differ in nothing", () => {
    const sim = asciiSimulation(MAP, { a: M, b: M, c: M });
    expect(diffSnapshots(snapshotWorld(sim.world), JSON.parse(JSON.stringify(snapshotWorld(sim.world))))).toEqual({ world: [], actors: [] });
  });

  it("names each differing field by its path, an actor only one side has, and world fields", () => {
    const recorded = asciiSimulation(MAP, { a: M, b: M, c: M });
    const replayed = asciiSimulation(MAP, { a: M, b: M, c: M });
    submitInput(recorded, moveInput("c", "E"));
    stepSimulation(recorded);
    stepSimulation(replayed);
    removeActor(recorded.world, "a");
    setActorState(replayed.world, replayed.world.byId.get("b")!, "items", { gold: 3 });
    setWorldState(recorded.world, "clock", { bells: 2 });
    expect(diffSnapshots(snapshotWorld(replayed.world), snapshotWorld(recorded.world))).toEqual({
      world: [{ field: "plugins.clock.bells", replayed: undefined, recorded: 2 }],
      actors: [
        { actorId: "b", fields: [{ field: "plugins.items.gold", replayed: 3, recorded: undefined }] },
        { actorId: "c", fields: [{ field: "x", replayed: 3, recorded: 4 }] },
        { actorId: "a", fields: [{ field: "exists", replayed: true, recorded: false }] },
      ],
    });
  });
});
