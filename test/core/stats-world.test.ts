/**
 * Stats in the world, through the core (src/core/actor-stats.ts): retaliation damage, downed actors,
 * respawn, the `set-stats` and `modify` inputs, and modifier expiry on replay.
 *
 * Inputs apply at once with the tick about to run (`world.tick + 1`) as their application tick, so
 * an input that downs an actor after tick T sets respawnAt = T + 1 + respawnTicks (down for exactly
 * respawnTicks tick results), and one applied inside tick T (a retaliation) sets T + respawnTicks.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import {
  createSimulation,
  createWorld,
  hashWorld,
  journalEntries,
  replayJournal,
  stepSimulation,
  submitInput,
  type Input,
  type Simulation,
  type TickEvent,
  type World,
  type WorldDef,
} from "../../src/core/index.ts";
import type { StatValues } from "../../src/stats/types.ts";
import { asciiSimulation, checkInvariants, defineAsciiWorld, positionOf, tickWith, type LegendEntry } from "../support/worlds.ts";
import { TEST_RULES } from "../support/worlds.ts";

const M: LegendEntry = { behaviours: ["Moveable"] };
const A: LegendEntry = { behaviours: ["Aggressive"] };
const RESPAWN = 5;

/** An ASCII world with base stats per NPC and a short respawn time. */
function statsSimulation(rows: string[], legend: Record<string, LegendEntry>, stats: Record<string, StatValues> = {}, extra: Partial<WorldDef> = {}): Simulation {
  const def = defineAsciiWorld(rows, legend);
  const npcs = def.npcs.map((npc) => (stats[npc.id] ? { ...npc, stats: stats[npc.id] } : npc));
  return createSimulation(createWorld({ ...def, npcs, respawnTicks: RESPAWN, ...extra }, TEST_RULES));
}

const stat = (world: World, id: string, key: string): number => world.byId.get(id)!.effective[world.layout.indexOf.get(key)!]!;
const health = (world: World, id: string): number => stat(world, id, "attributes.health");

function submitOk(sim: Simulation, input: Input): void {
  const result = submitInput(sim, input);
  if (!result.ok) throw new Error(result.message);
}

/** Runs ticks with no inputs; returns their events, concatenated. */
function idle(sim: Simulation, ticks: number): TickEvent[] {
  const events: TickEvent[] = [];
  for (let i = 0; i < ticks; i++) {
    events.push(...stepSimulation(sim).events);
    checkInvariants(sim.world);
  }
  return events;
}

const setHealth = (sim: Simulation, actorId: string, value: number): void => submitOk(sim, { type: "set-stats", actorId, values: { attributes: { health: value } } });

describe("retaliation: pushing an Aggressive actor hurts the pusher", () => {
  it("default stats (strength 50 vs defense 50) deal 6 per push", () => {
    const sim = statsSimulation(["######", "#px..#", "######"], { p: M, x: A });
    const first = tickWith(sim, [["p", "E"]]);
    expect(first.events).toContainEqual({ type: "retaliated", actorId: "x", targetId: "p", damage: 6 });
    expect(first.events.filter((e) => e.type === "stats")).toEqual([{ type: "stats", actorId: "p" }]);
    expect(health(sim.world, "p")).toBe(94);
    tickWith(sim, [["p", "E"]]);
    expect(health(sim.world, "p")).toBe(88);
    expect(health(sim.world, "x")).toBe(100);
  });

  it("strength 90 against defense 50 deals 12", () => {
    const sim = statsSimulation(["######", "#px..#", "######"], { p: M, x: A }, { x: { combat_skills: { strength: 90 } }, p: { combat_skills: { defense: 50 } } });
    const result = tickWith(sim, [["p", "E"]]);
    expect(result.events).toContainEqual({ type: "retaliated", actorId: "x", targetId: "p", damage: 12 });
    expect(result.events).toContainEqual({ type: "stats", actorId: "p" });
    expect(health(sim.world, "p")).toBe(88);
  });

  // damage = max(1, floor(strength × 100 / (100 + defense) / 5))
  for (const [strength, defense, damage] of [
    [100, 0, 20],
    [100, 100, 10],
    [0, 50, 1],
    [4, 0, 1],
    [75, 25, 12],
  ] as const) {
    it(`strength ${strength} against defense ${defense} deals ${damage}`, () => {
      const sim = statsSimulation(["######", "#px..#", "######"], { p: M, x: A }, { x: { combat_skills: { strength } }, p: { combat_skills: { defense } } });
      const result = tickWith(sim, [["p", "E"]]);
      expect(result.events).toContainEqual({ type: "retaliated", actorId: "x", targetId: "p", damage });
      expect(health(sim.world, "p")).toBe(100 - damage);
    });
  }

  it("in a chain, the actor that pushed the Aggressive one is hurt, not the one that started the chain", () => {
    const sim = statsSimulation(["#######", "#pax..#", "#######"], { p: M, a: M, x: A });
    const result = tickWith(sim, [["p", "E"]]);
    expect(result.events).toContainEqual({ type: "retaliated", actorId: "x", targetId: "a", damage: 6 });
    expect([health(sim.world, "p"), health(sim.world, "a")]).toEqual([100, 94]);
  });

  it("a world without attributes.health deals no damage", () => {
    const { attributes: _attributes, ...definitions } = DEFAULT_STATS_CONFIG.definitions;
    const sim = statsSimulation(["######", "#px..#", "######"], { p: M, x: A }, {}, { stats: { ...DEFAULT_STATS_CONFIG, definitions } });
    const result = tickWith(sim, [["p", "E"]]);
    expect(result.events).toContainEqual({ type: "retaliated", actorId: "x", targetId: "p", damage: 0 });
    expect(result.events.some((e) => e.type === "stats")).toBe(false);
    expect(sim.world.byId.get("p")!.stats.runtime.every(Number.isNaN)).toBe(true);
  });
});

