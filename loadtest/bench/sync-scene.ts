/**
 * One sync scene for the sync benchmark: the real world runtime (src/server/world-runtime.ts, the
 * one WorldRoom drives) and the room's real sync path around it, without sockets. It holds what
 * WorldRoom holds (the runtime, a WorldState from `createWorldState`, an InterestManager, the
 * SchemaSerializer that `broadcastPatch` drives) and replays the room's steps:
 * - join   = WorldRoom.onJoin: `runtime.join` (spawn, session stored in an in-memory database),
 *            ActorState, `actorAdded`, `attach`; then what Colyseus does when the client
 *            acknowledges the join: `getFullState(client)`;
 * - tick   = WorldRoom.runTick minus metrics: `runtime.tick()` (the core step, timed inside the
 *            host, and the tick's events to the room's subscribers, the area of interest and the
 *            mirror, each on its own bus so they are timed apart), and `applyPatches(clients)`
 *            (= `broadcastPatch` with no input controller).
 *
 * Fake clients carry only what those paths read: `sessionId`, `state`, `view` (set by `attach`),
 * `ref`, and `raw(bytes)`, which records the frame length and a timestamp (the gap between two
 * clients' frames is one `encodeView`).
 */
import { ClientState, type Client } from "@colyseus/core";
import type { StateView } from "@colyseus/schema";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEventBus, createSimulation, createWorld, stepSimulation, type Actor, type EventBus, type Input, type Result, type Simulation, type TickResult } from "../../src/core/index.ts";
import type { JoinPlan } from "../../src/server/session-join.ts";
import type { SessionStore } from "../../src/server/session-store.ts";
import { loadStandalonePlugins } from "../../src/server/standalone-plugins.ts";
import { SERVER_JOURNAL_WINDOW, type WorldHost } from "../../src/server/world-host.ts";
import { createWorldRuntime, type WorldRuntime } from "../../src/server/world-runtime.ts";
import { InterestManager } from "../../rooms/interest.ts";
import { PacedSchemaSerializer } from "../../rooms/paced-serializer.ts";
import { createActorState, createWorldState, mirrorStats, subscribeMirror, type SyncedActors, type SyncSchema, type WorldState } from "../../rooms/schema.ts";
import type { DenseWorld } from "./dense-world.ts";
import { elapsedMs } from "./stats.ts";

/** What the serializer and the interest manager touch on a client. */
export interface FakeClient {
  readonly sessionId: string;
  state: ClientState;
  view?: StateView;
  readonly ref: { send(): void };
  raw(bytes: Uint8Array): void;
}

/** Frames seen by the fake clients since the last `resetFrames`. */
export interface FrameLog {
  count: number;
  bytes: number;
  /** Largest single frame. */
  maxBytes: number;
  /** hrtime of each frame, in send order. */
  readonly stamps: bigint[];
}

export interface SyncScene {
  readonly sim: Simulation;
  /** The world runtime that steps `sim` (world-runtime.ts), as in WorldRoom. */
  readonly runtime: WorldRuntime;
  readonly sessions: SessionStore;
  /** The last core step, ms (timed inside the host). */
  readonly timer: { coreMs: number };
  /** The last tick's area-of-interest and mirror times, ms. */
  readonly tickTimes: { interest: number; mirror: number };
  readonly state: WorldState;
  readonly sync: SyncSchema;
  readonly synced: SyncedActors;
  readonly interest: InterestManager;
  /**
   * The room's subscribers on two buses, published one after the other, so the bench can time the
   * area of interest and the mirror apart (in the room they share one bus, in the same order).
   */
  readonly buses: { interest: EventBus; mirror: EventBus };
  readonly serializer: PacedSchemaSerializer<WorldState>;
  /** Cells; 0 = everyone sees everyone. */
  readonly radius: number;
  readonly clients: FakeClient[];
  /** Client i's actor. */
  readonly players: Actor[];
  readonly frames: FrameLog;
}

/** Times of one room tick, in ms. */
export interface TickTimes {
  core: number;
  interest: number;
  mirror: number;
  /** `applyPatches`: shared encode, one `encodeView` per client, `discardChanges`. */
  encode: number;
  /** First to last client frame ÷ (clients − 1): one `encodeView` (0 with one client). */
  perView: number;
}

export interface JoinSample {
  /** `getFullState(client)`: encodeAll (when changes are pending) + encodeAllView. */
  fullStateMs: number;
  fullStateBytes: number;
}

/**
 * A scene around a real world runtime (src/server/world-runtime.ts), the one WorldRoom drives:
 * in-memory database and sessions, no plugins, a host without persistence whose step is timed.
 */
