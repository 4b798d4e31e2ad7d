/**
 * The world room: a thin adapter between Colyseus and one running world (STYLE §2). The world
 * itself, its persistence, sessions, tick and typed port are the framework-free runtime
 * (src/server/world-runtime.ts); the room validates messages at the edge, mirrors the state into
 * schema, keeps each client's area of interest, and sends one patch per tick.
 *
 * Protocol (README, "Wire protocol"):
 * - join: `joinOrCreate("world", { worldId?, name?, sessionId?, character? })`; one room per world
 *   (`filterBy(["worldId"])`, with `worldId` defaulted before matchmaking so every client of a
 *   world meets in one room);
 * - server → client: `welcome { actorId, worldId, tick, sessionId }`, `error { code, message, details? }`;
 * - client → server: an intent of a registered action kind: `move { dir }`, or a plugin's.
 * HTTP routes and plugins reach the world through the runtime's port (`services.runtimes`).
 */
import { performance } from "node:perf_hooks";
import { defineRoom, Room, SchemaSerializer, ServerError, type Client, type RoomException, type RoomMethodName } from "@colyseus/core";
import type { ActionKind, WorldDef } from "../src/core/index.ts";
import { DEFAULT_INTEREST_RADIUS } from "../src/content/world-file.ts";
import { CLOSE_CODES, errorInfo, makeError, type ErrorReply } from "../src/errors.ts";
import { describeMessageType, findStatFields, MAX_MESSAGES_PER_SECOND, parsePayload, readCatchAll, type JoinOptions } from "../src/server/protocol.ts";
import type { ServerServices } from "../src/server/services.ts";
import { planJoin } from "../src/server/session-join.ts";
import { openWorldHost } from "../src/server/world-host.ts";
import { createWorldRuntime, type WorldRuntime } from "../src/server/world-runtime.ts";
import { answerPortRequest, PORT_ENTRY, type PortRequest } from "../src/server/world-ports.ts";
import { InterestManager } from "./interest.ts";
import { handleRoomFault } from "./room-faults.ts";
import { RoomInstruments, type RoomMetadata } from "./room-metrics.ts";
import { PacedSchemaSerializer } from "./paced-serializer.ts";
import { eventLoopLoad, PatchPacer } from "./patch-pacer.ts";
import { admitJoin, JOIN_ERROR, type SeatAuth } from "./join-admission.ts";
import { Reconnections } from "./reconnection.ts";
import { claimWorld, releaseSession, releaseWorld } from "./world-claim.ts";
import { dropSlowClients } from "./slow-clients.ts";
import { createActorState, createWorldState, mirrorClock, mirrorInventory, mirrorStats, subscribeMirror, type SyncedActors, type SyncSchema, type WorldState } from "./schema.ts";
import type { WelcomeMessage } from "../src/wire.ts";


/** A connected player: its actor and its persistent session. */
interface Player {
  actorId: string;
  sessionId: string;
}

export class WorldRoom extends Room<{ state: WorldState; metadata: RoomMetadata }> {
  protected services!: ServerServices;
  private runtime!: WorldRuntime;
  private worldId = "";
  /** Colyseus client session id → player. */
  private readonly players = new Map<string, Player>();
  /** Names a client message may not carry: stat definitions and axes of this world. */
  private statNames: ReadonlySet<string> = new Set();
  /** Clients joined since the last tick: they get `welcome` after it (see onJoin). */
  private pendingWelcomes: Array<{ client: Client; sessionId: string }> = [];
  private instruments!: RoomInstruments;
  private interest!: InterestManager;
  /** The serializer this room installed (setSerializer). */
  private serializer: PacedSchemaSerializer<WorldState> | undefined;
  /** Sends a patch every tick, or every k-th under load (rooms/patch-pacer.ts). */
  private pacer!: PatchPacer;
  /** Clients closed for a full send queue, not yet gone. */
  private readonly dropping = new WeakSet<Client>();
  /** Dropped clients' reconnection windows, and which closes are kicks (rooms/reconnection.ts). */
  private reconnections!: Reconnections;
  /** This world's schema classes (rooms/schema.ts). */
  private sync!: SyncSchema;
  private synced!: SyncedActors;

  override maxMessagesPerSecond = MAX_MESSAGES_PER_SECOND;

