/**
 * The world room: a thin adapter between Colyseus and one world's simulation (STYLE §2).
 * It validates messages at the edge, turns them into core inputs, steps the core on the world's
 * fixed tick, mirrors the tick's result into the synced state and sends one patch per tick.
 *
 * Protocol (README, "Wire protocol"):
 * - join: `joinOrCreate("world", { worldId?, name?, sessionId?, character? })`; one room per world
 *   (`filterBy(["worldId"])`, with `worldId` defaulted before matchmaking so every client of a
 *   world meets in one room);
 * - server → client: `welcome { actorId, worldId, tick, sessionId }`, `error { code, message, details? }`;
 * - client → server: `move { dir }`.
 * HTTP routes reach a running room through `matchMaker.remoteRoomCall` (`readNpcStats`,
 * `writeNpcStats`, `performAction`).
 */
import { defineRoom, Room, ServerError, type Client, type RoomException, type RoomMethodName } from "@colyseus/core";
import { CORE_EVENT_TYPES, createEventBus, submitInput, type ActionKind, type Dir, type EventBus, type Result, type TickEvent } from "../src/core/index.ts";
import { ERRORS, makeError, type ErrorReply } from "../src/errors.ts";
import { carriedRuntime, type ActionOutcome } from "../src/server/session-progress.ts";
import { planJoin, type JoinPlan } from "../src/server/session-join.ts";
import type { GameSession } from "../src/sessions/types.ts";
import { describeMessageType, findStatFields, joinOptions, MAX_MESSAGES_PER_SECOND, parsePayload, readCatchAll, type JoinOptions } from "../src/server/protocol.ts";
import type { ServerServices } from "../src/server/services.ts";
import { openWorldHost, type WorldHost } from "../src/server/world-host.ts";
import { npcStatsIn, setNpcStatsIn, type NormalizedStats } from "../src/server/world-access.ts";
import { DEFAULT_INTEREST_RADIUS } from "../src/content/world-file.ts";
import { InterestManager } from "./interest.ts";
import { handleRoomFault } from "./room-faults.ts";
import { RoomInstruments, type RoomMetadata } from "./room-metrics.ts";
import { createActorState, createWorldState, mirrorStats, subscribeMirror, type WorldState } from "./schema.ts";

/** Matchmaking error codes (HTTP-like), carried by the SDK's join error. */
const JOIN_ERROR = { badOptions: 400, notFound: 404, conflict: 409 } as const;

/** A connected player: its actor and its persistent session. */
interface Player {
  actorId: string;
  sessionId: string;
}

/** An HTTP action waiting for the tick that resolves it, and the events of that tick so far. */
interface PendingAction {
  actorId: string;
  events: TickEvent[];
  resolve: (outcome: ActionOutcome) => void;
}

export class WorldRoom extends Room<{ state: WorldState; metadata: RoomMetadata }> {
  protected services!: ServerServices;
  private host!: WorldHost;
  private worldId = "";
  /** Colyseus client session id → player. */
  private readonly players = new Map<string, Player>();
  /** Names a client message may not carry: stat definitions and axes of this world. */
  private statNames: ReadonlySet<string> = new Set();
  private pendingActions: PendingAction[] = [];
  /** Clients joined since the last tick: they get `welcome` after it (see onJoin). */
  private pendingWelcomes: Array<{ client: Client; sessionId: string }> = [];
  private instruments!: RoomInstruments;
  /** The world's tick events, to the area of interest, the mirror and waiting HTTP actions. */
  private events!: EventBus;
  /** Each plugin's time budget per tick, ms (manifest `budgetMs`). */
  private pluginBudgets: ReadonlyMap<string, number> = new Map();
  private interest!: InterestManager;

  override maxMessagesPerSecond = MAX_MESSAGES_PER_SECOND;

