/**
 * A running world without Colyseus (issue 9 §2): its simulation and persistence (world-host.ts),
 * its event bus with the plugins attached, the players' sessions in it, input submission, the
 * tick, and the typed port HTTP routes and plugins reach it through. The room (rooms/world-room.ts)
 * adapts it to clients: it validates messages, mirrors the state into schema and keeps the area of
 * interest, by subscribing to `events` before the first tick.
 *
 * One tick, in order: step the simulation (inputs, brains, pipeline, hash, journal), publish its
 * events (the room's subscribers, then each plugin's dispatcher), record the plugins' time, resolve
 * the HTTP actions that waited for this tick with their actor's events.
 */
import { performance } from "node:perf_hooks";
import { createEventBus, submitInput, type Actor, type EventBus, type Result, type TickResult, type World, type WorldDef } from "../core/index.ts";
import type { ErrorCode } from "../errors.ts";
import type { GameSession } from "../sessions/types.ts";
import type { ServerServices } from "./services.ts";
import type { JoinPlan } from "./session-join.ts";
import { carriedRuntime, type ActionOutcome } from "./session-progress.ts";
import { actForSession, type SessionActionOutcome } from "./session-actions.ts";
import { describeActors } from "./world-directory.ts";
import { answerPluginRoute, type PluginRouteAnswer, type PluginRouteCall } from "./plugin-route-forwarding.ts";
import type { WatchAnswer } from "../wire.ts";
import { npcStatsIn, setNpcStatsIn, type NormalizedStats } from "./world-access.ts";
import type { WorldHost } from "./world-host.ts";

/** What HTTP routes and plugins may do to a running world: typed calls, no method names as strings. */
export interface WorldPort {
  readonly worldId: string;
  /** An NPC's effective, normalized stats of definition `type` (`npc/not-found`, `stats/unknown-type`). */
  readNpcStats(npcId: string, type: string): Result<NormalizedStats>;
  /** Sets an NPC's runtime overrides through a journaled `set-stats` input (`stats/invalid` …). */
  writeNpcStats(npcId: string, type: string, values: Record<string, number>): Result<NormalizedStats>;
  /**
   * Submits a session's intent of action kind `kind` (its payload already validated) into the same
   * pipeline as WebSocket input; resolves after the tick that processed it. A later intent of the
   * same kind before that tick resolves this one with `command/superseded`.
   */
  performAction(sessionId: string, kind: string, payload: unknown): Promise<ActionOutcome>;
  /**
   * `POST /api/sessions/:id/actions` where the world runs: `{ type, ...payload }` through the kind's
   * admission and schema, then {@link performAction} (session-actions.ts).
   */
  actForSession(sessionId: string, type: string, raw: Record<string, unknown>): Promise<SessionActionOutcome>;
  /** Every actor at the current tick with its public tiers: the admins' watch view (world-directory.ts). */
  watch(): WatchAnswer;
  /** Runs a plugin route of this world forwarded from another process (plugin-route-forwarding.ts). */
  pluginRoute(call: PluginRouteCall): Promise<PluginRouteAnswer>;
}

/** Tick-level figures the runtime reports (the room's RoomInstruments implements it). */
export interface RuntimeInstruments {
  observeTick(result: TickResult, seconds: number): number;
  /** Returns the plugins over their budget for a whole second (see RoomInstruments). */
  observePlugins(costs: ReadonlyMap<string, number>, budgets: ReadonlyMap<string, number>, tickRate: number): string[];
}

/** How the room reaches one client: a typed message to its connection. */
export type ClientSink = (type: string, message: unknown) => void;

export interface WorldRuntime extends WorldPort {
  readonly def: WorldDef;
  readonly world: World;
  readonly events: EventBus;
  /** Spawns a joining player's actor and stores its session (a new one only now: issue 8 §4). */
  join(plan: JoinPlan): Result<{ actor: Actor; session: GameSession }>;
  /** Saves the player's progress and removes its actor; the removed actor, if it was there. */
  leave(actorId: string): Actor | undefined;
  /** Registers the connection controlling `actorId` (the room, at join and on reconnection), for `sendTo`; undone by `leave`. */
  connect(actorId: string, sink: ClientSink): void;
  /**
   * Forgets the connection of `actorId` while its player is dropped (rooms/reconnection.ts): the
   * actor and its session stay, `sendTo` answers false until `connect` is called again.
   */
  disconnect(actorId: string): void;
  /** Sends `type` with `message` to the client controlling `actorId`; false when none is connected. */
  sendTo(actorId: string, type: string, message: unknown): boolean;
  /** The session of the player actor `actorId`, or undefined (an NPC, or gone). */
  sessionOf(actorId: string): string | undefined;
  /** The actor of session `sessionId` in this world, or undefined. */
  actorOf(sessionId: string): string | undefined;
  /** Queues an intent of action kind `kind` for `actorId` (payload validated at the edge). */
  submit(actorId: string, kind: string, payload: unknown): Result<Actor>;
  /** Runs one tick (see the module header); returns its result. */
  tick(): TickResult;
  /** Saves every player's progress (with each snapshot, on close). */
  saveAll(): void;
  /** Saves, answers waiting HTTP actions, closes the host and unregisters the world. */
  close(): void;
  /**
   * The world's claim lapsed (issue 14): stops every write of this world (journal, snapshots,
   * sessions' progress, player bindings) and tells the room (`onFenced`), which closes.
   */
  fence(reason: string): void;
}

