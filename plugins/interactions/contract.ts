/**
 * The interaction contract (issue 10, seed 000 "Backend Plugin Registry"): what an interaction
 * plugin implements and what the dispatcher (plugins/interactions/) offers it. Import the types
 * from here; register through the capability `interactions:register` (list it in the manifest's
 * `permissions` and depend on `interactions`).
 *
 * Every interaction, whether a player sends `interact`, an NPC's AI decides it or a scheduled job
 * fires it, runs inside the tick through one dispatcher: the slot's config is the one stored on the
 * server (world file `npcs[].plugins.interactions.slots`), never one a client sent; randomness comes
 * from the world's seeded generator (`ctx.random()`); `execute` decides and returns effects, and the
 * dispatcher applies them in order inside the tick's undo log, so either all of them happen or,
 * when one fails, none does. The attempt is journaled as the `interact` action it is, so a replay
 * reproduces it draw for draw.
 */
import type { z } from "zod";
import type { Actor, GameTime, TickContext, World } from "../../src/core/index.ts";

/** One slot on an NPC, as stored in the world file: which interaction, with which config. */
export interface SlotDef {
  /** Unique on its NPC: `a-z 0-9 - _`, 1–64. */
  readonly slotId: string;
  /** A registered interaction's id. */
  readonly interactionId: string;
  /** Validated by the interaction's `configSchema` (and `validateConfig`) at start-up. */
  readonly config: unknown;
}

/**
 * What `isAvailable` receives: the attempt as it stands. It runs at the edge (before the tick, to
 * refuse early) and again inside the tick, so it reads the world and never writes.
 */
export interface AvailabilityContext<C> {
  readonly world: World;
  /** Who interacts (a player, an NPC, or the target itself for a scheduled job). */
  readonly actor: Actor;
  /** Who is interacted with. */
  readonly target: Actor;
  readonly slotId: string;
  /** The stored config, as the schema parsed it. */
  readonly config: C;
  /** Game time at this tick (src/core/clock.ts). */
  readonly gameTime: GameTime;
  /** How the attempt came: a client's `interact`, an NPC's AI, a scheduled job, or the admin route. */
  readonly source: InteractionSource;
}

/** What `execute` and effect kinds receive: the availability context, inside the tick. */
export interface InteractionContext<C> extends AvailabilityContext<C> {
  /** The tick being computed: pass it to capabilities that write (stats, plugin state). */
  readonly tick: TickContext;
  /** A draw in [0, 1) from the world's seeded generator (never `Math.random`). */
  random(): number;
}

export type InteractionSource = "client" | "ai" | "schedule" | "admin";

/**
 * An effect: a registered kind and its data, applied by the dispatcher in order, inside the tick's
 * undo log (see {@link EffectKind}). Shown to the acting client in `interaction.effects`.
 */
export interface Effect {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** What `execute` decides. `success: false` is an outcome (the pickpocket failed), not an error. */
export interface InteractionResult {
  readonly success: boolean;
  /** Shown to the acting player. */
  readonly message: string;
  readonly effects: readonly Effect[];
  /** Players to tell (`notification { kind, message, from }`), for example the victim. */
  readonly notify?: readonly Notice[];
}

/** A `notification` to a player actor. */
export interface Notice {
  readonly actorId: string;
  /** For example `pickpocketed`. */
  readonly kind: string;
  readonly message: string;
}

/** An interaction (seed 000's `InteractionPlugin`, server side). */
export interface Interaction<C = unknown> {
  /** Unique: `a-z 0-9 _ -`, 1–64 (`pickpocket`). */
  readonly id: string;
  readonly name: string;
  /** The config a slot stores; its JSON Schema is served by `GET /api/interactions`. */
  readonly configSchema: z.ZodType<C>;
  /** Checks beyond the schema (a range whose min exceeds its max …): an error text, or null. */
  validateConfig?(config: C): string | null;
  /** True, or why not now (shown to the client as `interaction/not-available`). */
  isAvailable?(ctx: AvailabilityContext<C>): true | string;
  /** Decides the outcome; may draw `ctx.random()`; must not write (return effects instead). */
  execute(ctx: InteractionContext<C>): InteractionResult;
}

/**
 * An effect kind: how the dispatcher applies `{ kind, … }` inside the tick. `apply` writes only
 * through the tick's undo log (the capabilities' `tick` parameter) and returns null, or an error
 * text: the interaction then fails and every effect applied before it rolls back.
 */
export interface EffectKind {
  readonly kind: string;
  apply(ctx: InteractionContext<unknown>, effect: Effect): string | null;
}

/** `interactions:register`, provided by the `interactions` plugin. */
export interface InteractionRegistrar {
  /** Adds an interaction to every world. Throws at load when the id is taken or malformed. */
  register<C>(interaction: Interaction<C>): void;
  /** Adds an effect kind. Throws at load when the kind is taken. */
  registerEffect(kind: EffectKind): void;
  /**
   * Queues an interaction from server code (an NPC's AI, a scheduled job): it runs in the next
   * pipeline drain like a client's `interact` (inside this tick when called from a brain or a
   * scheduled task), and its reply and notifications go out after the tick. Server code may pass
   * the `config` to use (a job's config stored on the server); a client never can. Returns a
   * rejection (`interaction/*`, `command/*`) when it cannot be queued; a queued one is journaled.
   */
  queue(world: World, actorId: string, attempt: ServerAttempt): { ok: true } | { ok: false; code: string; message: string };
}

/** An interaction attempt made by server code. */
export interface ServerAttempt {
  readonly targetId: string;
  readonly slotId?: string;
  readonly interactionId?: string;
  /** A server-stored config, for an interaction used outside any NPC slot (a job's). */
  readonly config?: unknown;
  readonly source: Exclude<InteractionSource, "client">;
}

declare module "../../src/plugins/api.ts" {
  interface ProvidedCapabilities {
    "interactions:register": InteractionRegistrar;
  }
}
