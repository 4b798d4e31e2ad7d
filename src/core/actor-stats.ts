/**
 * Stats in the world (issue 3): keeping each actor's effective stats, its share of the state hash
 * and the world's bookkeeping (actors with modifiers, downed actors) in step with every change.
 *
 * Retaliation damage (an Aggressive actor refusing a push hits the pusher):
 *   damage = max(1, floor(strength × 100 / (100 + defense) / 5))
 * with the Aggressive actor's `combat_skills.strength` and the pusher's `combat_skills.defense`
 * (0 where the world has no such axis): 50 vs 50 deals 6, 90 vs 50 deals 12. It is an instant
 * modifier on `attributes.health` with source `retaliation:<aggressive id>`; a world without that
 * axis deals none. At health 0 an actor is downed for `respawnTicks`, then respawns with full health:
 * a player at the first free spawn point, an NPC at its home cell (it waits while that is occupied).
 */
import { hashString, accountActor } from "./hash.ts";
import { clampToSlot, normalizeStats } from "../stats/layout.ts";
import { applyModifier, computeEffective, expireModifiers, removeModifiersBySource } from "../stats/stat-state.ts";
import type { ModifierSpec, StatValues } from "../stats/types.ts";
import type { Actor, Result, TickEvent, World } from "./types.ts";

export const HEALTH = "attributes.health";
export const STRENGTH = "combat_skills.strength";
export const DEFENSE = "combat_skills.defense";

/** Runs `mutate` on an actor's stats, then refreshes its effective values, hash share and status. */
export function changeStats(world: World, actor: Actor, mutate: () => void, events?: TickEvent[]): void {
  accountActor(world, actor, -1);
  mutate();
  refreshStats(world, actor);
  accountActor(world, actor, 1);
  if (actor.stats.modifiers.length > 0) world.modified.add(actor);
  else world.modified.delete(actor);
  events?.push({ type: "stats", actorId: actor.id });
}

/** Recomputes `effective` and `statsHash` (no hash accounting: callers bracket it). */
export function refreshStats(world: World, actor: Actor): void {
  computeEffective(world.layout, actor.stats, actor.effective);
  actor.statsHash = hashStats(actor);
}

function hashStats(actor: Actor): number {
  let h = 0x9e3779b9 ^ actor.respawnAt;
  const { base, runtime, modifiers } = actor.stats;
  for (let i = 0; i < base.length; i++) {
    h = Math.imul(h ^ base[i]!, 0x01000193);
    h = Math.imul(h ^ (Number.isNaN(runtime[i]!) ? -0x7fff : runtime[i]!), 0x01000193);
  }
  for (const m of modifiers) {
    h = Math.imul(h ^ hashString(`${m.source}|${m.axis}|${m.op}|${m.value}|${m.stacks}|${m.expiresAt}`), 0x01000193);
  }
  return h | 0;
}

/** Applies a modifier to an actor in tick `tick`; downs it if its health reached 0. */
export function modifyActor(world: World, actor: Actor, spec: ModifierSpec, tick: number, events?: TickEvent[]): Result<Actor> {
  let problem: string | undefined;
  changeStats(world, actor, () => {
    const applied = applyModifier(world.layout, actor.stats, spec, tick);
    if (!applied.ok) problem = applied.problem;
  }, events);
  if (problem !== undefined) return { ok: false, code: "command/invalid", message: `${actor.id}: ${problem}` };
  downIfDead(world, actor, tick, events);
  return { ok: true, value: actor };
}

/**
 * Removes every modifier of `actor` with `source` in tick `tick` (an unequipped item's); an actor
 * whose health a removed buff was holding above 0 is downed. Returns how many were removed.
 */
export function removeActorModifiers(world: World, actor: Actor, source: string, tick: number, events?: TickEvent[]): number {
  let removed = 0;
  changeStats(world, actor, () => {
    removed = removeModifiersBySource(actor.stats, source);
  }, events);
  downIfDead(world, actor, tick, events);
  return removed;
}

/**
 * Sets runtime overrides (admin, seed 004 §2.3). Rejects, changing nothing, an unknown stat or a value
 * outside the axis's bounds, naming which.
 */
export function setRuntimeStats(world: World, actor: Actor, values: StatValues, tick: number, events?: TickEvent[]): Result<Actor> {
  const updates: Array<[number, number]> = [];
  for (const [definition, axes] of Object.entries(values)) {
    for (const [axis, value] of Object.entries(axes)) {
      const i = world.layout.indexOf.get(`${definition}.${axis}`);
      if (i === undefined) return { ok: false, code: "command/invalid", message: `unknown stat "${definition}.${axis}"` };
      const slot = world.layout.slots[i]!;
      if (!Number.isInteger(value) || value < slot.min || value > slot.max) {
        return { ok: false, code: "command/invalid", message: `${definition}.${axis}: ${value} is outside [${slot.min}, ${slot.max}] or not an integer` };
      }
      updates.push([i, value]);
    }
  }
  changeStats(world, actor, () => {
    for (const [i, value] of updates) actor.stats.runtime[i] = value;
  }, events);
  downIfDead(world, actor, tick, events);
  return { ok: true, value: actor };
}