  override async onCreate(options: JoinOptions): Promise<void> {
    const def = this.services.worlds.byId.get(options.worldId ?? this.services.worlds.defaultId);
    if (!def) throw new ServerError(JOIN_ERROR.notFound, `world/not-found: no world "${options.worldId}"`);
    await claimWorld(this.services, def.id); // one process hosts a world at a time (issue 14)
    try {
      this.openWorld(def);
    } catch (error) {
      releaseWorld(this.services, def.id);
      throw error;
    }
  }

  /** Opens the claimed world: its host, runtime, synced state, area of interest, handlers and tick. */
  private openWorld(def: WorldDef): void {
    this.instruments = new RoomInstruments(this.services.metrics, def.id);
    const host = openWorldHost(def, this.services.store, this.services.persistence, this.services.logger, {
      onSnapshot: () => this.runtime.saveAll(),
      onJournal: (_entries, lag, commit) => this.instruments.observeJournal(lag, commit),
    }, this.services.plugins.rules);
    // A lapsed claim fences the world (no more writes) and closes the room: its players join it again where it runs.
    const onFenced = () => void this.disconnect(CLOSE_CODES.worldMoved);
    this.runtime = createWorldRuntime({ services: this.services, def, host, instruments: this.instruments, label: this.roomId, onFenced });
    this.worldId = def.id;
    this.reconnections = new Reconnections({ windowS: () => this.services.reconnectWindowS, clock: this.clock, allow: (client) => this.allowReconnection(client, "manual"), metrics: this.services.metrics, world: def.id });
    const { world } = this.runtime;
    const synced = createWorldState(world);
    this.sync = synced.sync;
    this.state = synced.state;
    this.synced = synced.synced;
    this.interest = new InterestManager(world, this.synced, def.interestRadius ?? DEFAULT_INTEREST_RADIUS);
    // The area of interest notes each tick's moves (its onTick) and settles views before each patch (runTick).
    this.interest.subscribe(this.runtime.events, { deferSettle: true });
    // Each client's view pass walks only the changes of the actors its view holds (view-changes.ts).
    this.serializer?.filterViews(this.interest.viewIndex());
    subscribeMirror(this.runtime.events, world, this.sync, this.synced);
    this.statNames = new Set(world.layout.slots.flatMap((slot) => [slot.definition, slot.axis]));
    void this.setMetadata({ worldId: def.id, name: def.name, tickMs: 0, actors: world.order.length, clients: 0, topPlugin: "", tick: world.tick });
    // One handler per registered action kind: a plugin's kind is a message type like `move`.
    for (const kind of world.rules.actions.kinds.values()) this.onMessage(kind.name, (client, payload) => this.handleAction(client, kind, payload));
    this.onMessage("*", (client, rawType: unknown, rawPayload: unknown) => this.handleUnknown(client, readCatchAll(rawType, rawPayload)));
    this.pacer = new PatchPacer(1000 / def.tickRate, def.tickRate, eventLoopLoad(), () => this.services.acceptQueue() ?? 0);
    this.setFixedTimestep(() => this.runTick(), def.tickRate);
    // Patches are sent by runTick (every tick, or every k-th under load). Order matters: disabling patches before the fixed step
    // exists makes Colyseus start a second clock ticker, and the fixed step then runs far too slowly.
    this.patchRate = null;
  }

  /**
   * Colyseus sets its stock schema serializer when the state is assigned (then resets it with the
   * state); ours takes its place: it encodes a storm's full states once per patch (paced-serializer.ts).
   */
  override setSerializer(serializer: Parameters<Room["setSerializer"]>[0]): void {
    const chosen = serializer instanceof SchemaSerializer && !(serializer instanceof PacedSchemaSerializer) ? new PacedSchemaSerializer<WorldState>() : serializer;
    if (chosen instanceof PacedSchemaSerializer) this.serializer = chosen;
    super.setSerializer(chosen);
  }

