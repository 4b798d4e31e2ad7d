/**
 * Character templates (`DATA_DIR/characters/<id>.json`, seed 004's `Character`): reusable
 * archetypes with a name, traits and base stats. Templates are world-agnostic: a world applies its
 * own stat definitions (axes it does not define are ignored) and its instance overrides.
 */
import { z } from "zod";
import type { StatValues } from "../stats/types.ts";
import { formatIssues } from "./format-issues.ts";

export const ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be 1–64 letters, digits, '-' or '_', starting with a letter or digit");
const KEY = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "must be 1–64 letters, digits or '_', starting with a letter");

/** `{ definition: { axis: integer } }` */
export const statValuesSchema = z.record(KEY, z.record(KEY, z.int()));

/**
 * Seed 003's `starting_inventory`: the gold and items (id → count) a new player of this template
 * starts with. The `items` plugin gives it and checks the item ids against `items/` at start-up.
 */
export const startingInventorySchema = z.strictObject({
  gold: z.int().min(0).max(1_000_000_000).default(0),
  items: z.record(ID, z.int().min(1).max(1_000_000)).default({}),
});

export type StartingInventory = z.output<typeof startingInventorySchema>;

export const characterFileSchema = z.strictObject({
  id: ID,
  name: z.string().min(1).max(64),
  traits: z.array(z.string().min(1).max(64)).max(32).default([]),
  /** Scenario types for which this template is the default character (seed 003 §1.2). */
  defaultFor: z.array(ID).max(32).default([]),
  stats: statValuesSchema.default({}),
  starting_inventory: startingInventorySchema.optional(),
});

export interface CharacterTemplate {
  id: string;
  name: string;
  traits: string[];
  defaultFor: string[];
  stats: StatValues;
  /** `starting_inventory`, when the file has one. */
  startingInventory?: StartingInventory;
}

/** Validates parsed JSON as a character template; problems are `path: message` lines. */
export function parseCharacterFile(json: unknown): { ok: true; value: CharacterTemplate } | { ok: false; problems: string[] } {
  const parsed = characterFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error.issues) };
  const { starting_inventory: startingInventory, ...template } = parsed.data;
  return { ok: true, value: startingInventory === undefined ? template : { ...template, startingInventory } };
}
