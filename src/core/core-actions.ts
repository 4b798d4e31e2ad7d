/** The action kinds every world has: `move` (issue 9 §1). Plugins add theirs to a copy of this list. */
import { createActionRegistry, type ActionKind, type ActionRegistry } from "./actions.ts";
import { moveAction } from "./move.ts";

export const CORE_ACTION_KINDS: readonly ActionKind[] = [moveAction];

/** A registry of the core kinds plus `extra` (plugins'); throws on a duplicate name. */
export function createWorldActions(extra: readonly ActionKind[] = []): ActionRegistry {
  return createActionRegistry([...CORE_ACTION_KINDS, ...extra]);
}

/** The core kinds alone. */
export const CORE_ACTIONS: ActionRegistry = createWorldActions();
