import { Encoder, StateView } from "@colyseus/schema";
import { createWorld } from "../src/core/index.ts";
import { buildDenseWorld } from "../loadtest/bench/dense-world.ts";
import { createWorldState } from "../rooms/schema.ts";
const dense = buildDenseWorld(10_000, 7);
const world = createWorld(dense.def);
const { state, sync } = createWorldState(world);
console.log("public tier fields:", sync.publicSlots.map((i) => world.layout.slots[i]!.key));
const encoder = new Encoder(state as never);
encoder.encodeAll(); encoder.discardChanges();
const sizes: number[] = [];
for (const n of [0, 1, 2, 100]) {
  const view = new StateView();
  const actors = [...state.actors.values()].slice(0, n);
  for (const a of actors) view.add(a as never);
  const shared = encoder.encodeAll();
  const bytes = encoder.encodeAllView(view, shared.length, shared);
  sizes.push(bytes.length);
  console.log(n, "actors in view:", bytes.length, "B full state", n === 1 ? Buffer.from(bytes.subarray(shared.length)).toString("hex") : "");
}
const a = [...state.actors.values()][0]!;
console.log(JSON.stringify(a.toJSON()));