describe("downed: health 0", () => {
  /** p (health 6) pushes x in tick 1 and is downed. */
  function downedByRetaliation() {
    const sim = statsSimulation(["#######", "#.px..#", "#.q...#", "#######"], { p: M, x: A, q: M }, { p: { attributes: { health: 6 } } });
    const result = tickWith(sim, [["p", "E"]]);
    return { sim, result };
  }

  it("a retaliation that takes health to 0 downs the pusher until tick + respawnTicks", () => {
    const { sim, result } = downedByRetaliation();
    expect(result.tick).toBe(1);
    expect(result.events).toContainEqual({ type: "retaliated", actorId: "x", targetId: "p", damage: 6 });
    expect(result.events).toContainEqual({ type: "downed", actorId: "p", respawnAt: 1 + RESPAWN });
    expect(health(sim.world, "p")).toBe(0);
    expect(sim.world.byId.get("p")!.respawnAt).toBe(1 + RESPAWN);
  });

  it("a downed actor's moves are rejected with command/downed, changing nothing", () => {
    const { sim } = downedByRetaliation();
    const before = hashWorld(sim.world);
    const result = submitInput(sim, { type: "act", actorId: "p", kind: "move", payload: { dir: "W" } });
    expect(result).toMatchObject({ ok: false, code: "command/downed" });
    expect(hashWorld(sim.world)).toBe(before);
    expect(sim.pending).toEqual([]);
  });

  it("a downed actor is not pushable: the push is refused with reason downed and nobody moves", () => {
    const { sim } = downedByRetaliation();
    const result = tickWith(sim, [["q", "N"]]);
    expect(result.events).toContainEqual({ type: "refused", actorId: "p", byId: "q", reason: "downed" });
    expect(result.events).toContainEqual({ type: "blocked", actorId: "q", reason: "downed", depth: 0 });
    expect([positionOf(sim.world, "p"), positionOf(sim.world, "q")]).toEqual([
      [2, 1],
      [2, 2],
    ]);
  });

  it("set-stats to health 0 downs at once and drops the actor's queued move", () => {
    const sim = statsSimulation(["######", "#p...#", "######"], { p: M });
    submitOk(sim, { type: "act", actorId: "p", kind: "move", payload: { dir: "E" } });
    setHealth(sim, "p", 0);
    expect(sim.world.byId.get("p")!.respawnAt).toBe(1 + RESPAWN);
    expect(submitInput(sim, { type: "act", actorId: "p", kind: "move", payload: { dir: "E" } })).toMatchObject({ ok: false, code: "command/downed" });
    stepSimulation(sim);
    expect(positionOf(sim.world, "p")).toEqual([1, 1]);
  });
});

