/**
 * The patch's view pass over per-view change lists (rooms/view-changes.ts): every client receives,
 * byte for byte, the frames the stock pass sends, while the filtered pass leaves out the changed
 * actors a view does not hold, and their owner objects and the maps under them; and a joining
 * client's full state, walked over the actors its view holds only, is the stock one too. Two scenes of the same world get the same joins and moves; one
 * serializer filters, the other does not.
 */
import { MapSchema } from "@colyseus/schema";
import { describe, expect, it } from "vitest";
import { buildDenseWorld } from "../../loadtest/bench/dense-world.ts";
import { createPlanner } from "../../loadtest/bench/mover-plan.ts";
import { createSyncScene, joinClient, runRoomTick, sendPatch, submitMove, type SyncScene } from "../../loadtest/bench/sync-scene.ts";
import { createWorldField, syncFieldPositions, toMoveInputs } from "../../loadtest/bench/world-field.ts";

/** Each client's full state (what a joining client gets) in `scene` now, as hex. */
function fullStates(scene: SyncScene): string[] {
  return scene.clients.map((client) => Buffer.from(scene.serializer.getFullState(client as never)).toString("hex"));
}

/** Every frame each client received, as hex, per client. */
function capture(scene: SyncScene): string[][] {
  const frames: string[][] = scene.clients.map(() => []);
  scene.clients.forEach((client, i) => (client.raw = (bytes: Uint8Array) => frames[i]!.push(Buffer.from(bytes).toString("hex"))));
  return frames;
}

describe("view pass over per-view change lists", () => {
  // Radius 5: views hold fewer actors than a tick changes (picked from the view); 20: more (picked from the changes).
  // Players 97 cells apart see different actors; 3 apart, they see each other and mostly the same actors.
  it.each([
    [5, 97],
    [20, 97],
    [5, 3],
  ])("radius %i, players %i cells apart: sends every client exactly the stock frames through joins, moves, enters and leaves, and skips the actors its view lacks", async (radius, spacing) => {
    const dense = buildDenseWorld(600, 7);
    const [filtered, stock] = [await createSyncScene(dense, radius), await createSyncScene(dense, radius, { filterViews: false })];
    const world = filtered.sim.world;
    // 12 players on free cells spread over the map, the same in both scenes.
    const cells: [number, number][] = [];
    for (let cell = 0; cell < world.grid.walls.length && cells.length < 12; cell += spacing) {
      if (world.grid.walls[cell] === 0 && world.grid.occupancy[cell] === 0) cells.push([cell % world.grid.width, Math.floor(cell / world.grid.width)]);
    }
    const states: [string[], string[]] = [[], []];
    for (const [x, y] of cells) {
      [filtered, stock].forEach((scene, k) => {
        joinClient(scene, x, y, true);
        states[k]!.push(fullStates(scene).at(-1)!);
        sendPatch(scene);
      });
    }
    const frames = [capture(filtered), capture(stock)];
    const ids = world.slots.map((actor) => actor!.id);
    const field = createWorldField(world, ids.length);
    const planner = createPlanner(ids.length, { movers: 0.3, intoOccupied: 0.1 }, 99);
    // A 13th player joins mid-run (between two ticks, without a patch of its own), on a free cell.
    for (let t = 0; t < 60; t++) {
      if (t === 20) {
        let late = world.grid.walls.length >> 1;
        while (world.grid.walls[late] !== 0 || world.grid.occupancy[late] !== 0) late++;
        [filtered, stock].forEach((scene, k) => {
          joinClient(scene, late % world.grid.width, Math.floor(late / world.grid.width), true);
          const mine: string[] = [];
          frames[k]!.push(mine);
          scene.clients.at(-1)!.raw = (bytes: Uint8Array) => mine.push(Buffer.from(bytes).toString("hex"));
        });
      }
      syncFieldPositions(world, field);
      const inputs = toMoveInputs(planner.plan(field), ids);
      for (const scene of [filtered, stock]) {
        for (const input of inputs) submitMove(scene, input);
        // A third of the players' owner objects change (gold): trees under an actor, seen by its owner only.
        scene.players.forEach((player, k) => {
          const owner = scene.synced.of(player)!.owner!;
          if (k % 3 === t % 3) owner.gold = t * 100 + k;
          // Every fourth player gets an inventory map at tick 10 (granted to its own view, as the room
          // does), then its entries change: a map under the owner object.
          if (k % 4 === 0 && t === 10) scene.interest.grant(player.id, (owner.items = new MapSchema<number>()));
          if (k % 4 === 0 && t > 10 && owner.items !== undefined) owner.items.set(t % 2 === 0 ? "apple" : "knife", t);
        });
        runRoomTick(scene);
      }
      // Every client's full state, as a client joining now would get it: views that have seen enters,
      // leaves and inventory maps granted mid-run.
      if (t % 10 === 9) [filtered, stock].forEach((scene, k) => states[k]!.push(...fullStates(scene)));
    }
    expect(states[0].length).toBe(12 + 12 * 2 + 13 * 4);
    states[0].forEach((state, i) => expect(state).toBe(states[1][i]));
    expect(frames[0]!.map((list) => list.length)).toEqual(frames[1]!.map((list) => list.length));
    expect(frames[0]!.flat().length).toBe(12 * 60 + 40);
    frames[0]!.forEach((list, i) => expect(list).toEqual(frames[1]![i]));
    expect(filtered.serializer.skippedTrees).toBeGreaterThan(12 * 60 * (radius === 5 ? 50 : 10));
    expect(filtered.serializer.copiedTrees).toBeGreaterThan(12 * 60);
    expect(filtered.serializer.heldWalks).toBeGreaterThanOrEqual(13 + states[0].length);
    expect(stock.serializer.skippedTrees + stock.serializer.copiedTrees + stock.serializer.heldWalks).toBe(0);
  });
});