  override onCreate(options: JoinOptions): void {
    const def = this.services.worlds.byId.get(options.worldId ?? this.services.worlds.defaultId);
    if (!def) throw new ServerError(JOIN_ERROR.notFound, `world/not-found: no world "${options.worldId}"`);
    if (this.services.hostedWorlds.has(def.id)) throw new ServerError(JOIN_ERROR.conflict, `world/already-hosted: world "${def.id}" is already running`);
    this.instruments = new RoomInstruments(this.services.metrics, def.id);
    this.host = openWorldHost(def, this.services.store, this.services.persistence, this.services.logger, {
      onSnapshot: () => {
        for (const player of this.players.values()) this.saveProgress(player);
      },
      onJournal: (_entries, lag, commit) => this.instruments.observeJournal(lag, commit),
    }, this.services.plugins.rules);
    this.services.hostedWorlds.add(def.id);
    this.worldId = def.id;
    this.state = createWorldState(this.host.sim.world);
    this.interest = new InterestManager(this.host.sim.world, this.state, def.interestRadius ?? DEFAULT_INTEREST_RADIUS);
    // Order matters: the area of interest reads a respawn's old cell before the mirror moves it.
    this.events = createEventBus({ onError: (failure) => this.reportEventFault(failure) });
    this.interest.subscribe(this.events);
    subscribeMirror(this.events, this.host.sim.world, this.state);
    for (const type of CORE_EVENT_TYPES) this.events.on(type, (event) => this.collectForActions(event));
    this.services.plugins.attach(this.events, this.host.sim.world);
    this.pluginBudgets = new Map(this.services.plugins.host.list().map((record) => [record.id, record.budgetMs]));
    this.statNames = new Set(this.host.sim.world.layout.slots.flatMap((slot) => [slot.definition, slot.axis]));
    void this.setMetadata({ worldId: def.id, name: def.name, tickMs: 0, actors: this.host.sim.world.order.length, clients: 0, topPlugin: "" });
    // One handler per registered action kind: a plugin's kind is a message type like `move`.
    for (const kind of this.host.sim.world.rules.actions.kinds.values()) this.onMessage(kind.name, (client, payload) => this.handleAction(client, kind, payload));
    this.onMessage("*", (client, rawType: unknown, rawPayload: unknown) => this.handleUnknown(client, readCatchAll(rawType, rawPayload)));
    this.setFixedTimestep(() => this.runTick(), def.tickRate);
    // One patch per tick, sent by runTick. Order matters: disabling patches before the fixed step
    // exists makes Colyseus start a second clock ticker, and the fixed step then runs far too slowly.
    this.patchRate = null;
  }

  override onJoin(client: Client, options: JoinOptions): void {
    const def = this.services.worlds.byId.get(this.worldId)!;
    const plan = planJoin(this.services, def, options ?? {});
    if (!plan.ok) throw new ServerError(ERRORS[plan.code].status, `${plan.code}: ${plan.message}`);
    const { name, stats, at } = plan.value;
    const joined = submitInput(this.host.sim, { type: "join", actorId: "", name, stats, ...(at ? { at } : {}) });
    if (!joined.ok) throw new ServerError(JOIN_ERROR.conflict, `${joined.code}: ${joined.message}`);
    const actor = joined.value;
    const session = this.commitSession(plan.value, actor.id);
    this.players.set(client.sessionId, { actorId: actor.id, sessionId: session.id });
    this.services.connectedSessions.set(session.id, this.worldId);
    const actorState = createActorState(actor);
    mirrorStats(this.host.sim.world.layout, actor, actorState);
    this.state.actors.set(actor.id, actorState);
    this.interest.actorAdded(actor);
    this.interest.attach(client, actor);
    this.instruments.countBytesSent(client);
    this.instruments.setClients(this.clients.length);
    // Sent after the next tick, not here: the SDK drops a message that arrives before the client's
    // joinOrCreate() has resolved and registered its handlers, which happens under load.
    this.pendingWelcomes.push({ client, sessionId: client.sessionId });
  }

  /** Stores a new session once its actor has spawned; if the database fails, the spawn is undone. */
  private commitSession(plan: JoinPlan, actorId: string): GameSession {
    try {
      return plan.commit();
    } catch (e) {
      submitInput(this.host.sim, { type: "leave", actorId });
      throw e;
    }
  }

  override onLeave(client: Client): void {
    const player = this.players.get(client.sessionId);
    if (player === undefined) return;
    this.players.delete(client.sessionId);
    this.saveProgress(player);
    this.services.connectedSessions.delete(player.sessionId);
    const left = submitInput(this.host.sim, { type: "leave", actorId: player.actorId });
    this.interest.detach(player.actorId);
    if (left.ok) this.interest.actorRemoved(left.value);
    this.state.actors.delete(player.actorId);
    this.instruments.setClients(this.clients.length);
  }

  override onDispose(): void {
    if (!this.host) return;
    for (const player of this.players.values()) {
      this.saveProgress(player);
      this.services.connectedSessions.delete(player.sessionId);
    }
    for (const pending of this.pendingActions) pending.resolve({ ok: false, code: "session/not-in-world", message: `world ${this.worldId} closed` });
    this.host.close();
    this.services.hostedWorlds.delete(this.worldId);
  }

