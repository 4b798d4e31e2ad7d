import { runInteractionsBench, DEFAULT_INTERACTIONS_CONFIG } from "../loadtest/bench/interactions-bench.ts";
const npcs = Number(process.env.NPCS ?? 900), players = Number(process.env.PLAYERS ?? 100);
const r = await runInteractionsBench({ ...DEFAULT_INTERACTIONS_CONFIG, npcs, players, measuredTicks: Number(process.env.TICKS ?? 300) });
console.log(`npcs ${npcs} players ${players}: core ${r.coreMs.median.toFixed(3)} busy ${r.busyMs.median.toFixed(3)} added ${r.addedMs.toFixed(3)} per interaction ${(1000 * r.addedMs / players).toFixed(2)} µs; plugins ${r.pluginMsPerTick.toFixed(3)}`);
