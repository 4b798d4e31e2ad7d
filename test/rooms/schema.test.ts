/**
 * The synced state's compact fields (rooms/schema.ts): coordinates typed by the map's size and public
 * tiers as indices into `WorldState.publicAxes`, decoded by a client's schema decoder built from the
 * handshake (Reflection), as the SDK builds it.
 */
import { Encoder, Reflection, StateView } from "@colyseus/schema";
import { describe, expect, it } from "vitest";
import { coordinateType, createWorldState, publicTierOf, type WorldState } from "../../rooms/schema.ts";
import { asciiWorld } from "../support/worlds.ts";

/** `state` as a client whose view holds every actor decodes it: a decoder from the reflected schema, fed the full state. */
function decodedBy(state: WorldState): WorldState {
  const encoder = new Encoder(state);
  const view = new StateView();
  state.actors.forEach((actor) => view.add(actor));
  const decoder = Reflection.decode<WorldState>(Reflection.encode(encoder));
  const it = { offset: 0 };
  encoder.encodeAll(it);
  decoder.decode(encoder.encodeAllView(view, it.offset, { ...it }));
  return decoder.state;
}

/** A one-row world `width` cells wide with NPC `a` at x = `at`. */
function corridor(width: number, at: number) {
  const row = Array.from({ length: width }, (_, x) => (x === 0 || x === width - 1 ? "#" : x === at ? "a" : ".")).join("");
  return asciiWorld(["#".repeat(width), row, "#".repeat(width)], { a: { behaviours: [] } });
}

describe("synced state fields", () => {
  it("coordinates take the narrowest type that holds every cell of the map", () => {
    expect(coordinateType(256, 3)).toBe("uint8");
    expect(coordinateType(3, 256)).toBe("uint8");
    expect(coordinateType(257, 3)).toBe("uint16");
    expect(coordinateType(65_536, 3)).toBe("uint16");
    expect(coordinateType(3, 65_537)).toBe("number");
  });

  it("the last cell of a 256-wide map and a cell past 255 on a wider one decode exactly", () => {
    const narrow = createWorldState(corridor(256, 254));
    expect(narrow.sync.coordinates).toBe("uint8");
    expect(decodedBy(narrow.state).actors.get("a")!.x).toBe(254);
    const wide = createWorldState(corridor(300, 280));
    expect(wide.sync.coordinates).toBe("uint16");
    const actor = decodedBy(wide.state).actors.get("a")!;
    expect([actor.x, actor.y]).toEqual([280, 1]);
  });

  it("a public tier is synced as its index, and the client names it from publicAxes", () => {
    const world = corridor(8, 3);
    const { state } = createWorldState(world);
    const decoded = decodedBy(state);
    expect([...decoded.publicAxes.keys()]).toEqual(["attributes.health"]);
    expect([...decoded.publicAxes.get("attributes.health")!.tiers]).toEqual(["down", "critical", "wounded", "healthy"]);
    const actor = decoded.actors.get("a")!;
    expect(actor["attributes.health"]).toBe(3);
    expect(publicTierOf(decoded, actor, "attributes.health")).toBe("healthy");
    expect(publicTierOf(decoded, actor, "attributes.stamina")).toBeUndefined();
  });
});
