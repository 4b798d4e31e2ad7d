/**
 * Measuring aids for the sync benchmark, all outside the timed path:
 * - a visibility probe that recomputes, from geometry alone, what each client should see after a
 *   tick (the same rule as rooms/interest.ts: Euclidean distance ≤ radius around the client's own
 *   actor, radius 0 = everything) and counts visible, changed-and-visible, entering and leaving
 *   actors per client;
 * - a cross-check of the InterestManager's own visible sets against that geometry.
 */
import type { Actor, TickResult, World } from "../../src/core/index.ts";
import { forEachNear, withinRadius } from "../../src/core/spatial-hash.ts";
import { LEAVE_MARGIN, type InterestManager } from "../../rooms/interest.ts";

/** Per-client means over the probed ticks. */
export interface VisibilityCounts {
  visible: number;
  changedVisible: number;
  enters: number;
  leaves: number;
}

export interface VisibilityProbe {
  /** Marks the tick's changed actors and updates every client's counts; `count` false only stamps. */
  observe(result: TickResult, count: boolean): void;
  /** Means per client per counted tick. */
  means(): VisibilityCounts;
  /** Distinct actors changed (moved, respawned or stats) in the last observed tick. */
  readonly lastChanged: number;
}

/**
 * A probe over `world` for the clients whose actors are `players`. `capacity` bounds the actor slots
 * (the probe keeps one Int32Array of that length per client, so keep it to the run's actors).
 */
export function createVisibilityProbe(world: World, players: readonly Actor[], radius: number, capacity: number): VisibilityProbe {
  const changedAt = new Int32Array(capacity).fill(-1);
  const lastSeen = radius === 0 ? [] : players.map(() => new Int32Array(capacity).fill(-1));
  const visibleBefore = new Int32Array(players.length);
  const totals: VisibilityCounts = { visible: 0, changedVisible: 0, enters: 0, leaves: 0 };
  let counted = 0;
  let lastChanged = 0;
  const probe: VisibilityProbe = {
    get lastChanged() {
      return lastChanged;
    },
    observe(result, count) {
      lastChanged = markChanged(world, result, changedAt);
      if (radius === 0) {
        if (count) addCounts(totals, { visible: world.order.length * players.length, changedVisible: lastChanged * players.length, enters: 0, leaves: 0 });
      } else {
        const sums: VisibilityCounts = { visible: 0, changedVisible: 0, enters: 0, leaves: 0 };
        players.forEach((player, i) => {
          const seen = countAround({ world, player, radius, tick: result.tick, changedAt, lastSeen: lastSeen[i]! });
          addCounts(sums, { ...seen, leaves: visibleBefore[i]! + seen.enters - seen.visible });
          visibleBefore[i] = seen.visible;
        });
        if (count) addCounts(totals, sums);
      }
      if (count) counted += players.length;
    },
    means() {
      const n = Math.max(1, counted);
      return { visible: totals.visible / n, changedVisible: totals.changedVisible / n, enters: totals.enters / n, leaves: totals.leaves / n };
    },
  };
  return probe;
}

function markChanged(world: World, result: TickResult, changedAt: Int32Array): number {
  let distinct = 0;
  for (const event of result.events) {
    if (event.type !== "moved" && event.type !== "respawned" && event.type !== "stats") continue;
    const actor = world.byId.get(event.actorId);
    if (!actor || changedAt[actor.slot] === result.tick) continue;
    changedAt[actor.slot] = result.tick;
    distinct++;
  }
  return distinct;
}

interface AroundQuery {
  world: World;
  player: Actor;
  radius: number;
  tick: number;
  changedAt: Int32Array;
  lastSeen: Int32Array;
}

function countAround(q: AroundQuery): Omit<VisibilityCounts, "leaves"> {
  let visible = 0;
  let changedVisible = 0;
  let enters = 0;
  const { player, radius, tick, changedAt, lastSeen } = q;
  forEachNear(q.world.spatial, player.x, player.y, radius, (actor) => {
    if (!withinRadius(player.x, player.y, actor.x, actor.y, radius)) return;
    visible++;
    if (changedAt[actor.slot] === tick) changedVisible++;
    if (lastSeen[actor.slot] !== tick - 1) enters++;
    lastSeen[actor.slot] = tick;
  });
  return { visible, changedVisible, enters };
}

function addCounts(into: VisibilityCounts, add: VisibilityCounts): void {
  into.visible += add.visible;
  into.changedVisible += add.changedVisible;
  into.enters += add.enters;
  into.leaves += add.leaves;
}

/**
 * Clients whose InterestManager view breaks the area-of-interest rule: an actor within `radius`
 * missing from the view, or one in the view beyond `radius` + LEAVE_MARGIN (hysteresis allows
 * anything in between). Radius 0 = every actor must be in every view.
 */
export function countInterestMismatches(interest: InterestManager, world: World, players: readonly Actor[], radius: number): number {
  let mismatches = 0;
  for (const player of players) {
    const ids = interest.visibleIds(player.id);
    if (!ids) {
      mismatches++;
      continue;
    }
    const visible = new Set(ids);
    let wrong = visible.size !== ids.length;
    if (radius === 0) wrong ||= visible.size !== world.order.length;
    else {
      forEachNear(world.spatial, player.x, player.y, radius, (a) => {
        if (withinRadius(player.x, player.y, a.x, a.y, radius) && !visible.has(a.id)) wrong = true;
      });
      for (const id of visible) {
        const a = world.byId.get(id);
        if (!a || !withinRadius(player.x, player.y, a.x, a.y, radius + LEAVE_MARGIN)) wrong = true;
      }
    }
    if (wrong) mismatches++;
  }
  return mismatches;
}
