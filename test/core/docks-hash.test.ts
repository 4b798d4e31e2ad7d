/**
 * The shipped world's state hash, pinned (issue 9 §1): the docks world (14 wanderers, pushes into
 * crates, gulls and guards) with a scripted set of players, after 600 ticks. Moving an AI kind or
 * an action kind behind a registry must not change what the world does: same hashes, tick by tick.
 * The pins were taken before `wander` moved into a plugin.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createSimulation, createWorld, stepSimulation, submitInput, DIRECTIONS, type Simulation } from "../../src/core/index.ts";
import { loadStandalonePlugins } from "../../src/server/standalone-plugins.ts";
import { loadWorlds } from "../../src/server/world-loader.ts";

const DATA_DIR = fileURLToPath(new URL("../../data", import.meta.url));
const PLUGINS_DIR = fileURLToPath(new URL("../../plugins", import.meta.url));

/** A small deterministic generator for the script (not the world's). */
function scriptRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

/** 600 ticks: 12 players join over the first 12 ticks, then each moves on 2 ticks of 3. Returns hashes at ticks 1, 100, 300, 600. */
function runDocks(sim: Simulation): Record<number, string> {
  const next = scriptRng(2026);
  const players: string[] = [];
  const pins: Record<number, string> = {};
  for (let t = 1; t <= 600; t++) {
    if (t <= 12) {
      const joined = submitInput(sim, { type: "join", actorId: "", name: `p${t}` });
      if (joined.ok) players.push(joined.value.id);
    }
    for (const id of players) {
      if (next() % 3 === 0) continue;
      submitInput(sim, { type: "act", actorId: id, kind: "move", payload: { dir: DIRECTIONS[next() % 4]! } });
    }
    const result = stepSimulation(sim);
    if (t === 1 || t === 100 || t === 300 || t === 600) pins[t] = result.hash;
  }
  return pins;
}

describe("the docks world's pinned hash", () => {
  it("after 600 scripted ticks the hashes are the ones pinned before wander became a plugin", async () => {
    // The shipped plugins, loaded as the server loads them: wander comes from plugins/ai-wander.
    const { plugins, close } = await loadStandalonePlugins(PLUGINS_DIR);
    const def = loadWorlds(DATA_DIR, undefined, plugins.extensions).byId.get("docks")!;
    expect(def.npcs.filter((npc) => npc.ai === "wander")).toHaveLength(14);
    const hashes = runDocks(createSimulation(createWorld(def, plugins.rules)));
    expect(hashes).toEqual(PINNED);
    await close();
  });
});

/** Taken on main at 6b73cb4 (before action kinds and AI kinds were registries); unchanged since. */
const PINNED: Record<number, string> = { 1: "7b246a66e6e0ed42", 100: "a3988dbd4ecb086d", 300: "d01a40af8c655190", 600: "f626d116cfeb7386" };
