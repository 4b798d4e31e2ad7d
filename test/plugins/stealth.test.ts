/**
 * Pickpocketing and forgiveness without a server, through the real plugins (interactions, items,
 * stealth, crimes) loaded by the server's wiring: seeded frequencies within a binomial bound, crime
 * flags, the 06:00 forgiveness on its exact tick, and a journal replay that reproduces it hash for hash.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulation, createWorld, journalEntries, replayJournal, stepSimulation, submitInput, type Simulation, type TickResult, type WorldDef } from "../../src/core/index.ts";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { loadStandalonePlugins, type StandalonePlugins } from "../../src/server/standalone-plugins.ts";
import type { InteractionEvent } from "../../plugins/interactions/dispatcher.ts";
import { crimesOf } from "../../plugins/stealth/crimes.ts";

const PLUGINS = fileURLToPath(new URL("../fixtures/plugins/stealth", import.meta.url));

let loaded: StandalonePlugins;
beforeAll(async () => {
  loaded = await loadStandalonePlugins(PLUGINS);
});
afterAll(async () => {
  await loaded?.close();
});

/** A corridor: the player spawns at [1, 1] next to the mark at [2, 1]. */
function worldDef(pickpocket: object, clock = { secondsPerGameDay: 1440, startMinute: 8 * 60 }): WorldDef {
  return {
    id: "alley",
    name: "Alley",
    tickRate: 20,
    seed: 1234,
    map: ["#####", "#S..#", "#####"],
    npcs: [{ id: "mark", name: "Mark", at: [2, 1], behaviours: [], plugins: { interactions: { slots: [{ slotId: "purse", interactionId: "pickpocket", config: pickpocket }] } } }],
    stats: DEFAULT_STATS_CONFIG,
    respawnTicks: 100,
    clock,
  };
}

function start(def: WorldDef): { sim: Simulation; player: string } {
  const sim = createSimulation(createWorld(def, loaded.plugins.rules), 100_000);
  const joined = submitInput(sim, { type: "join", actorId: "", name: "Ann" });
  if (!joined.ok) throw new Error(joined.message);
  submitInput(sim, { type: "set-state", pluginId: "items", actorId: "mark", value: { gold: 1_000_000, items: {}, equipped: {} } });
  return { sim, player: joined.value.id };
}

const interactionsOf = (result: TickResult) => result.events.filter((e): e is InteractionEvent => e.type === "interaction");

describe("pickpocket", () => {
  it("success and detection frequencies over 2,000 seeded attempts are within 4 standard deviations of the configured chances", () => {
    const { sim, player } = start(worldDef({ baseSuccessChance: 0.3, detectionChance: 0.2, gold: { min: 1, max: 3 }, agilityScaled: false }));
    const n = 2000;
    let lifted = 0;
    let seen = 0;
    let gold = 0;
    for (let i = 0; i < n; i++) {
      submitInput(sim, { type: "act", actorId: player, kind: "interact", payload: { targetId: "mark", slotId: "purse" } });
      const [event] = interactionsOf(stepSimulation(sim));
      expect(event?.verdict).toBe("executed");
      if (event!.success) lifted++;
      if (event!.message.endsWith("You were seen.")) seen++;
      gold += (event!.effects.find((e) => e.kind === "transfer-gold")?.amount as number | undefined) ?? 0;
    }
    const within = (k: number, p: number) => Math.abs(k - n * p) <= 4 * Math.sqrt(n * p * (1 - p));
    expect(within(lifted, 0.3)).toBe(true);
    expect(within(seen, 0.2)).toBe(true);
    // Each lift takes 1–3 gold: on average 2.
    expect(gold).toBeGreaterThanOrEqual(lifted);
    expect(gold).toBeLessThanOrEqual(3 * lifted);
    const thief = sim.world.byId.get(player)!;
    expect(crimesOf(thief)["pickpocket"]).toHaveLength(seen);
    // Seen stealing: the mark's affinity and trust toward the player fell to the floor (0).
    expect(thief.pluginState?.get("interactions")).toEqual({ relationships: { "npc:mark": { affinity: 0, trust: 0 } } });
  });

  it("the same world, seed and inputs give the same outcomes: a replay of the journal matches hash for hash", () => {
    const def = worldDef({ baseSuccessChance: 0.5, detectionChance: 0.5, gold: { min: 2, max: 9 } });
    const { sim, player } = start(def);
    const hashes: string[] = [];
    for (let i = 0; i < 40; i++) {
      submitInput(sim, { type: "act", actorId: player, kind: "interact", payload: { targetId: "mark", slotId: "purse" } });
      hashes.push(stepSimulation(sim).hash);
    }
    const replay = createSimulation(createWorld(def, loaded.plugins.rules));
    const report = replayJournal(replay, journalEntries(sim.journal));
    expect(report).toEqual({ replayed: 40, divergences: [] });
    expect(replay.world.byId.get(player)!.pluginState).toEqual(sim.world.byId.get(player)!.pluginState);
  });
});

describe("forgiveness at 06:00 game time", () => {
  it("clears the pickpocket flags on the tick game time reaches 06:00, as a scheduled interaction, and a replay reproduces it", () => {
    // 1 game day = 60 s = 1,200 ticks at 20 Hz; 05:00 + 60 game minutes = 06:00 at tick 50.
    const def = worldDef({ baseSuccessChance: 0, detectionChance: 1, gold: { min: 1, max: 1 } }, { secondsPerGameDay: 60, startMinute: 5 * 60 });
    const { sim, player } = start(def);
    submitInput(sim, { type: "act", actorId: player, kind: "interact", payload: { targetId: "mark", slotId: "purse" } });
    stepSimulation(sim);
    expect(crimesOf(sim.world.byId.get(player)!)).toEqual({ pickpocket: [{ victimId: "mark", day: 0, hour: 5, minute: 1 }] });
    let forgivenAt = -1;
    for (let t = 2; t <= 60; t++) {
      const result = stepSimulation(sim);
      const forgiven = interactionsOf(result).find((e) => e.interactionId === "forgive_crimes");
      if (forgiven) {
        forgivenAt = result.tick;
        expect(forgiven).toMatchObject({ actorId: player, targetId: player, source: "schedule", verdict: "executed", success: true, message: "Day 0, 06:00: your pickpocket crime is forgiven." });
      }
    }
    expect(forgivenAt).toBe(50);
    expect(crimesOf(sim.world.byId.get(player)!)).toEqual({});
    const replay = createSimulation(createWorld(def, loaded.plugins.rules));
    expect(replayJournal(replay, journalEntries(sim.journal))).toEqual({ replayed: 60, divergences: [] });
    expect(crimesOf(replay.world.byId.get(player)!)).toEqual({});
  });
});
