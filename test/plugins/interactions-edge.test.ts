/**
 * The interaction edge and server attempts against a waiting intent (issue 10 "Intents only",
 * "Audit"): the pipeline keeps one intent of a kind per actor and tick, so a second `interact` (a
 * client's, or a scheduled job's) is refused with `interaction/already-queued` instead of silently
 * replacing the first.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulation, createWorld, stepSimulation, submitInput, type WorldDef } from "../../src/core/index.ts";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { loadStandalonePlugins, type StandalonePlugins } from "../../src/server/standalone-plugins.ts";
import type { InteractionEvent } from "../../plugins/interactions/dispatcher.ts";
import { crimesOf } from "../../plugins/stealth/crimes.ts";
import { InteractionRegistry } from "../../plugins/interactions/dispatcher.ts";
import { createInteractEdge } from "../../plugins/interactions/edge.ts";

const PLUGINS = fileURLToPath(new URL("../fixtures/plugins/stealth", import.meta.url));

let loaded: StandalonePlugins;
beforeAll(async () => {
  loaded = await loadStandalonePlugins(PLUGINS);
});
afterAll(async () => {
  await loaded?.close();
});

const slots = [
  { slotId: "purse", interactionId: "pickpocket", config: { baseSuccessChance: 0, detectionChance: 1, gold: { min: 1, max: 1 } } },
  { slotId: "coat", interactionId: "pickpocket", config: { baseSuccessChance: 0, detectionChance: 0, gold: { min: 1, max: 1 } } },
];
const DEF: WorldDef = {
  id: "alley",
  name: "Alley",
  tickRate: 20,
  seed: 99,
  map: ["#####", "#S..#", "#####"],
  npcs: [{ id: "mark", name: "Mark", at: [2, 1], behaviours: [], plugins: { interactions: { slots } } }],
  stats: DEFAULT_STATS_CONFIG,
  respawnTicks: 100,
  // 05:00 + 60 game minutes: 06:00 at tick 50.
  clock: { secondsPerGameDay: 60, startMinute: 5 * 60 },
};

function start() {
  const sim = createSimulation(createWorld(DEF, loaded.plugins.rules));
  const joined = submitInput(sim, { type: "join", actorId: "", name: "Ann" });
  if (!joined.ok) throw new Error(joined.message);
  return { sim, actor: joined.value };
}

describe("one interaction per actor and tick", () => {
  it("the edge admits a first interact and refuses a second one waiting for the same tick", () => {
    const { sim, actor } = start();
    const edge = loaded.plugins.edges.get("interact")!;
    const attempt = (slotId: string) => edge.admit({ world: sim.world, actor, sessionId: "s-1", payload: { targetId: "mark", slotId } });
    const first = attempt("purse");
    expect(first).toEqual({ ok: true, value: { targetId: "mark", slotId: "purse" } });
    submitInput(sim, { type: "act", actorId: actor.id, kind: "interact", payload: first.ok ? first.value : undefined });
    expect(attempt("coat")).toEqual({ ok: false, code: "interaction/already-queued", message: `${actor.id} already has an interaction waiting for tick 1` });
    const events = stepSimulation(sim).events.filter((e): e is InteractionEvent => e.type === "interaction");
    expect(events.map((e) => [e.slotId, e.verdict])).toEqual([["purse", "executed"]]);
  });

  it("the rate limit counts a session's attempts in the last second, by the clock it is given, and audits the refusal", () => {
    const { sim, actor } = start();
    let now = 10_000;
    const written: string[] = [];
    const audit = { attempt: (row: { code: string }) => void written.push(row.code), outcome: () => undefined, flush: () => undefined };
    const edge = createInteractEdge(new InteractionRegistry(), audit, () => now);
    const attempt = () => edge.admit({ world: sim.world, actor, sessionId: "s-1", payload: { targetId: "nobody", slotId: "x" } });
    expect([attempt(), attempt(), attempt()].map((r) => (r.ok ? "ok" : r.code))).toEqual(["interaction/unknown-target", "interaction/unknown-target", "interaction/rate-limited"]);
    now += 999;
    expect(attempt()).toMatchObject({ ok: false, code: "interaction/rate-limited" });
    now += 1;
    expect(attempt()).toMatchObject({ ok: false, code: "interaction/unknown-target" });
    expect(written).toEqual(["interaction/unknown-target", "interaction/unknown-target", "interaction/rate-limited", "interaction/rate-limited", "interaction/unknown-target"]);
  });

  it("a player's attempt in the tick of the 06:00 forgiveness runs; the job skips that actor instead of replacing it", () => {
    const { sim, actor } = start();
    submitInput(sim, { type: "act", actorId: actor.id, kind: "interact", payload: { targetId: "mark", slotId: "purse" } });
    stepSimulation(sim); // seen: flagged
    for (let t = 2; t < 50; t++) stepSimulation(sim);
    submitInput(sim, { type: "act", actorId: actor.id, kind: "interact", payload: { targetId: "mark", slotId: "coat" } });
    const tick50 = stepSimulation(sim);
    expect(tick50.tick).toBe(50);
    const events = tick50.events.filter((e): e is InteractionEvent => e.type === "interaction");
    expect(events.map((e) => [e.interactionId, e.slotId, e.verdict])).toEqual([["pickpocket", "coat", "executed"]]);
    expect(crimesOf(sim.world.byId.get(actor.id)!)["pickpocket"]).toHaveLength(1);
  });
});