interface PendingAction {
  actorId: string;
  kind: string;
  resolve: (outcome: ActionOutcome) => void;
}

/** What a runtime uses of the server's services. */
export type RuntimeServices = Pick<ServerServices, "sessions" | "store" | "connectedSessions" | "faults" | "plugins" | "runtimes">;

export interface RuntimeOptions {
  services: RuntimeServices;
  def: WorldDef;
  /** The world's simulation and persistence, already open. */
  host: WorldHost;
  instruments: RuntimeInstruments;
  /** Where plugin and subscriber faults are logged from (a room id). */
  label: string;
  /** Called once when the world is fenced ({@link WorldRuntime.fence}): the room closes. */
  onFenced?: (reason: string) => void;
}

/** Starts a runtime over an open host and registers it in `services.runtimes`. */
export function createWorldRuntime(options: RuntimeOptions): WorldRuntime {
  const { services, def, host, instruments, label } = options;
  const world = host.sim.world;
  const sessions = new Map<string, string>(); // actor id → session id
  const sinks = new Map<string, ClientSink>(); // actor id → its client
  let pending: PendingAction[] = [];
  const events = createEventBus({
    onError: ({ type, tick, error }) =>
      services.faults.log("error", `event-fault:${label}:${type}`, { room: label, world: def.id, tick, event: type, err: error }, `an event subscriber failed on ${type}; the world keeps running`),
  });
  const budgets = new Map(services.plugins.host.list().map((record) => [record.id, record.budgetMs]));
  let fenced = false;
  const saveProgress = (actorId: string, sessionId: string): void => {
    if (fenced) return;
    const actor = world.byId.get(actorId);
    if (actor) services.sessions.saveProgress(sessionId, { worldId: def.id, position: [actor.x, actor.y], runtime: carriedRuntime(world, actor), pluginState: Object.fromEntries(actor.pluginState ?? []) });
  };
  /** Resolves the HTTP actions waiting for this tick with their actor's events (one scan, only when some wait). */
  const settle = (result: TickResult): void => {
    if (pending.length === 0) return;
    for (const { actorId, resolve } of pending) {
      const seen = result.events.filter((e) => e.actorId === actorId || ("targetId" in e && e.targetId === actorId));
      const actor = world.byId.get(actorId);
      resolve({ ok: true, value: { tick: result.tick, position: actor ? [actor.x, actor.y] : null, moved: seen.some((e) => e.type === "moved" && e.actorId === actorId), events: seen } });
    }
    pending = [];
  };
  const observePlugins = (): void => {
    const costs = services.plugins.costs.drain();
    if (costs.size === 0) return;
    for (const plugin of instruments.observePlugins(costs, budgets, world.tickRate)) {
      const budgetMs = budgets.get(plugin);
      services.faults.log("warn", `plugin-budget:${label}:${plugin}`, { room: label, world: def.id, plugin, budgetMs }, `plugin ${plugin} took more than its ${budgetMs} ms per tick for a second`);
    }
  };
  const runtime: WorldRuntime = {
    def,
    world,
    events,
    worldId: def.id,
    join(plan) {
      const state = Object.keys(plan.state).length > 0 ? { state: plan.state } : {};
      const joined = submitInput(host.sim, { type: "join", actorId: "", name: plan.name, stats: plan.stats, ...(plan.at ? { at: plan.at } : {}), ...state });
      if (!joined.ok) return joined;
      let session: GameSession;
      try {
        session = plan.commit();
      } catch (e) {
        submitInput(host.sim, { type: "leave", actorId: joined.value.id });
        throw e;
      }
      sessions.set(joined.value.id, session.id);
      services.connectedSessions.set(session.id, def.id);
      services.store.bindPlayer(def.id, joined.value.id, session.id);
      return { ok: true, value: { actor: joined.value, session } };
    },
    connect(actorId, sink) {
      sinks.set(actorId, sink);
    },
    disconnect(actorId) {
      sinks.delete(actorId);
    },
    sendTo(actorId, type, message) {
      const sink = sinks.get(actorId);
      if (sink === undefined) return false;
      sink(type, message);
      return true;
    },
    sessionOf: (actorId) => sessions.get(actorId),
    actorOf: (sessionId) => [...sessions].find(([, s]) => s === sessionId)?.[0],
    leave(actorId) {
      sinks.delete(actorId);
      const sessionId = sessions.get(actorId);
      if (sessionId !== undefined) {
        saveProgress(actorId, sessionId);
        sessions.delete(actorId);
        services.connectedSessions.delete(sessionId);
        if (!fenced) services.store.unbindPlayer(def.id, actorId);
      }
      const left = submitInput(host.sim, { type: "leave", actorId });
      return left.ok ? left.value : undefined;
    },
    submit: (actorId, kind, payload) => submitInput(host.sim, { type: "act", actorId, kind, payload }),
    tick() {
      const started = performance.now();
      const result = host.step();
      instruments.observeTick(result, (performance.now() - started) / 1000);
      events.publish(result);
      observePlugins();
      settle(result);
      return result;
    },
    saveAll() {
      for (const [actorId, sessionId] of sessions) saveProgress(actorId, sessionId);
    },
    fence(reason) {
      if (fenced) return;
      fenced = true;
      host.fence();
      options.onFenced?.(reason);
    },
    close() {
      runtime.saveAll();
      for (const sessionId of sessions.values()) services.connectedSessions.delete(sessionId);
      if (!fenced) services.store.unbindWorld(def.id);
      for (const p of pending) p.resolve(refusal("session/not-in-world", `world ${def.id} closed`));
      pending = [];
      host.close();
      services.runtimes.delete(def.id);
    },
    readNpcStats: (npcId, type) => npcStatsIn(host.sim, npcId, type),
    writeNpcStats(npcId, type, values) {
      const written = setNpcStatsIn(host.sim, npcId, type, values);
      // Mirrors and plugins hear of the change now, not at the next tick.
      if (written.ok) events.publish({ tick: world.tick, events: [{ type: "stats", actorId: npcId }] });
      return written;
    },
    watch: () => describeActors(world),
    pluginRoute: (call) => answerPluginRoute(services, call),
    actForSession: (sessionId, type, raw) => actForSession(services, runtime, sessionId, type, raw),
    performAction(sessionId, kind, payload) {
      const actorId = runtime.actorOf(sessionId);
      if (actorId === undefined) return Promise.resolve(refusal("session/not-in-world", `session "${sessionId}" has no actor in world ${def.id}`));
      const queued = runtime.submit(actorId, kind, payload);
      if (!queued.ok) return Promise.resolve(queued);
      // The latest intent of a kind wins (actions.ts): an earlier HTTP action of that kind still waiting is told so.
      const superseded = refusal("command/superseded", `a later ${kind} action for ${actorId} replaced this one before tick ${world.tick + 1}`);
      for (const p of pending) if (p.actorId === actorId && p.kind === kind) p.resolve(superseded);
      pending = pending.filter((p) => p.actorId !== actorId || p.kind !== kind);
      return new Promise((resolve) => pending.push({ actorId, kind, resolve }));
    },
  };
  recoverCrashedPlayers(services, def.id, host, saveProgress);
  services.plugins.attach(events, world);
  services.runtimes.set(def.id, runtime);
  return runtime;
}

/**
 * Player actors in a freshly opened world were left by a crash (nobody is connected yet): the
 * journal replayed them up to its last committed tick. Each one bound to a session
 * (`Store.bindPlayer`, at its join) has that session's progress saved from it (position, runtime
 * stats, plugin state: inventory included), so a crash loses at most the journal's durability
 * window (README, "Persistence"); then every one leaves, at the next tick, journaled.
 */
function recoverCrashedPlayers(services: RuntimeServices, worldId: string, host: WorldHost, save: (actorId: string, sessionId: string) => void): void {
  const bound = services.store.boundPlayers(worldId);
  for (const actor of [...host.sim.world.order]) {
    if (actor.kind !== "player") continue;
    const sessionId = bound.get(actor.id);
    if (sessionId !== undefined) save(actor.id, sessionId);
    submitInput(host.sim, { type: "leave", actorId: actor.id });
  }
  services.store.unbindWorld(worldId);
}

function refusal(code: ErrorCode, message: string): ActionOutcome {
  return { ok: false, code, message };
}