  override onJoin(client: Client<{ auth: SeatAuth }>, options: JoinOptions): void {
    const started = performance.now();
    const reservedAt = client.auth?.reservedAt;
    if (typeof reservedAt === "number") this.services.metrics.seatWait.observe({ world: this.worldId }, Math.max(0, Date.now() - reservedAt) / 1000);
    const def = this.services.worlds.byId.get(this.worldId)!;
    const userId = client.auth?.userId;
    if (userId === undefined) throw new ServerError(JOIN_ERROR.unauthorized, `auth/token-required: ${errorInfo("auth/token-required").message}`);
    const plan = planJoin(this.services, def, options ?? {}, userId);
    const joined = plan.ok ? this.runtime.join(plan.value) : plan;
    if (!joined.ok) {
      releaseSession(this.services, options?.sessionId);
      throw new ServerError(plan.ok ? JOIN_ERROR.conflict : errorInfo(joined.code).status, `${joined.code}: ${joined.message}`);
    }
    const { actor, session } = joined.value;
    this.players.set(client.sessionId, { actorId: actor.id, sessionId: session.id });
    this.runtime.connect(actor.id, (type, message) => client.send(type, message));
    const actorState = createActorState(this.sync, actor);
    mirrorStats(this.sync, this.runtime.world.layout, actor, actorState);
    mirrorInventory(actor, actorState);
    this.synced.add(actor, actorState);
    this.interest.actorAdded(actor);
    this.interest.attach(client, actor);
    this.instruments.countBytesSent(client);
    this.instruments.setClients(this.clients.length);
    this.reconnections.watch(client);
    // Sent after the next tick, not here: the SDK drops a message that arrives before the client's
    // joinOrCreate() has resolved and registered its handlers, which happens under load.
    this.pendingWelcomes.push({ client, sessionId: client.sessionId });
    this.services.metrics.joinWork.observe({ world: this.worldId }, (performance.now() - started) / 1000);
  }

  /**
   * A connection closed without a consented leave: a lost connection keeps its actor and session
   * for `RECONNECT_WINDOW_S` (rooms/reconnection.ts); a kick, or a client offered no window, leaves
   * now (Colyseus calls onLeave next).
   */
  override onDrop(client: Client, code?: number): void {
    const player = this.players.get(client.sessionId);
    if (player === undefined || !this.reconnections.offer(client, code)) return;
    this.runtime.disconnect(player.actorId);
    this.instruments.setClients(this.clients.length);
  }

  /**
   * A dropped client came back within its window (`client.reconnect(token)`, or the SDK's own
   * retry) as a new connection with the same Colyseus session id: it controls its actor again, keeps
   * its view (Colyseus hands it over), and gets `welcome` again after the next tick.
   */
  override onReconnect(client: Client): void {
    this.reconnections.reconnected(client);
    const player = this.players.get(client.sessionId);
    if (player === undefined) return;
    this.runtime.connect(player.actorId, (type, message) => client.send(type, message));
    this.instruments.countBytesSent(client);
    this.instruments.setClients(this.clients.length);
    this.pendingWelcomes.push({ client, sessionId: client.sessionId });
  }

  /** The one leave path: a consented leave, a kick, a drop offered no window, or a window that ran out. */
  override onLeave(client: Client): void {
    this.reconnections.close(client.sessionId);
    const player = this.players.get(client.sessionId);
    if (player !== undefined) this.removePlayer(client.sessionId, player);
  }

  override onDispose(): void {
    // Players still in a reconnection window leave as on any leave, before the world's last snapshot.
    for (const [sessionId, player] of this.players) this.removePlayer(sessionId, player);
    this.runtime?.close();
    if (this.runtime) releaseWorld(this.services, this.worldId);
  }

  /** Answers another process's call of this world's port (src/server/world-ports.ts). */
  [PORT_ENTRY](request: PortRequest): unknown {
    return answerPortRequest(this.runtime, request);
  }

  /** Saves the player's progress and removes its actor, view and synced state. */
  private removePlayer(sessionId: string, player: Player): void {
    this.players.delete(sessionId);
    const left = this.runtime.leave(player.actorId);
    this.interest.detach(player.actorId);
    if (left) this.interest.actorRemoved(left);
    this.synced.remove(player.actorId);
    this.instruments.setClients(this.clients.length);
  }

  /**
   * Colyseus calls this instead of ending the process when a message handler, a hook, the fixed
   * step or a clock timer throws (rooms/room-faults.ts): logged, the client told, the world ticks on.
   */
  override onUncaughtException(error: RoomException, method: RoomMethodName): void {
    handleRoomFault({ roomId: this.roomId, worldId: this.worldId, faults: this.services.faults }, error, method);
  }

