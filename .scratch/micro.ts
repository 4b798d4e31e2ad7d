import { setActorState } from "../src/core/plugin-state.ts";
const N = 1_000_000;
function bench(name: string, f: (i: number) => unknown) {
  for (let i = 0; i < 100_000; i++) f(i);
  const t0 = process.hrtime.bigint();
  let x: unknown;
  for (let i = 0; i < N; i++) x = f(i);
  const ns = Number(process.hrtime.bigint() - t0) / N;
  console.log(name.padEnd(40), ns.toFixed(1), "ns", typeof x === "object" ? "" : "");
}
const items = freezeCopy({ apple: 5 }, "x") as any;
const equipped = freezeCopy({}, "x") as any;
bench("alloc {gold,items,equipped}", (i) => ({ gold: i, items, equipped }));
bench("alloc + freeze", (i) => Object.freeze({ gold: i, items, equipped }));
const S = Symbol("h");
bench("alloc + defineProperty sym + freeze", (i) => { const o = { gold: i, items, equipped }; Object.defineProperty(o, S, { value: i }); return Object.freeze(o); });
const wm = new WeakMap();
bench("alloc + weakmap set", (i) => { const o = { gold: i, items, equipped }; wm.set(o, i); return o; });
bench("freezeCopy inventory", (i) => freezeCopy({ gold: i, items, equipped }, "items"));
bench("freezeCopy relationships nested", (i) => freezeCopy({ relationships: { "npc:n1": { affinity: i, trust: 3 } } }, "interactions"));
bench("hashValue sealed", () => hashValue(items));
const m = new Map<string, number>();
bench("map set + undo closure", (i) => { const old = m.get("gold"); m.set("gold", i); return () => m.set("gold", old!); });
bench("keys sort 3", () => Object.keys({ gold: 1, items, equipped }).sort());
bench("template path", (i) => `items.${i & 7}`);
