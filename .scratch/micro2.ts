const N = 1_000_000;
function bench(name: string, f: (i: number) => unknown) {
  for (let i = 0; i < 200_000; i++) f(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) f(i);
  console.log(name.padEnd(50), (Number(process.hrtime.bigint() - t0) / N).toFixed(1), "ns");
}
const S = Symbol("h");
const items = Object.freeze({ apple: 5 });
const equipped = Object.freeze({});
bench("literal with symbol + freeze", (i) => Object.freeze({ gold: i, items, equipped, [S]: i }));
bench("defineProperty sym only", (i) => { const o = { gold: i, items, equipped }; Object.defineProperty(o, S, { value: i }); return o; });
bench("o[S]=h then freeze", (i) => { const o: any = { gold: i, items, equipped }; o[S] = i; return Object.freeze(o); });
bench("generic copy loop + o[S] + freeze", (i) => { const src: any = { gold: i, items, equipped }; const o: any = {}; for (const k in src) o[k] = src[k]; o[S] = i; return Object.freeze(o); });
bench("generic copy loop + freeze", (i) => { const src: any = { gold: i, items, equipped }; const o: any = {}; for (const k in src) o[k] = src[k]; return Object.freeze(o); });
bench("isFrozen", (i) => Object.isFrozen(items));
const o2: any = { gold: 1, items, equipped }; o2[S] = 3; Object.freeze(o2);
bench("spread copies symbol?", () => ({ ...o2 }));
console.log("spread has S:", S in { ...o2 }, "JSON:", JSON.stringify(o2), "keys", Object.keys(o2), "structuredClone S:", S in structuredClone(o2));