  /**
   * A client's intent of a registered action kind (`move`, or a plugin's): refused whole if it
   * carries stats, admitted by the kind's edge when a plugin gave one (`ActionEdge`), validated by
   * the kind's payload schema, queued for the next tick.
   */
  private handleAction(client: Client, kind: ActionKind, raw: unknown): void {
    const player = this.players.get(client.sessionId);
    if (player === undefined) return this.reply(client, makeError("command/no-actor", "this connection has no actor"));
    // A kind's own edge first (its plugin answers and audits its refusals), then the server's stat-field rule.
    let payload = raw;
    const edge = this.services.plugins.edges.get(kind.name);
    const actor = this.runtime.world.byId.get(player.actorId);
    if (edge !== undefined && actor !== undefined) {
      const admitted = edge.admit({ world: this.runtime.world, actor, sessionId: player.sessionId, payload: raw });
      if (!admitted.ok) return this.reply(client, makeError(admitted.code, admitted.message));
      payload = admitted.value;
    }
    if (this.refuseStatFields(client, kind.name, payload)) return;
    const parsed = parsePayload(kind.payload, payload, kind.name);
    if (!parsed.ok) return this.reply(client, parsed.error);
    const queued = this.runtime.submit(player.actorId, kind.name, parsed.value);
    if (!queued.ok) this.reply(client, makeError(queued.code, queued.message));
  }

  /** Any message type that is no action kind: refused with `command/forbidden-field` or `command/unknown-type`. */
  private handleUnknown(client: Client, message: { type: unknown; payload: unknown }): void {
    const type = describeMessageType(message.type);
    if (this.refuseStatFields(client, type, message.payload)) return;
    const known = [...this.runtime.world.rules.actions.kinds.keys()].join(", ");
    this.reply(client, makeError("command/unknown-type", `unknown message type ${type}; expected one of: ${known}`));
  }

  private runTick(): void {
    const result = this.runtime.tick();
    if (result.tick % this.runtime.world.tickRate === 0) {
      const tickMs = Math.round(this.instruments.averageTickMs() * 1000) / 1000;
      const { world } = this.runtime;
      void this.setMetadata({ ...this.metadata, tickMs, actors: world.order.length, clients: this.clients.length, topPlugin: this.instruments.topPlugin(), tick: world.tick });
    }
    this.state.tick = result.tick;
    mirrorClock(this.runtime.world, this.state);
    if (this.pacer.due()) {
      const started = performance.now();
      this.mirrorInventories();
      this.interest.settle();
      this.broadcastPatch();
      const patchMs = performance.now() - started;
      this.pacer.observe(patchMs);
      this.instruments.observePatch(patchMs, this.pacer.ticksPerPatch);
    }
    this.sendWelcomes();
    for (const drop of dropSlowClients(this.clients, this.services.sendQueueLimitBytes, this.dropping)) {
      this.services.metrics.slowClients.inc({ world: this.worldId });
      this.services.logger.warn({ worldId: this.worldId, sessionId: drop.sessionId, queuedBytes: drop.queuedBytes }, "slow client disconnected: its send queue passed SEND_QUEUE_LIMIT");
    }
  }

  /** Players' inventories (owner-only), before each patch: a reference check each, a copy only when one changed. */
  private mirrorInventories(): void {
    for (const { actorId } of this.players.values()) {
      const actor = this.runtime.world.byId.get(actorId);
      const actorState = actor && this.synced.of(actor);
      if (actor && actorState) for (const created of mirrorInventory(actor, actorState)) this.interest.grant(actorId, created);
    }
  }

  private sendWelcomes(): void {
    for (const { client, sessionId } of this.pendingWelcomes) {
      const player = this.players.get(sessionId);
      if (player) client.send("welcome", { actorId: player.actorId, worldId: this.worldId, tick: this.runtime.world.tick, sessionId: player.sessionId } satisfies WelcomeMessage);
    }
    this.pendingWelcomes = [];
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
 * Registers the world room with its services. Joins are admitted in the static `onAuth`, which
 * Colyseus runs before it picks a room (rooms/join-admission.ts).
 */
export function defineWorldRoom(services: ServerServices) {
  class BoundWorldRoom extends WorldRoom {
    protected override services = services;

    static override async onAuth(token: string, options: Record<string, unknown> | null): Promise<SeatAuth> {
      return admitJoin(services, token, options);
    }
  }
  return defineRoom(BoundWorldRoom).filterBy(["worldId"]);
}
