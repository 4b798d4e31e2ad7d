/**
 * The replay engine: restores a plan's base (plan.ts) with the server's rules and replays its
 * journal entries one tick at a time (the core's `replayEntry`, the same code a world runs when it
 * opens, world-host.ts), as a generator, so the CLI runs it straight through and the admin route
 * yields to the event loop between batches of ticks.
 *
 * A kept snapshot inside the range normally holds exactly the state the replay reached. One written
 * when a room closed also holds the inputs applied after its last tick (the leaves of the players
 * who left last), which no journal entry records; the server resumed from that snapshot, so the
 * replay does too, once the tick itself verified (`rebased`). The last tick replayed is never
 * rebased: what the replay reaches is the journal's state of that tick.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { createSimulation, createWorld, replayEntry, type ReplayedTick, type Simulation, type WorldRules } from "../../core/index.ts";
import { restoreStoredWorld, SERVER_JOURNAL_WINDOW } from "../world-host.ts";
import type { ReplayPlan } from "./plan.ts";

export interface ReplayStep extends ReplayedTick {
  /** True when the replay went on from the kept snapshot of this tick (see the module header). */
  rebased: boolean;
}

export interface Replay {
  /** The simulation as replayed so far (replaced when the replay continues from a snapshot). */
  readonly sim: Simulation;
  /** Replays the plan's entries, one step per tick; ends after a gap in the journal. */
  steps(): Generator<ReplayStep>;
}

/** A replay of `plan` with `rules` (the server's, `services.plugins.rules`, or traced ones). */
export function startReplay(plan: ReplayPlan, rules: WorldRules): Replay {
  const { def } = plan;
  let sim = createSimulation(plan.base ? restoreStoredWorld(def, plan.base, rules) : createWorld(def, rules), SERVER_JOURNAL_WINDOW);
  const kept = new Map(plan.snapshots.map((s) => [s.snapshot.tick, s]));
  return {
    get sim() {
      return sim;
    },
    *steps() {
      const last = plan.entries.at(-1)?.tick;
      for (const entry of plan.entries) {
        const replayed = replayEntry(sim, entry);
        const snapshot = entry.tick === last ? undefined : kept.get(entry.tick);
        const rebased = snapshot !== undefined && replayed.problems.length === 0 && snapshot.hash !== replayed.result!.hash;
        if (rebased) sim = createSimulation(restoreStoredWorld(def, snapshot, rules), SERVER_JOURNAL_WINDOW);
        yield { ...replayed, rebased };
        if (replayed.result === undefined) return;
      }
    },
  };
}

/** Runs `each` over `steps`, yielding to the event loop every `every` steps (a route must not stall the rooms). */
export async function forEachPaced<T>(steps: Iterable<T>, each: (step: T) => void, every = 100): Promise<void> {
  let count = 0;
  for (const step of steps) {
    each(step);
    if (++count % every === 0) await nextTurn();
  }
}