/** The damage `attacker` deals `defender` when retaliating (formula above). */
export function retaliationDamage(world: World, attacker: Actor, defender: Actor): number {
  const strength = valueOf(world, attacker, STRENGTH);
  const defense = valueOf(world, defender, DEFENSE);
  return Math.max(1, Math.floor((strength * 100) / (100 + defense) / 5));
}

/** An Aggressive actor hits the pusher; returns the damage dealt (0 without a health axis). */
export function retaliate(world: World, attacker: Actor, pusher: Actor, tick: number, events: TickEvent[]): number {
  if (!world.layout.indexOf.has(HEALTH) || pusher.respawnAt >= 0) return 0;
  const damage = retaliationDamage(world, attacker, pusher);
  modifyActor(world, pusher, { source: `retaliation:${attacker.id}`, stat: HEALTH, op: "add", value: -damage, duration: "instant" }, tick, events);
  return damage;
}

function valueOf(world: World, actor: Actor, key: string): number {
  const i = world.layout.indexOf.get(key);
  return i === undefined ? 0 : actor.effective[i]!;
}

function downIfDead(world: World, actor: Actor, tick: number, events?: TickEvent[]): void {
  const i = world.layout.indexOf.get(HEALTH);
  if (i === undefined || actor.respawnAt >= 0 || actor.effective[i]! > 0) return;
  changeStats(world, actor, () => {
    actor.respawnAt = tick + world.respawnTicks;
    actor.queue = null;
  });
  world.queued.splice(0, world.queued.length, ...world.queued.filter((a) => a !== actor));
  world.downed.add(actor);
  events?.push({ type: "downed", actorId: actor.id, respawnAt: actor.respawnAt });
}

/**
 * Expires modifiers whose time is up at the start of tick `tick`, in pipeline order; an actor whose
 * health a lapsed buff was holding above 0 is downed.
 */
export function expireWorldModifiers(world: World, tick: number, events: TickEvent[]): void {
  const due = [...world.modified].filter((a) => a.stats.modifiers.some((m) => m.expiresAt <= tick)).sort((a, b) => a.rank - b.rank);
  for (const actor of due) {
    changeStats(world, actor, () => expireModifiers(actor.stats, tick), events);
    downIfDead(world, actor, tick, events);
  }
}

/**
 * Respawns downed actors due in tick `tick`, in pipeline order, with full health; one whose
 * respawn cell is taken waits for a later tick. `place` moves an actor to a free cell.
 */
export function respawnDue(world: World, tick: number, events: TickEvent[], place: (actor: Actor) => [number, number] | undefined): void {
  const due = [...world.downed].filter((a) => a.respawnAt <= tick).sort((a, b) => a.rank - b.rank);
  const health = world.layout.indexOf.get(HEALTH);
  for (const actor of due) {
    const cell = place(actor);
    if (!cell) continue;
    world.downed.delete(actor);
    changeStats(world, actor, () => {
      actor.respawnAt = -1;
      if (health !== undefined) {
        actor.stats.runtime[health] = clampToSlot(world.layout.slots[health]!, world.layout.slots[health]!.max);
        actor.stats.modifiers.splice(0, actor.stats.modifiers.length, ...actor.stats.modifiers.filter((m) => m.axis !== health));
      }
    }, events);
    events.push({ type: "respawned", actorId: actor.id, x: cell[0], y: cell[1] });
  }
}

/**
 * An actor's effective stats of one definition, normalized (seed 004 §2.3: `GET /npcs/:id/stats/:type`):
 * `{ strength: 90, strengthTierId: "expert", … }`. Rejects `stats/unknown-type` for a definition the
 * world lacks or one that is per-entity.
 */
export function describeActorStats(world: World, actor: Actor, definition: string): Result<Record<string, number | string>> {
  const { definitions } = world.layout.config;
  const def = Object.hasOwn(definitions, definition) ? definitions[definition] : undefined;
  if (!def || def.perEntity) {
    const known = Object.keys(world.layout.config.definitions).filter((d) => !world.layout.config.definitions[d]!.perEntity);
    return { ok: false, code: "stats/unknown-type", message: `no entity stat definition "${definition}" in world ${world.id} (have: ${known.join(", ")})` };
  }
  const values: Record<string, number> = {};
  world.layout.slots.forEach((slot, i) => {
    if (slot.definition === definition) values[slot.axis] = actor.effective[i]!;
  });
  return { ok: true, value: normalizeStats(world.layout.config, definition, values) };
}
