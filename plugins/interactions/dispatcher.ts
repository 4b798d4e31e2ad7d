/**
 * The interaction dispatcher's rules (issue 10 "The dispatcher", seed 000): the registry of
 * interactions and effect kinds, the slots of each world's NPCs, the checks an attempt must pass,
 * and the run of one attempt inside the tick. plugins/interactions/index.ts wires it into the
 * server (the `interact` action kind, its edge, replies, audit, routes).
 *
 * Checks, in order, each with its code (the README's "Interaction protocol"):
 * `interaction/unknown-target` (no such actor in this world), `interaction/unknown-slot` (no such
 * slot, or no slot of that interaction, on the target), `interaction/ambiguous-slot` (several slots
 * of that interaction: name the slot), `interaction/downed` (actor or target downed),
 * `interaction/not-adjacent` (4-neighbourhood; server jobs skip it), `interaction/not-available`
 * (the interaction's own `isAvailable` reason). A refused attempt changes nothing.
 */
import { z } from "zod";
import { gameTimeAt, type Actor, type ActorAction, type GameTime, type MethodOutcome, type TickContext, type World } from "../../src/core/index.ts";
import { nextFloat } from "../../src/core/rng.ts";
import type { AvailabilityContext, Effect, EffectKind, Interaction, InteractionContext, InteractionResult, InteractionSource, SlotDef } from "./contract.ts";

/** Ids of interactions, slots and effect kinds: 1–64 of `a-z 0-9 _ -`. */
export const INTERACTION_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The `interact` payload a client may send: exactly these fields (seed 000 "Validation & Anti-Cheat"). */
export const clientPayloadSchema = z
  .strictObject({
    targetId: z.string().min(1).max(64),
    slotId: z.string().regex(INTERACTION_ID).optional(),
    interactionId: z.string().regex(INTERACTION_ID).optional(),
  })
  .refine((p) => (p.slotId === undefined) !== (p.interactionId === undefined), { message: "give exactly one of slotId and interactionId" });

export type ClientPayload = z.output<typeof clientPayloadSchema>;

/** What the `interact` action carries in the journal: the client's intent, or a server attempt's. */
export interface InteractPayload {
  targetId: string;
  slotId?: string;
  interactionId?: string;
  /** Server attempts only (a job's stored config). */
  config?: unknown;
  /** Absent for a client's. */
  source?: Exclude<InteractionSource, "client">;
}

/** A slot with its config parsed by its interaction's schema. */
export interface ResolvedSlot {
  readonly slotId: string;
  readonly interaction: Interaction<unknown>;
  readonly config: unknown;
}

/** A refusal: a code of the dispatcher's and a message naming what was wrong. */
export interface Refusal {
  readonly code: InteractionCode;
  readonly message: string;
}

export const INTERACTION_ERRORS = {
  "interaction/forbidden-field": { message: "an interact message may carry only targetId and slotId or interactionId: configs, chances and results live on the server", status: 400 },
  "interaction/unknown-target": { message: "no such actor in this world", status: 404 },
  "interaction/unknown-slot": { message: "the target has no such interaction slot", status: 404 },
  "interaction/ambiguous-slot": { message: "the target has several slots of this interaction: send slotId", status: 409 },
  "interaction/not-adjacent": { message: "the target is not in one of the four cells next to the actor", status: 409 },
  "interaction/downed": { message: "the actor or the target is downed", status: 409 },
  "interaction/not-available": { message: "the interaction is not available now", status: 409 },
  "interaction/rate-limited": { message: "at most 2 interaction attempts per second per client", status: 429 },
  "interaction/already-queued": { message: "the actor already has an interaction waiting for the next tick", status: 409 },
  "interaction/effect-failed": { message: "an effect of the interaction failed: nothing it did was kept", status: 409 },
} as const;

export type InteractionCode = keyof typeof INTERACTION_ERRORS;

