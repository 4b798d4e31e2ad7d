import { runInteractionsBench, DEFAULT_INTERACTIONS_CONFIG } from "../loadtest/bench/interactions-bench.ts";
const r = await runInteractionsBench({ ...DEFAULT_INTERACTIONS_CONFIG, measuredTicks: Number(process.env.TICKS ?? 150) });
console.log(`core ${r.coreMs.median.toFixed(3)} busy ${r.busyMs.median.toFixed(3)} added ${r.addedMs.toFixed(3)} paired ${r.pairedAddedMs.toFixed(3)} plugins ${r.pluginMsPerTick.toFixed(3)} after ${r.afterTickMs.median.toFixed(3)} hashes ${r.hashesEqual}`, JSON.stringify(r.outcomesPerTick));
