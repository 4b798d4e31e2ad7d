/**
 * Crime flags (issue 10 "stealth", "crimes"; seed 000 §3): the stealth plugin's state on an actor,
 * `{ crimes: { pickpocket: [{ victimId, day, hour, minute }] } }`, one entry per detected crime with
 * the game time it was seen. For a player it is kept in its session with the rest of its plugin
 * state (`session.pluginState.stealth.crimes.pickpocket`). Written only by the effects below, inside
 * the tick's undo log: `stealth-crime` adds one, `clear-crimes` clears the listed crime types.
 */
import { actorStateOf, setActorState, type Actor, type PlainData } from "../../src/core/index.ts";
import type { EffectKind } from "../interactions/contract.ts";

export const STEALTH = "stealth";

/** One detected crime. */
export interface CrimeRecord {
  readonly victimId: string;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

export type Crimes = Readonly<Record<string, readonly CrimeRecord[]>>;

/** The actor's crime flags by crime type (empty when none). */
export function crimesOf(actor: Actor): Crimes {
  return ((actorStateOf(actor, STEALTH) as { crimes?: Crimes } | undefined)?.crimes ?? {}) as Crimes;
}

/** True when the actor has any flag of `crimeTypes`. */
export function hasCrimes(actor: Actor, crimeTypes: readonly string[]): boolean {
  const crimes = crimesOf(actor);
  return crimeTypes.some((type) => (crimes[type]?.length ?? 0) > 0);
}

/** Effects: `{ kind: "stealth-crime", actorId, crime, victimId, day, hour, minute }`, `{ kind: "clear-crimes", actorId, crimeTypes }`. */
export const CRIME_EFFECTS: readonly EffectKind[] = [
  {
    kind: "stealth-crime",
    apply(ctx, effect) {
      const { actorId, crime, victimId, day, hour, minute } = effect as unknown as { actorId: string; crime: string; victimId: string; day: number; hour: number; minute: number };
      const actor = ctx.world.byId.get(actorId);
      if (actor === undefined) return `no actor "${actorId}"`;
      const crimes = crimesOf(actor);
      const record: CrimeRecord = { victimId, day, hour, minute };
      write(ctx, actor, { ...crimes, [crime]: [...(crimes[crime] ?? []), record] });
      return null;
    },
  },
  {
    kind: "clear-crimes",
    apply(ctx, effect) {
      const { actorId, crimeTypes } = effect as unknown as { actorId: string; crimeTypes: readonly string[] };
      const actor = ctx.world.byId.get(actorId);
      if (actor === undefined) return `no actor "${actorId}"`;
      const kept = Object.fromEntries(Object.entries(crimesOf(actor)).filter(([type]) => !crimeTypes.includes(type)));
      write(ctx, actor, kept);
      return null;
    },
  },
];

function write(ctx: Parameters<EffectKind["apply"]>[0], actor: Actor, crimes: Record<string, readonly CrimeRecord[]>): void {
  const state = (actorStateOf(actor, STEALTH) ?? {}) as Record<string, PlainData>;
  const next = Object.keys(crimes).length > 0 ? { ...state, crimes: crimes as unknown as PlainData } : Object.fromEntries(Object.entries(state).filter(([key]) => key !== "crimes"));
  setActorState(ctx.world, actor, STEALTH, Object.keys(next).length > 0 ? next : undefined, ctx.tick.undo);
}
