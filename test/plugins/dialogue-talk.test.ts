/**
 * `talk` in the simulation, without a server (plugins/dialogue/talk.ts): the daily cap resets when
 * the game day turns (game time comes from the tick, src/core/clock.ts), lines are drawn with the
 * world's seeded generator, so two runs of one script say the same things, and a journal replay
 * reproduces every hash.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulation, createWorld, gameTimeAt, journalEntries, replayJournal, stepSimulation, submitInput, type Simulation, type WorldDef } from "../../src/core/index.ts";
import { loadStandalonePlugins, type StandalonePlugins } from "../../src/server/standalone-plugins.ts";
import { loadWorlds } from "../../src/server/world-loader.ts";
import type { InteractionEvent } from "../../plugins/interactions/dispatcher.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";

const PLUGINS = fileURLToPath(new URL("../fixtures/plugins/dialogue", import.meta.url));

const STRANGER = ["{npc} eyes {player}.", "{npc} ignores {player}.", "{npc} frowns at {player}.", "{npc} turns away from {player}."];
/** A game day of 72 s at 20 Hz is 1440 ticks: one game minute per tick. From 23:50, day 1 begins at tick 10. */
const QUAY = {
  id: "quay",
  name: "quay",
  tickRate: 20,
  seed: 11,
  clock: { secondsPerGameDay: 72, startTime: "23:50" },
  map: ["####", "#S.#", "####"],
  npcs: [{ id: "keeper", name: "Keeper", at: [2, 1], behaviours: [], plugins: { interactions: { slots: [{ slotId: "chat", interactionId: "talk", config: { affinityGain: 4, dailyCap: 10 } }] } } }],
};

let loaded: StandalonePlugins;
let def: WorldDef;
beforeAll(async () => {
  const dataDir = makeTempDir();
  mkdirSync(join(dataDir, "narrative"));
  mkdirSync(join(dataDir, "worlds"));
  writeFileSync(join(dataDir, "narrative", "default.json"), JSON.stringify({ talk: { lines: ["{npc} nods."], tiers: { stranger: STRANGER } } }));
  writeFileSync(join(dataDir, "worlds", "quay.json"), JSON.stringify(QUAY));
  loaded = await loadStandalonePlugins(PLUGINS, 10_000, dataDir);
  def = loadWorlds(dataDir, undefined, loaded.plugins.extensions).byId.get("quay")!;
});
afterAll(async () => {
  await loaded?.close();
  removeTempDirs();
});

interface Run {
  sim: Simulation;
  /** Per talking tick: the tick, the message and the `dialogue-talk` effect's gain and total. */
  talks: Array<{ tick: number; message: string; gain: unknown; gainedToday: unknown }>;
  hashes: string[];
}

/** Sam joins at tick 1, then talks to Keeper at ticks 2–6 and 10–12. */
function runScript(): Run {
  const sim = createSimulation(createWorld(def, loaded.plugins.rules));
  const joined = submitInput(sim, { type: "join", actorId: "", name: "Sam" });
  if (!joined.ok) throw new Error(joined.message);
  const run: Run = { sim, talks: [], hashes: [stepSimulation(sim).hash] };
  for (let tick = 2; tick <= 12; tick++) {
    const talking = tick <= 6 || tick >= 10;
    if (talking) submitInput(sim, { type: "act", actorId: joined.value.id, kind: "interact", payload: { targetId: "keeper", slotId: "chat" } });
    const result = stepSimulation(sim);
    run.hashes.push(result.hash);
    const event = result.events.find((e): e is InteractionEvent => e.type === "interaction");
    if (talking) {
      expect(event?.verdict).toBe("executed");
      const record = event!.effects.find((e) => e.kind === "dialogue-talk")!;
      run.talks.push({ tick, message: event!.message, gain: record["gain"], gainedToday: record["gainedToday"] });
    }
  }
  return run;
}

describe("talk in the simulation", () => {
  it("the clock of this world turns to day 1 at tick 10", () => {
    expect(gameTimeAt(def.clock!, def.tickRate, 9)).toMatchObject({ day: 0, hour: 23, minute: 59 });
    expect(gameTimeAt(def.clock!, def.tickRate, 10)).toMatchObject({ day: 1, hour: 0, minute: 0 });
  });

  it("gains 4 a talk up to the cap of 10 on day 0, then nothing; on day 1 the cap starts again", () => {
    const { sim, talks } = runScript();
    expect(talks.map((t) => [t.tick, t.gain, t.gainedToday])).toEqual([
      [2, 4, 4],
      [3, 4, 8],
      [4, 2, 10],
      [5, 0, 10],
      [6, 0, 10],
      [10, 4, 4],
      [11, 4, 8],
      [12, 2, 10],
    ]);
    const sam = sim.world.byId.get("player-1")!;
    expect(sam.pluginState?.get("interactions")).toEqual({ relationships: { "npc:keeper": { affinity: 20 } } });
    // The day-0 entry is replaced by day 1's.
    expect(sam.pluginState?.get("dialogue")).toEqual({ talks: { keeper: { day: 1, gained: 10 } } });
  });

  it("draws the stranger lines with the world's generator: the same script says the same things, and replays hash for hash", () => {
    const first = runScript();
    const second = runScript();
    expect(second.talks).toEqual(first.talks);
    expect(second.hashes).toEqual(first.hashes);
    const rendered = STRANGER.map((line) => line.replace("{npc}", "Keeper").replace("{player}", "Sam"));
    for (const talk of first.talks) expect(rendered).toContain(talk.message);
    expect(new Set(first.talks.map((t) => t.message)).size).toBeGreaterThan(1);

    const replay = createSimulation(createWorld(def, loaded.plugins.rules));
    expect(replayJournal(replay, journalEntries(first.sim.journal))).toEqual({ replayed: 12, divergences: [] });
    expect(replay.world.byId.get("player-1")?.pluginState?.get("dialogue")).toEqual({ talks: { keeper: { day: 1, gained: 10 } } });
  });
});