export async function createSyncScene(dense: DenseWorld, radius: number, options: { filterViews?: boolean } = {}): Promise<SyncScene> {
  const sim = createSimulation(createWorld(dense.def), SERVER_JOURNAL_WINDOW); // as a server keeps it (world-host.ts)
  // The runtime's services in memory, with no plugins (an empty plugins directory).
  const { services } = await loadStandalonePlugins(mkdtempSync(join(tmpdir(), "arbiter-bench-plugins-")));
  const timer = { coreMs: 0 };
  const host: WorldHost = {
    sim,
    step() {
      const t0 = process.hrtime.bigint();
      const result = stepSimulation(sim);
      timer.coreMs = elapsedMs(t0, process.hrtime.bigint());
      return result;
    },
    flush() {},
    fence() {},
    close() {},
  };
  const runtime = createWorldRuntime({ services, def: dense.def, host, instruments: { observeTick: () => 0, observePlugins: () => [] }, label: "bench" });
  const { state, sync, synced } = createWorldState(sim.world);
  const interest = new InterestManager(sim.world, synced, radius);
  const buses = { interest: createEventBus(), mirror: createEventBus() };
  interest.subscribe(buses.interest);
  subscribeMirror(buses.mirror, sim.world, sync, synced);
  const serializer = new PacedSchemaSerializer<WorldState>(); // the room's (rooms/paced-serializer.ts)
  serializer.reset(state);
  if (options.filterViews ?? true) serializer.filterViews(interest.viewIndex()); // as the room does
  const scene: SyncScene = { sim, runtime, sessions: services.sessions, timer, tickTimes: { interest: 0, mirror: 0 }, state, sync, synced, interest, buses, serializer, radius, clients: [], players: [], frames: { count: 0, bytes: 0, maxBytes: 0, stamps: [] } };
  // The room's subscribers, run by the runtime's tick; each on its own bus so the bench times them apart.
  runtime.events.onTick((result) => {
    const t0 = process.hrtime.bigint();
    buses.interest.publish(result);
    const t1 = process.hrtime.bigint();
    buses.mirror.publish(result);
    scene.tickTimes.interest = elapsedMs(t0, t1);
    scene.tickTimes.mirror = elapsedMs(t1, process.hrtime.bigint());
  });
  // The room's first patch, before anyone joined: drops the change records of the initial state.
  sendPatch(scene);
  return scene;
}


/**
 * WorldRoom.onJoin for a player on `[x, y]`, then (with `snapshot`) the full state Colyseus sends
 * when the client acknowledges the join. `getFullState` changes no state or view, so joins that
 * skip it (to keep big runs short) leave the scene exactly as the room would.
 */
export function joinClient(scene: SyncScene, x: number, y: number, snapshot: boolean): JoinSample | null {
  const { sim, interest, serializer, frames } = scene;
  const sessionId = `bench-${scene.clients.length + 1}`;
  const plan: JoinPlan = {
    name: sessionId,
    stats: { base: {} },
    at: [x, y],
    state: {},
    commit: () => scene.sessions.create({ playerName: sessionId, worldId: sim.world.id, character: { template: "bench", name: sessionId, traits: [], customizations: {}, stats: {} } }),
  };
  const joined = scene.runtime.join(plan);
  if (!joined.ok) throw new Error(`bench join on [${x}, ${y}] rejected: ${joined.message}`);
  const { actor } = joined.value;
  if (actor.x !== x || actor.y !== y) throw new Error(`bench join: asked for [${x}, ${y}], got [${actor.x}, ${actor.y}]`);
  const client: FakeClient = {
    sessionId,
    state: ClientState.JOINING,
    ref: { send() {} },
    raw(bytes) {
      recordFrame(frames, bytes);
      frames.stamps.push(process.hrtime.bigint());
    },
  };
  const actorState = createActorState(scene.sync, actor);
  mirrorStats(scene.sync, sim.world.layout, actor, actorState);
  scene.synced.add(actor, actorState);
  interest.actorAdded(actor);
  interest.attach(client as unknown as Client, actor);
  scene.clients.push(client);
  scene.players.push(actor);
  client.state = ClientState.JOINED;
  if (!snapshot) return null;
  const t0 = process.hrtime.bigint();
  const full = serializer.getFullState(client as unknown as Client);
  const t1 = process.hrtime.bigint();
  return { fullStateMs: elapsedMs(t0, t1), fullStateBytes: full.length };
}

/** Queues a tick's intent through the runtime, as the room does for a client's message. */
export function submitMove(scene: SyncScene, input: Input): Result<Actor> {
  if (input.type !== "act") throw new Error(`sync bench: only act inputs are submitted, got ${input.type}`);
  return scene.runtime.submit(input.actorId, input.kind, input.payload);
}

/** Sends one patch without stepping the core (a join landing between ticks). */
export function sendPatch(scene: SyncScene): void {
  resetFrames(scene.frames);
  scene.serializer.applyPatches(scene.clients as unknown as Client[]);
}

/** Counts one frame a fake client received. */
export function recordFrame(frames: FrameLog, bytes: Uint8Array): void {
  frames.count++;
  frames.bytes += bytes.length;
  if (bytes.length > frames.maxBytes) frames.maxBytes = bytes.length;
}

export function resetFrames(frames: FrameLog): void {
  frames.count = 0;
  frames.bytes = 0;
  frames.maxBytes = 0;
  frames.stamps.length = 0;
}

/** One room tick (the runtime's, as WorldRoom.runTick) over the inputs already submitted. Frames land in `scene.frames` (reset first). */
export function runRoomTick(scene: SyncScene): { result: TickResult; times: TickTimes } {
  resetFrames(scene.frames);
  const result = scene.runtime.tick();
  scene.state.tick = result.tick;
  const t3 = process.hrtime.bigint();
  scene.serializer.applyPatches(scene.clients as unknown as Client[]);
  const t4 = process.hrtime.bigint();
  const { stamps } = scene.frames;
  const perView = stamps.length > 1 ? elapsedMs(stamps[0]!, stamps[stamps.length - 1]!) / (stamps.length - 1) : 0;
  return { result, times: { core: scene.timer.coreMs, interest: scene.tickTimes.interest, mirror: scene.tickTimes.mirror, encode: elapsedMs(t3, t4), perView } };
}
