/** The simulation core's public surface: pure, deterministic, no I/O (STYLE §1). */
export * from "./types.ts";
export * from "./directions.ts";
export { createWorld, createEmptyWorld, addActor, removeActor, spawnPlayer, compareActors, PLAYER_BEHAVIOURS, type ActorSpec } from "./world.ts";
export { stepWorld, type StepOutcome } from "./step.ts";
export { applyInput, moveInput } from "./inputs.ts";
export { createActionRegistry, defineActionKind, queueAction, type ActionKind, type ActionRegistry, type Control, type Method, type MethodOutcome } from "./actions.ts";
export { CORE_ACTIONS, CORE_ACTION_KINDS, createWorldActions } from "./core-actions.ts";
export { moveAction, step, flee } from "./move.ts";
export { hashWorld, hashString } from "./hash.ts";
export { snapshotWorld, restoreWorld, SNAPSHOT_VERSION, type WorldSnapshot, type ActorSnapshot } from "./snapshot.ts";
export { createSimulation, submitInput, stepSimulation, replayJournal, DEFAULT_JOURNAL_WINDOW, type Simulation, type ReplayReport } from "./simulation.ts";
export { journalEntries, type JournalEntry, type JournalWindow } from "./journal.ts";
export { MAX_DEPTH } from "./broker.ts";
export { MAX_ATTEMPTS } from "./pipeline.ts";
export { WANDER_CHANCE } from "./ai.ts";
export { BEHAVIOURS } from "./behaviours.ts";
export { describeActorStats, retaliationDamage, HEALTH, STRENGTH, DEFENSE } from "./actor-stats.ts";
export { firstFreeSpawn } from "./world.ts";