  /**
   * Colyseus calls this instead of ending the process when a message handler, a hook, the fixed
   * step or a clock timer throws (rooms/room-faults.ts): logged, the client told, the world ticks on.
   */
  override onUncaughtException(error: RoomException, method: RoomMethodName): void {
    handleRoomFault({ roomId: this.roomId, worldId: this.worldId, faults: this.services.faults }, error, method);
  }

  /** Records this tick's time per plugin; warns (rate-limited) about a plugin over budget for a second. */
  private observePlugins(): void {
    const costs = this.services.plugins.costs.drain();
    if (costs.size === 0) return;
    for (const plugin of this.instruments.observePlugins(costs, this.pluginBudgets, this.host.sim.world.tickRate)) {
      const budgetMs = this.pluginBudgets.get(plugin);
      this.services.faults.log("warn", `plugin-budget:${this.roomId}:${plugin}`, { room: this.roomId, world: this.worldId, plugin, budgetMs }, `plugin ${plugin} took more than its ${budgetMs} ms per tick for a second`);
    }
  }

  /** A subscriber threw: logged like any room fault; the other subscribers ran. */
  private reportEventFault(failure: { type: string; tick: number; error: unknown }): void {
    this.services.faults.log("error", `event-fault:${this.roomId}:${failure.type}`, { room: this.roomId, world: this.worldId, tick: failure.tick, event: failure.type, err: failure.error }, `an event subscriber failed on ${failure.type}; the room keeps running`);
  }

  /** Remote call (HTTP `GET /api/npcs/:id/stats/:type`): an NPC's normalized effective stats. */
  readNpcStats(npcId: string, type: string): Result<NormalizedStats> {
    return npcStatsIn(this.host.sim, npcId, type);
  }

  /** Remote call (admin HTTP `PATCH`): sets runtime overrides through a journaled `set-stats` input. */
  writeNpcStats(npcId: string, type: string, values: Record<string, number>): Result<NormalizedStats> {
    const written = setNpcStatsIn(this.host.sim, npcId, type, values);
    const actor = this.host.sim.world.byId.get(npcId);
    const state = this.state.actors.get(npcId);
    if (written.ok && actor && state) mirrorStats(this.host.sim.world.layout, actor, state);
    return written;
  }

  /**
   * Remote call (HTTP `POST /api/sessions/:id/actions`): submits the same intent as a WebSocket
   * `move` into the same pipeline and resolves after the tick that processed it.
   */
  performAction(sessionId: string, dir: Dir): Promise<ActionOutcome> {
    const player = [...this.players.values()].find((p) => p.sessionId === sessionId);
    if (!player) return Promise.resolve({ ok: false, code: "session/not-in-world", message: `session "${sessionId}" has no actor in world ${this.worldId}` });
    const queued = submitInput(this.host.sim, { type: "act", actorId: player.actorId, kind: "move", payload: { dir } });
    if (!queued.ok) return Promise.resolve(queued);
    // The latest move of a tick wins (inputs.ts): an earlier HTTP action still waiting is told so.
    const superseded: ActionOutcome = { ok: false, code: "command/superseded", message: `a later action for ${player.actorId} replaced this one before tick ${this.host.sim.world.tick + 1}` };
    for (const pending of this.pendingActions.filter((p) => p.actorId === player.actorId)) pending.resolve(superseded);
    this.pendingActions = this.pendingActions.filter((p) => p.actorId !== player.actorId);
    return new Promise((resolve) => this.pendingActions.push({ actorId: player.actorId, events: [], resolve }));
  }

  /**
   * A client's intent of a registered action kind (`move`, or a plugin's): refused whole if it
   * carries stats, validated by the kind's payload schema, queued for the next tick.
   */
  private handleAction(client: Client, kind: ActionKind, payload: unknown): void {
    if (this.refuseStatFields(client, kind.name, payload)) return;
    const parsed = parsePayload(kind.payload, payload, kind.name);
    if (!parsed.ok) return this.reply(client, parsed.error);
    const player = this.players.get(client.sessionId);
    if (player === undefined) return this.reply(client, makeError("command/no-actor", "this connection has no actor"));
    const queued = submitInput(this.host.sim, { type: "act", actorId: player.actorId, kind: kind.name, payload: parsed.value });
    if (!queued.ok) this.reply(client, makeError(queued.code, queued.message));
  }

  /** Any message type that is no action kind: refused with `command/forbidden-field` or `command/unknown-type`. */
  private handleUnknown(client: Client, message: { type: unknown; payload: unknown }): void {
    const type = describeMessageType(message.type);
    if (this.refuseStatFields(client, type, message.payload)) return;
    const known = [...this.host.sim.world.rules.actions.kinds.keys()].join(", ");
    this.reply(client, makeError("command/unknown-type", `unknown message type ${type}; expected one of: ${known}`));
  }