describe("respawn after respawnTicks, with full health", () => {
  it("an NPC respawns at its home cell", () => {
    const sim = statsSimulation(["#######", "#n....#", "#######"], { n: M });
    tickWith(sim, [["n", "E"]]);
    setHealth(sim, "n", 0); // after tick 1: respawnAt = 2 + RESPAWN
    const waiting = idle(sim, RESPAWN);
    expect(waiting.some((e) => e.type === "respawned")).toBe(false);
    expect(sim.world.tick).toBe(1 + RESPAWN);
    expect(positionOf(sim.world, "n")).toEqual([2, 1]);

    const result = stepSimulation(sim);
    checkInvariants(sim.world);
    expect(result.tick).toBe(2 + RESPAWN);
    expect(result.events).toContainEqual({ type: "respawned", actorId: "n", x: 1, y: 1 });
    expect(result.events).toContainEqual({ type: "stats", actorId: "n" });
    expect(positionOf(sim.world, "n")).toEqual([1, 1]);
    expect(health(sim.world, "n")).toBe(100);
    expect(sim.world.byId.get("n")!.respawnAt).toBe(-1);
    expect(submitInput(sim, { type: "act", actorId: "n", kind: "move", payload: { dir: "E" } }).ok).toBe(true);
  });

  it("an NPC whose home is occupied waits until it is free", () => {
    const sim = statsSimulation(["#######", "#n....#", "#q....#", "#######"], { n: M, q: M });
    tickWith(sim, [["n", "E"]]);
    setHealth(sim, "n", 0);
    tickWith(sim, [["q", "N"]]); // q takes n's home in tick 2
    idle(sim, RESPAWN); // through tick 2 + RESPAWN, when n is due
    expect(sim.world.tick).toBe(2 + RESPAWN);
    expect(sim.world.byId.get("n")!.respawnAt).toBe(2 + RESPAWN);
    expect(health(sim.world, "n")).toBe(0);
    expect(idle(sim, 3).some((e) => e.type === "respawned")).toBe(false);

    tickWith(sim, [["q", "S"]]); // respawns run before the pipeline: the home is still taken in this tick
    const result = stepSimulation(sim);
    expect(result.events).toContainEqual({ type: "respawned", actorId: "n", x: 1, y: 1 });
    expect(health(sim.world, "n")).toBe(100);
    checkInvariants(sim.world);
  });

  it("a player respawns at the first free spawn point", () => {
    const sim = statsSimulation(["#######", "#S...S#", "#######"], {});
    submitOk(sim, { type: "join", actorId: "", name: "ann" });
    expect(positionOf(sim.world, "player-1")).toEqual([1, 1]);
    tickWith(sim, [["player-1", "E"]]);
    submitOk(sim, { type: "join", actorId: "", name: "bob" }); // takes the first spawn point
    expect(positionOf(sim.world, "player-2")).toEqual([1, 1]);
    setHealth(sim, "player-1", 0);
    const events = idle(sim, RESPAWN + 1);
    expect(events).toContainEqual({ type: "respawned", actorId: "player-1", x: 5, y: 1 });
    expect(positionOf(sim.world, "player-1")).toEqual([5, 1]);
    expect(health(sim.world, "player-1")).toBe(100);
  });

  it("a player respawns at the first spawn point in reading order when it is free, wherever it fell", () => {
    const sim = statsSimulation(["#######", "#S...S#", "#######"], {});
    submitOk(sim, { type: "join", actorId: "", name: "ann" });
    tickWith(sim, [["player-1", "E"]]);
    tickWith(sim, [["player-1", "E"]]);
    setHealth(sim, "player-1", 0);
    expect(idle(sim, RESPAWN + 1)).toContainEqual({ type: "respawned", actorId: "player-1", x: 1, y: 1 });
    expect(positionOf(sim.world, "player-1")).toEqual([1, 1]);
  });

  it("respawn restores health, drops health modifiers and keeps the others", () => {
    const sim = statsSimulation(["#####", "#n..#", "#####"], { n: M });
    const modify = (stat: string, value: number): void =>
      submitOk(sim, { type: "modify", actorId: "n", modifier: { source: "curse", stat, op: "add", value, duration: "infinite" } });
    modify("attributes.health", -30);
    modify("combat_skills.strength", 10);
    setHealth(sim, "n", 20);
    expect(sim.world.byId.get("n")!.respawnAt).toBe(1 + RESPAWN);
    idle(sim, RESPAWN + 1);
    expect(health(sim.world, "n")).toBe(100);
    expect(stat(sim.world, "n", "combat_skills.strength")).toBe(60);
    expect(sim.world.byId.get("n")!.stats.modifiers.map((m) => m.axis)).toEqual([sim.world.layout.indexOf.get("combat_skills.strength")]);
  });
});

