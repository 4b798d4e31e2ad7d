/**
 * Player sessions (seed 003 §1.1) and characters (§1.2). A session is the player's persistent
 * identity: who they are, which world they are in, their character and the stats only the server
 * changes, flags, and where they last stood.
 */
import type { PlainData } from "../core/types.ts";
import type { StatValues } from "../stats/types.ts";

/** What a client may ask for when creating a character; the server validates it. */
export interface CharacterConfig {
  /** Template id (`DATA_DIR/characters/<id>.json`); default: the world's scenario default. */
  template?: string;
  /** Display name; default: the template's name. */
  name?: string;
  /** Points added on top of the template, by definition and axis; within the creation budget. */
  customizations?: StatValues;
  /** Instead of customizations: random points within the budget, drawn from this seed. */
  randomSeed?: number;
}

/** A generated or customized character: the template plus customizations, world-agnostic. */
export interface Character {
  template: string;
  name: string;
  traits: string[];
  /** Base stats: the template's, plus customizations (clamped to the world's bounds on entry). */
  stats: StatValues;
  /** Points spent from the creation budget, by `definition.axis`. */
  customizations: StatValues;
}

export interface SessionStats {
  /** Runtime overrides of entity stats carried between visits (damage taken …). */
  runtime: StatValues;
  /** Relationship stats per NPC, keyed `npc:<id>` (seed 004: `session.stats["relationships"]`). */
  relationships: Record<string, Record<string, number>>;
}

export type FlagValue = boolean | number | string;

export interface GameSession {
  id: string;
  playerName: string;
  worldId: string;
  character: Character;
  stats: SessionStats;
  flags: Record<string, FlagValue>;
  /** The player actor's plugin state at its last save, by plugin id (issue 10: inventories, relationships …). */
  pluginState: Record<string, PlainData>;
  /** Last cell in `worldId`, `[x, y]`, or null before the first visit. */
  position: [number, number] | null;
  /**
   * The user it belongs to (src/server/accounts.ts), or null for a session from before accounts,
   * until a signed-in player first resumes it (README, "Accounts").
   */
  userId: string | null;
  /** ISO-8601 wall-clock times (server edge only; never inside the simulation). */
  createdAt: string;
  updatedAt: string;
}
