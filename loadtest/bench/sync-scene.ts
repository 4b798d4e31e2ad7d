/**
 * One sync scene for the sync benchmark: a core simulation and the room's real sync path around it,
 * without sockets. It holds what WorldRoom holds (a WorldState from `createWorldState`, an
 * InterestManager, the SchemaSerializer that `broadcastPatch` drives) and replays the room's steps:
 * - join   = WorldRoom.onJoin minus sessions (join input, ActorState, `actorAdded`, `attach`), then
 *            what Colyseus does when the client acknowledges the join: `getFullState(client)`;
 * - tick   = WorldRoom.runTick minus metrics: `stepSimulation`, the tick's events to the area of
 *            interest and the mirror (the room's own subscribers: `InterestManager.subscribe`,
 *            `subscribeMirror`), and `applyPatches(clients)` (= `broadcastPatch` with no input
 *            controller).
 *
 * Fake clients carry only what those paths read: `sessionId`, `state`, `view` (set by `attach`),
 * `ref`, and `raw(bytes)`, which records the frame length and a timestamp (the gap between two
 * clients' frames is one `encodeView`).
 */
import { ClientState, SchemaSerializer, type Client } from "@colyseus/core";
import type { StateView } from "@colyseus/schema";
import { createEventBus, createSimulation, createWorld, stepSimulation, submitInput, type Actor, type EventBus, type Simulation, type TickResult } from "../../src/core/index.ts";
import { InterestManager } from "../../rooms/interest.ts";
import { createActorState, createWorldState, mirrorStats, subscribeMirror, type WorldState } from "../../rooms/schema.ts";
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
  readonly state: WorldState;
  readonly interest: InterestManager;
  /**
   * The room's subscribers on two buses, published one after the other, so the bench can time the
   * area of interest and the mirror apart (in the room they share one bus, in the same order).
   */
  readonly buses: { interest: EventBus; mirror: EventBus };
  readonly serializer: SchemaSerializer<WorldState>;
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

export function createSyncScene(dense: DenseWorld, radius: number): SyncScene {
  const sim = createSimulation(createWorld(dense.def));
  const state = createWorldState(sim.world);
  const interest = new InterestManager(sim.world, state, radius);
  const buses = { interest: createEventBus(), mirror: createEventBus() };
  interest.subscribe(buses.interest);
  subscribeMirror(buses.mirror, sim.world, state);
  const serializer = new SchemaSerializer<WorldState>();
  serializer.reset(state);
  const scene: SyncScene = { sim, state, interest, buses, serializer, radius, clients: [], players: [], frames: { count: 0, bytes: 0, maxBytes: 0, stamps: [] } };
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
  const { sim, state, interest, serializer, frames } = scene;
  const sessionId = `bench-${scene.clients.length + 1}`;
  const joined = submitInput(sim, { type: "join", actorId: "", name: sessionId, at: [x, y] });
  if (!joined.ok) throw new Error(`bench join on [${x}, ${y}] rejected: ${joined.message}`);
  const actor = joined.value;
  if (actor.x !== x || actor.y !== y) throw new Error(`bench join: asked for [${x}, ${y}], got [${actor.x}, ${actor.y}]`);
  const client: FakeClient = {
    sessionId,
    state: ClientState.JOINING,
    ref: { send() {} },
    raw(bytes) {
      frames.count++;
      frames.bytes += bytes.length;
      if (bytes.length > frames.maxBytes) frames.maxBytes = bytes.length;
      frames.stamps.push(process.hrtime.bigint());
    },
  };
  const actorState = createActorState(actor);
  mirrorStats(sim.world.layout, actor, actorState);
  state.actors.set(actor.id, actorState);
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

/** Sends one patch without stepping the core (a join landing between ticks). */
export function sendPatch(scene: SyncScene): void {
  resetFrames(scene.frames);
  scene.serializer.applyPatches(scene.clients as unknown as Client[]);
}

export function resetFrames(frames: FrameLog): void {
  frames.count = 0;
  frames.bytes = 0;
  frames.maxBytes = 0;
  frames.stamps.length = 0;
}

/** One room tick over the inputs already submitted. Frames land in `scene.frames` (reset first). */
export function runRoomTick(scene: SyncScene): { result: TickResult; times: TickTimes } {
  resetFrames(scene.frames);
  const t0 = process.hrtime.bigint();
  const result = stepSimulation(scene.sim);
  const t1 = process.hrtime.bigint();
  scene.buses.interest.publish(result);
  const t2 = process.hrtime.bigint();
  scene.buses.mirror.publish(result);
  scene.state.tick = result.tick;
  const t3 = process.hrtime.bigint();
  scene.serializer.applyPatches(scene.clients as unknown as Client[]);
  const t4 = process.hrtime.bigint();
  const { stamps } = scene.frames;
  const perView = stamps.length > 1 ? elapsedMs(stamps[0]!, stamps[stamps.length - 1]!) / (stamps.length - 1) : 0;
  return { result, times: { core: elapsedMs(t0, t1), interest: elapsedMs(t1, t2), mirror: elapsedMs(t2, t3), encode: elapsedMs(t3, t4), perView } };
}