declare module "../../src/errors.ts" {
  interface PluginErrorCodes {
    "interaction/forbidden-field": true;
    "interaction/unknown-target": true;
    "interaction/unknown-slot": true;
    "interaction/ambiguous-slot": true;
    "interaction/not-adjacent": true;
    "interaction/downed": true;
    "interaction/not-available": true;
    "interaction/rate-limited": true;
    "interaction/already-queued": true;
    "interaction/effect-failed": true;
  }
}

/**
 * The `interaction` tick event: one attempt's outcome, in the tick it ran. `executed` carries the
 * result; `refused` (a check failed inside the tick) and `failed` (an effect failed; everything
 * rolled back) carry the code.
 */
export interface InteractionEvent {
  type: "interaction";
  actorId: string;
  targetId: string;
  source: InteractionSource;
  verdict: "executed" | "refused" | "failed";
  code?: string;
  message: string;
  interactionId?: string;
  slotId?: string;
  success?: boolean;
  effects: readonly Effect[];
  notify: NonNullable<InteractionResult["notify"]>;
  /** The `interact` action's payload as journaled (what the audit stores). */
  payload: InteractPayload;
}

declare module "../../src/core/events.ts" {
  interface TickEventMap {
    interaction: InteractionEvent;
  }
}

export class InteractionRegistry {
  readonly interactions = new Map<string, Interaction<unknown>>();
  readonly effects = new Map<string, EffectKind>();
  private readonly worlds = new WeakMap<World, WorldEntry>();
  /** The last world looked up: a server runs a handful, a tick asks for the same one a thousand times. */
  private last: WorldEntry | undefined;

  register<C>(interaction: Interaction<C>): void {
    if (!INTERACTION_ID.test(interaction.id)) throw new Error(`interaction id "${interaction.id}": 1–64 of a-z 0-9 _ -`);
    if (this.interactions.has(interaction.id)) throw new Error(`interaction "${interaction.id}" is registered already`);
    this.interactions.set(interaction.id, interaction as Interaction<unknown>);
  }

  registerEffect(kind: EffectKind): void {
    if (!INTERACTION_ID.test(kind.kind)) throw new Error(`effect kind "${kind.kind}": 1–64 of a-z 0-9 _ -`);
    if (this.effects.has(kind.kind)) throw new Error(`effect kind "${kind.kind}" is registered already`);
    this.effects.set(kind.kind, kind);
  }

