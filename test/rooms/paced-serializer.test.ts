/**
 * The paced serializer (rooms/paced-serializer.ts): a client that joins while changes are pending
 * (between two paced patches) gets a full state built on the shared encoding taken at an earlier
 * join, and after the next patch its decoded state equals the server's, field for field, like a
 * client served by the stock serializer. Each patch leaves every view a new `changes` map and takes
 * a new map of encoded views, instead of clearing long-lived ones (V8 puts a long-lived Map's new
 * tables in the old generation), and clients still follow views that change between patches.
 */
import { ClientState, SchemaSerializer, type Client } from "@colyseus/core";
import { Reflection, StateView, type Decoder, type Encoder } from "@colyseus/schema";
import { describe, expect, it } from "vitest";
import { PacedSchemaSerializer } from "../../rooms/paced-serializer.ts";
import { createWorldState, type WorldState } from "../../rooms/schema.ts";
import { asciiWorld } from "../support/worlds.ts";

interface TestClient {
  sessionId: string;
  state: ClientState;
  view: StateView;
  ref: { send(): void };
  decoder: Decoder;
  raw(bytes: Uint8Array): void;
}

function clientOf(serializer: SchemaSerializer<WorldState>, ids: string[], state: WorldState): TestClient {
  const view = new StateView();
  for (const id of ids) view.add(state.actors.get(id)!);
  const decoder = Reflection.decode(Reflection.encode((serializer as unknown as { encoder: Encoder }).encoder));
  const client: TestClient = { sessionId: `c${ids.join("")}`, state: ClientState.JOINED, view, ref: { send() {} }, decoder, raw: (bytes) => decoder.decode(bytes.subarray(1)) };
  decoder.decode(serializer.getFullState(client as unknown as Client).subarray(1));
  return client;
}

/** What a client decoded: each visible actor's id and cell, and the tick. */
function seen(client: TestClient): { tick: number; actors: Record<string, [number, number]> } {
  const state = client.decoder.state as unknown as WorldState;
  const actors: Record<string, [number, number]> = {};
  state.actors.forEach((actor, id) => (actors[id] = [actor.x, actor.y]));
  return { tick: state.tick, actors };
}

describe("paced serializer", () => {
  for (const Serializer of [SchemaSerializer, PacedSchemaSerializer]) {
    it(`${Serializer.name}: clients joining between patches, with changes pending, match the server after the next patch`, () => {
      const world = asciiWorld(["#######", "#a.b.c#", "#######"], { a: { behaviours: ["Moveable"] }, b: { behaviours: ["Moveable"] }, c: { behaviours: ["Moveable"] } });
      const { state } = createWorldState(world);
      const serializer = new Serializer<WorldState>();
      serializer.reset(state);
      serializer.applyPatches([], state);
      // Changes pending (no patch yet), then a first join: the shared part is encoded here.
      state.tick = 1;
      state.actors.get("a")!.x = 2;
      const first = clientOf(serializer, ["a", "b"], state);
      // More changes, a second join: the paced serializer reuses the first join's shared encoding.
      state.tick = 2;
      state.actors.get("b")!.x = 4;
      state.actors.get("c")!.y = 1;
      const second = clientOf(serializer, ["b", "c"], state);
      serializer.applyPatches([first, second] as unknown as Client[], state);
      expect(seen(first)).toEqual({ tick: 2, actors: { a: [2, 1], b: [4, 1] } });
      expect(seen(second)).toEqual({ tick: 2, actors: { b: [4, 1], c: [5, 1] } });
    });
  }

  it("renews each view's changes map and the map of encoded views at every patch; views changed between patches still reach their clients", () => {
    const world = asciiWorld(["#######", "#a.b.c#", "#######"], { a: { behaviours: ["Moveable"] }, b: { behaviours: ["Moveable"] }, c: { behaviours: ["Moveable"] } });
    const { state } = createWorldState(world);
    const serializer = new PacedSchemaSerializer<WorldState>();
    serializer.reset(state);
    serializer.applyPatches([], state);
    const first = clientOf(serializer, ["a"], state);
    const second = clientOf(serializer, ["b"], state);
    const clients = [first, second] as unknown as Client[];
    const encodedViews = () => (serializer as unknown as { encodedViews: Map<object, Uint8Array> }).encodedViews;
    const patch = () => {
      const maps = { first: first.view.changes, second: second.view.changes, encoded: encodedViews() };
      serializer.applyPatches(clients, state);
      expect(first.view.changes).not.toBe(maps.first);
      expect(second.view.changes).not.toBe(maps.second);
      expect(encodedViews()).not.toBe(maps.encoded);
      expect([first.view.changes.size, second.view.changes.size, encodedViews().size]).toEqual([0, 0, 0]);
    };
    state.tick = 1;
    first.view.add(state.actors.get("c")!); // into the renewed map: c reaches the first client
    state.actors.get("a")!.x = 2;
    patch();
    expect(seen(first)).toEqual({ tick: 1, actors: { a: [2, 1], c: [5, 1] } });
    state.tick = 2;
    first.view.remove(state.actors.get("c")!);
    second.view.add(state.actors.get("a")!);
    state.actors.get("b")!.x = 4;
    patch();
    expect(seen(first)).toEqual({ tick: 2, actors: { a: [2, 1] } });
    expect(seen(second)).toEqual({ tick: 2, actors: { a: [2, 1], b: [4, 1] } });
  });
});
