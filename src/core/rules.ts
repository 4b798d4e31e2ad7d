/**
 * World rules: the registries a world resolves with (issue 9 §1). The core's are the `move` action
 * kind and no brain; plugins add theirs (the server builds one `WorldRules` from every plugin). The
 * rules travel with the world (`World.rules`) through snapshot, restore and replay: a snapshot
 * holds state, never code, so restoring it takes the same rules.
 */
import { createActionRegistry, type ActionKind, type ActionRegistry } from "./actions.ts";
import { createBrainRegistry, type Brain, type BrainRegistry } from "./ai.ts";
import { moveAction } from "./move.ts";
import { checkTaskSchedule, type ScheduledTask } from "./schedules.ts";

export interface WorldRules {
  readonly actions: ActionRegistry;
  readonly brains: BrainRegistry;
  /** Tasks run inside the tick by ticks or game time (schedules.ts), in registration order. */
  readonly schedules: readonly ScheduledTask[];
}

export const CORE_ACTION_KINDS: readonly ActionKind[] = [moveAction];

/** The core's rules plus `extra` action kinds and brains (plugins'); throws on a duplicate name. */
export function createWorldRules(extra: { actions?: readonly ActionKind[]; brains?: readonly Brain[]; schedules?: readonly ScheduledTask[] } = {}): WorldRules {
  const schedules = extra.schedules ?? [];
  for (const task of schedules) {
    const problem = checkTaskSchedule(task);
    if (problem !== undefined) throw new Error(`scheduled task "${task.name}": ${problem}`);
  }
  return { actions: createActionRegistry([...CORE_ACTION_KINDS, ...(extra.actions ?? [])]), brains: createBrainRegistry(extra.brains ?? []), schedules };
}

/** The core's rules alone: `move`, no brain. */
export const CORE_RULES: WorldRules = createWorldRules();