  /**
   * Parses a stored config with its interaction's schema and `validateConfig`: the parsed config,
   * or problems as `path: message` (the path under `config`).
   */
  parseConfig(interactionId: string, config: unknown): { ok: true; value: unknown } | { ok: false; problems: Array<{ path: PropertyKey[]; message: string }> } {
    const interaction = this.interactions.get(interactionId);
    if (interaction === undefined) return { ok: false, problems: [{ path: [], message: `no interaction "${interactionId}" (registered: ${[...this.interactions.keys()].join(", ") || "none"})` }] };
    const parsed = interaction.configSchema.safeParse(config);
    if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })) };
    const error = interaction.validateConfig?.(parsed.data) ?? null;
    return error === null ? { ok: true, value: parsed.data } : { ok: false, problems: [{ path: [], message: error }] };
  }

  /** The world file's slots of each NPC, configs parsed (checked at start-up, so parsing succeeds). */
  slotsOf(world: World, npcId: string): readonly ResolvedSlot[] {
    return this.entryOf(world).slots.get(npcId) ?? NONE;
  }

  /** What the registry keeps per world: the slot index and the `random` interactions draw with. */
  private entryOf(world: World): WorldEntry {
    const last = this.last;
    if (last !== undefined && last.world === world) return last;
    let entry = this.worlds.get(world);
    if (entry === undefined) {
      entry = { world, slots: this.indexSlots(world), random: () => nextFloat(world.rng), gameTimeTick: -1, gameTime: undefined };
      this.worlds.set(world, entry);
    }
    this.last = entry;
    return entry;
  }

  /** The game time at `tick`, one (frozen) object per world and tick: a tick's thousand attempts share it. */
  private gameTimeOf(world: World, tick: number): GameTime {
    const entry = this.entryOf(world);
    if (entry.gameTimeTick !== tick) {
      entry.gameTime = Object.freeze(gameTimeAt(world.clock, world.tickRate, tick));
      entry.gameTimeTick = tick;
    }
    return entry.gameTime!;
  }

  private indexSlots(world: World): Map<string, readonly ResolvedSlot[]> {
    const index = new Map<string, ResolvedSlot[]>();
    for (const npc of world.def.npcs) {
      const section = npc.plugins?.["interactions"] as { slots?: SlotDef[] } | undefined;
      const slots: ResolvedSlot[] = [];
      for (const slot of section?.slots ?? []) {
        const parsed = this.parseConfig(slot.interactionId, slot.config);
        const interaction = this.interactions.get(slot.interactionId);
        if (parsed.ok && interaction) slots.push({ slotId: slot.slotId, interaction, config: parsed.value });
      }
      if (slots.length > 0) index.set(npc.id, slots);
    }
    return index;
  }

  /** Finds the slot an attempt names on `target`, or why not. Server attempts may name a bare interaction with a config. */
  resolveSlot(world: World, target: Actor, attempt: InteractPayload): ResolvedSlot | Refusal {
    if (attempt.config !== undefined && attempt.interactionId !== undefined) {
      const interaction = this.interactions.get(attempt.interactionId);
      const parsed = this.parseConfig(attempt.interactionId, attempt.config);
      if (interaction === undefined || !parsed.ok) return refusal("interaction/unknown-slot", `no usable interaction "${attempt.interactionId}" with this config`);
      return { slotId: `job:${interaction.id}`, interaction, config: parsed.value };
    }
    const slots = this.slotsOf(world, target.id);
    if (attempt.slotId !== undefined) {
      for (const slot of slots) if (slot.slotId === attempt.slotId) return slot;
      return refusal("interaction/unknown-slot", `${target.id} has no slot "${attempt.slotId}" (slots: ${slots.map((s) => s.slotId).join(", ") || "none"})`);
    }
    let found: ResolvedSlot | undefined;
    let count = 0;
    for (const slot of slots) {
      if (slot.interaction.id !== attempt.interactionId) continue;
      found ??= slot;
      count++;
    }
    if (found === undefined) return refusal("interaction/unknown-slot", `${target.id} has no slot of interaction "${attempt.interactionId}"`);
    if (count > 1) {
      const names = slots.filter((s) => s.interaction.id === attempt.interactionId).map((s) => s.slotId);
      return refusal("interaction/ambiguous-slot", `${target.id} has ${count} slots of "${attempt.interactionId}" (${names.join(", ")}): send slotId`);
    }
    return found;
  }

  /**
   * Every check of an attempt against the world as it is (see the module header): the slot and the
   * availability context, or the refusal. Pure: reads only. `tick` is the tick being computed (at
   * the edge: the next one).
   */
  check(world: World, tick: number, actor: Actor, attempt: InteractPayload): { ctx: AvailabilityContext<unknown>; slot: ResolvedSlot } | Refusal {
    const target = world.byId.get(attempt.targetId);
    if (target === undefined) return refusal("interaction/unknown-target", `no actor "${attempt.targetId}" in world ${world.id}`);
    const slot = this.resolveSlot(world, target, attempt);
    if ("code" in slot) return slot;
    if (actor.respawnAt >= 0 || target.respawnAt >= 0) return refusal("interaction/downed", `${actor.respawnAt >= 0 ? actor.id : target.id} is downed`);
    const serverJob = attempt.source === "schedule" || attempt.source === "admin";
    if (!serverJob && Math.abs(actor.x - target.x) + Math.abs(actor.y - target.y) !== 1) {
      return refusal("interaction/not-adjacent", `${target.id} at (${target.x}, ${target.y}) is not next to ${actor.id} at (${actor.x}, ${actor.y})`);
    }
    const ctx: AvailabilityContext<unknown> = {
      world,
      actor,
      target,
      slotId: slot.slotId,
      config: slot.config,
      gameTime: this.gameTimeOf(world, tick),
      source: attempt.source ?? "client",
    };
    const available = slot.interaction.isAvailable?.(ctx) ?? true;
    if (available !== true) return refusal("interaction/not-available", `${slot.interaction.id}: ${available}`);
    return { ctx, slot };
  }

  /**
   * Runs one `interact` action inside the tick: checks again (the world may have changed since the
   * edge admitted it), executes, applies the effects in order. Pushes one `interaction` event with
   * the verdict; returns `true`, or `rejected` when an effect failed (the pipeline then rolls back
   * every effect already applied).
   */
  run(ctx: TickContext, action: ActorAction): MethodOutcome {
    const payload = action.payload as InteractPayload;
    const { actor } = action;
    const source: InteractionSource = payload.source ?? "client";
    const checked = this.check(ctx.world, ctx.tick, actor, payload);
    if ("code" in checked) {
      ctx.events.push(interactionEvent(actor.id, payload, source, "refused", checked.code, checked.message, payload.interactionId, payload.slotId, undefined, NONE, NONE));
      return true;
    }
    const { slot, ctx: available } = checked;
    const world = ctx.world;
    // Spelled out, not spread: one object shape for every interaction.
    const ictx: InteractionContext<unknown> = {
      world,
      actor: available.actor,
      target: available.target,
      slotId: available.slotId,
      config: available.config,
      gameTime: available.gameTime,
      source: available.source,
      tick: ctx,
      random: this.entryOf(world).random,
    };
    const result = slot.interaction.execute(ictx);
    const interactionId = slot.interaction.id;
    for (const effect of result.effects) {
      const kind = this.effects.get(effect.kind);
      const error = kind === undefined ? `no effect kind "${effect.kind}"` : kind.apply(ictx, effect);
      if (error !== null) {
        ctx.events.push(interactionEvent(actor.id, payload, source, "failed", "interaction/effect-failed", `${interactionId}: ${error}`, interactionId, slot.slotId, undefined, NONE, NONE));
        return "rejected";
      }
    }
    ctx.events.push(interactionEvent(actor.id, payload, source, "executed", undefined, result.message, interactionId, slot.slotId, result.success, result.effects, result.notify ?? NONE));
    return true;
  }
}