describe("set-stats: runtime overrides", () => {
  const rejected = (values: StatValues, message: RegExp) => {
    const sim = asciiSimulation(["#####", "#p..#", "#####"], { p: M });
    const before = hashWorld(sim.world);
    const effective = [...sim.world.byId.get("p")!.effective];
    const result = submitInput(sim, { type: "set-stats", actorId: "p", values });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe("command/invalid");
      expect(result.message).toMatch(message);
    }
    expect(hashWorld(sim.world)).toBe(before);
    expect([...sim.world.byId.get("p")!.effective]).toEqual(effective);
    expect(sim.pending).toEqual([]);
  };

  it("rejects an unknown stat, naming it", () => {
    rejected({ combat_skills: { wisdom: 5 } }, /unknown stat "combat_skills\.wisdom"/);
    rejected({ magic: { mana: 5 } }, /unknown stat "magic\.mana"/);
    rejected({ relationships: { affinity: 5 } }, /unknown stat "relationships\.affinity"/);
  });

  it("rejects a value outside the axis or not an integer, naming the stat and the value", () => {
    rejected({ attributes: { health: 101 } }, /attributes\.health: 101 is outside \[0, 100\]/);
    rejected({ combat_skills: { strength: -1 } }, /combat_skills\.strength: -1 is outside \[0, 100\]/);
    rejected({ combat_skills: { strength: 50.5 } }, /combat_skills\.strength: 50\.5 .*not an integer/);
  });

  it("changes nothing when one of several values is bad, even the good ones before it", () => {
    rejected({ attributes: { health: 40, stamina: 500 } }, /attributes\.stamina: 500/);
  });

  it("rejects an unknown actor with command/no-actor", () => {
    const sim = asciiSimulation(["#####", "#p..#", "#####"], { p: M });
    expect(submitInput(sim, { type: "set-stats", actorId: "ghost", values: { attributes: { health: 5 } } })).toMatchObject({ ok: false, code: "command/no-actor" });
  });

  it("a valid one changes the effective stats and the hash, and is journaled", () => {
    const sim = asciiSimulation(["#####", "#p..#", "#####"], { p: M });
    const before = hashWorld(sim.world);
    const input: Input = { type: "set-stats", actorId: "p", values: { attributes: { health: 65 }, combat_skills: { strength: 90 } } };
    submitOk(sim, input);
    expect(hashWorld(sim.world)).not.toBe(before);
    expect([health(sim.world, "p"), stat(sim.world, "p", "combat_skills.strength")]).toEqual([65, 90]);
    expect(stepSimulation(sim).inputs).toEqual([input]);
    checkInvariants(sim.world);
  });
});