  private runTick(): void {
    const started = performance.now();
    const result = this.host.step();
    const tickMs = this.instruments.observeTick(result, (performance.now() - started) / 1000);
    if (result.tick % this.host.sim.world.tickRate === 0) {
      void this.setMetadata({ ...this.metadata, tickMs: Math.round(tickMs * 1000) / 1000, actors: this.host.sim.world.order.length, clients: this.clients.length, topPlugin: this.instruments.topPlugin() });
    }
    this.events.publish(result);
    this.observePlugins();
    this.state.tick = result.tick;
    this.broadcastPatch();
    this.settleActions(result.tick);
    this.sendWelcomes();
  }

  private sendWelcomes(): void {
    for (const { client, sessionId } of this.pendingWelcomes) {
      const player = this.players.get(sessionId);
      if (player) client.send("welcome", { actorId: player.actorId, worldId: this.worldId, tick: this.host.sim.world.tick, sessionId: player.sessionId });
    }
    this.pendingWelcomes = [];
  }

  /** Collects, while HTTP actions wait, the tick's events that concern their actors. */
  private collectForActions(event: TickEvent): void {
    for (const pending of this.pendingActions) {
      if (event.actorId === pending.actorId || ("targetId" in event && event.targetId === pending.actorId)) pending.events.push(event);
    }
  }

  /** Resolves the HTTP actions waiting for this tick with their actor's events and position. */
  private settleActions(tick: number): void {
    if (this.pendingActions.length === 0) return;
    const { world } = this.host.sim;
    for (const { actorId, events, resolve } of this.pendingActions) {
      const actor = world.byId.get(actorId);
      resolve({ ok: true, value: { tick, position: actor ? [actor.x, actor.y] : null, moved: events.some((e) => e.type === "moved" && e.actorId === actorId), events } });
    }
    this.pendingActions = [];
  }

  private saveProgress(player: Player): void {
    const actor = this.host.sim.world.byId.get(player.actorId);
    if (!actor) return;
    this.services.sessions.saveProgress(player.sessionId, { worldId: this.worldId, position: [actor.x, actor.y], runtime: carriedRuntime(this.host.sim.world, actor) });
  }

  /** Replies `command/forbidden-field` and returns true when a message tries to carry stats. */
  private refuseStatFields(client: Client, type: string, payload: unknown): boolean {
    const fields = findStatFields(payload, this.statNames);
    if (fields.length === 0) return false;
    this.reply(client, makeError("command/forbidden-field", `${type}: ${fields.join(", ")}: stats are computed by the server and cannot be sent; nothing was changed`, { type, fields }));
    return true;
  }

  private reply(client: Client, error: ErrorReply): void {
    client.send("error", error);
  }
}

/**
 * Registers the world room with its services. Join options are validated and `worldId` defaulted
 * (to the resumed session's world, else the default world) in the static `onAuth`, which Colyseus
 * runs before it picks a room, so that `{}` and `{ worldId: <default> }` meet in the same room.
 */
export function defineWorldRoom(services: ServerServices) {
  class BoundWorldRoom extends WorldRoom {
    protected override services = services;

    static override async onAuth(_token: string, options: Record<string, unknown>): Promise<boolean> {
      const parsed = parsePayload(joinOptions, options ?? {}, "join options");
      if (!parsed.ok) throw new ServerError(JOIN_ERROR.badOptions, `${parsed.error.code}: ${parsed.error.message}`);
      const { sessionId } = parsed.value;
      const session = sessionId === undefined ? undefined : services.sessions.get(sessionId);
      if (sessionId !== undefined && !session) throw new ServerError(JOIN_ERROR.notFound, `session/not-found: no session "${sessionId}"`);
      if (sessionId !== undefined && services.connectedSessions.has(sessionId)) {
        throw new ServerError(JOIN_ERROR.conflict, `session/already-connected: session "${sessionId}" is already connected to world ${services.connectedSessions.get(sessionId)}`);
      }
      const worldId = parsed.value.worldId ?? session?.worldId ?? services.worlds.defaultId;
      if (!services.worlds.byId.has(worldId)) {
        throw new ServerError(JOIN_ERROR.notFound, `world/not-found: no world "${worldId}" (have: ${[...services.worlds.byId.keys()].join(", ")})`);
      }
      options.worldId = worldId;
      return true;
    }
  }
  return defineRoom(BoundWorldRoom).filterBy(["worldId"]);
}