const NONE: readonly never[] = Object.freeze([]);

interface WorldEntry {
  readonly world: World;
  /** NPC id → its slots; NPCs without slots are absent. */
  readonly slots: ReadonlyMap<string, readonly ResolvedSlot[]>;
  /** A draw in [0, 1) from the world's seeded generator: one function per world, not one per attempt. */
  readonly random: () => number;
  /** The game time of tick `gameTimeTick` (−1: none yet). */
  gameTimeTick: number;
  gameTime: GameTime | undefined;
}

/** An `interaction` event, every field present (undefined where it does not apply): one shape for all. */
function interactionEvent(
  actorId: string,
  payload: InteractPayload,
  source: InteractionSource,
  verdict: InteractionEvent["verdict"],
  code: string | undefined,
  message: string,
  interactionId: string | undefined,
  slotId: string | undefined,
  success: boolean | undefined,
  effects: readonly Effect[],
  notify: InteractionEvent["notify"],
): InteractionEvent {
  return { type: "interaction", actorId, targetId: payload.targetId, source, verdict, code, message, interactionId, slotId, success, effects, notify, payload };
}

/**
 * `interaction/already-queued` when `actor` has an `interact` waiting for the next tick, else
 * undefined. The pipeline keeps one intent of a kind per actor and tick (src/core/actions.ts), so a
 * second would silently replace the first, unanswered and unaudited: the edge and server attempts
 * refuse it instead.
 */
export function alreadyQueued(world: World, actor: Actor | undefined): Refusal | undefined {
  if (!actor?.queue?.some((queued) => queued.kind === "interact")) return undefined;
  return refusal("interaction/already-queued", `${actor.id} already has an interaction waiting for tick ${world.tick + 1}`);
}

function refusal(code: InteractionCode, message: string): Refusal {
  return { code, message };
}