describe("modify: modifiers through the core", () => {
  const buff: Input = { type: "modify", actorId: "p", modifier: { source: "potion", stat: "combat_skills.strength", op: "add", value: 20, duration: { ticks: 3 } } };

  it("a timed modifier expires on the tick boundary: active while tick < appliedTick + ticks, then back", () => {
    const sim = asciiSimulation(["#####", "#p..#", "#####"], { p: M });
    idle(sim, 2);
    submitOk(sim, buff);
    const applied = sim.world.byId.get("p")!.stats.modifiers[0]!;
    expect(applied).toMatchObject({ appliedTick: 3, expiresAt: 6 });
    expect(stat(sim.world, "p", "combat_skills.strength")).toBe(70);
    const seen: Array<[number, number, boolean]> = [];
    for (let i = 0; i < 4; i++) {
      const result = stepSimulation(sim);
      seen.push([result.tick, stat(sim.world, "p", "combat_skills.strength"), result.events.some((e) => e.type === "stats" && e.actorId === "p")]);
    }
    expect(seen).toEqual([
      [3, 70, false],
      [4, 70, false],
      [5, 70, false],
      [6, 50, true],
    ]);
    expect(sim.world.modified.size).toBe(0);
  });

  it("the expiry lands on the same tick when the journal is replayed", () => {
    const sim = asciiSimulation(["#######", "#px...#", "#######"], { p: M, x: A });
    const original: number[] = [];
    for (let t = 1; t <= 10; t++) {
      if (t === 2) submitOk(sim, buff);
      if (t === 3) submitOk(sim, { ...buff, modifier: { ...buff.modifier, source: "elixir", op: "multiply", value: 1.2, duration: { ticks: 4 } } } as Input);
      if (t === 6) submitOk(sim, { type: "act", actorId: "p", kind: "move", payload: { dir: "E" } });
      stepSimulation(sim);
      original.push(stat(sim.world, "p", "combat_skills.strength"));
    }
    // The buff (in effect in ticks 2–4) and the elixir (ticks 3–6) overlap in ticks 3 and 4.
    expect(original).toEqual([50, 70, 84, 84, 60, 60, 50, 50, 50, 50]);
    expect(health(sim.world, "p")).toBe(94);

    const entries = journalEntries(sim.journal);
    const replay = createSimulation(createWorld(defineAsciiWorld(["#######", "#px...#", "#######"], { p: M, x: A }), TEST_RULES));
    const replayed: number[] = [];
    for (const entry of entries) {
      expect(replayJournal(replay, [entry])).toEqual({ replayed: 1, divergences: [] });
      replayed.push(stat(replay.world, "p", "combat_skills.strength"));
    }
    expect(replayed).toEqual(original);
    expect(hashWorld(replay.world)).toBe(hashWorld(sim.world));
  });

  it("an instant modify writes the runtime value at once; one that takes health to 0 downs the actor", () => {
    const sim = asciiSimulation(["#####", "#p..#", "#####"], { p: M });
    submitOk(sim, { type: "modify", actorId: "p", modifier: { source: "trap", stat: "attributes.health", op: "add", value: -40, duration: "instant" } });
    expect(health(sim.world, "p")).toBe(60);
    expect(sim.world.modified.size).toBe(0);
    submitOk(sim, { type: "modify", actorId: "p", modifier: { source: "trap", stat: "attributes.health", op: "add", value: -80, duration: "instant" } });
    expect(health(sim.world, "p")).toBe(0);
    expect(sim.world.byId.get("p")!.respawnAt).toBe(101);
  });

  it("rejects an unknown stat or a bad duration, naming the actor and the problem, changing nothing", () => {
    const sim = asciiSimulation(["#####", "#p..#", "#####"], { p: M });
    const before = hashWorld(sim.world);
    const bad: Array<[Input, RegExp]> = [
      [{ ...buff, modifier: { ...buff.modifier, stat: "combat_skills.wisdom" } } as Input, /^p: unknown stat "combat_skills\.wisdom"$/],
      [{ ...buff, modifier: { ...buff.modifier, duration: { ticks: 0 } } } as Input, /^p: duration must be a positive whole number of ticks$/],
    ];
    for (const [input, message] of bad) {
      const result = submitInput(sim, input);
      expect(result).toMatchObject({ ok: false, code: "command/invalid" });
      if (!result.ok) expect(result.message).toMatch(message);
    }
    expect(hashWorld(sim.world)).toBe(before);
    expect(sim.world.byId.get("p")!.stats.modifiers).toEqual([]);
    expect(sim.pending).toEqual([]);
  });
});

describe("regressions", () => {
  it("an actor downed mid-tick by a retaliation drops its own queued move; the tick completes", () => {
    const sim = asciiSimulation(["######", "#abx.#", "#....#", "######"], { a: M, b: M, x: A });
    submitOk(sim, { type: "set-stats", actorId: "b", values: { attributes: { health: 6 } } });
    stepSimulation(sim);
    submitOk(sim, { type: "act", actorId: "a", kind: "move", payload: { dir: "E" } });
    submitOk(sim, { type: "act", actorId: "b", kind: "move", payload: { dir: "S" } });
    const result = stepSimulation(sim);
    checkInvariants(sim.world);
    expect(result.events).toContainEqual({ type: "downed", actorId: "b", respawnAt: result.tick + 100 });
    expect(positionOf(sim.world, "b")).toEqual([2, 1]);
  });

  it("a lapsing buff that held health above 0 downs the actor when it expires", () => {
    const sim = asciiSimulation(["#####", "#p..#", "#####"], { p: M });
    submitOk(sim, { type: "set-stats", actorId: "p", values: { attributes: { health: 1 } } });
    submitOk(sim, { type: "modify", actorId: "p", modifier: { source: "shield", stat: "attributes.health", op: "add", value: 50, duration: { ticks: 2 } } });
    submitOk(sim, { type: "modify", actorId: "p", modifier: { source: "poison", stat: "attributes.health", op: "add", value: -1, duration: "instant" } });
    expect(health(sim.world, "p")).toBe(50);
    expect(sim.world.byId.get("p")!.respawnAt).toBe(-1);
    stepSimulation(sim);
    const expired = stepSimulation(sim);
    expect(expired.events.some((e) => e.type === "downed" && e.actorId === "p")).toBe(false);
    const next = stepSimulation(sim);
    expect(next.events).toContainEqual({ type: "downed", actorId: "p", respawnAt: next.tick + 100 });
  });
});
