/**
 * The stock baseline of the sync benchmark (issue 11 §1): the scene a Colyseus user would write
 * without Arbiter, fed the same actors and the same committed moves as Arbiter's own scene.
 * - State: a minimal schema, `StockActor { id, x, y }` in `StockState.actors` (a `.view()` map).
 * - Interest: one `StateView` per client, refreshed every tick by a plain scan of every actor
 *   against the client's actor (Euclidean distance ≤ radius, cells; no hysteresis, no spatial
 *   index). Written as a careful user would: positions in typed arrays beside the schema (schema
 *   getters are slow to scan), membership in one byte per actor per client.
 * - Encode: Colyseus's own `SchemaSerializer.applyPatches`, as `broadcastPatch` runs it.
 * Timed per tick: `mirror` (copying the tick's moves into the schema), `interest` (the scans) and
 * `encode`; its full tick is their sum (it has no simulation of its own: the positions are
 * Arbiter's). Frames are counted as in sync-scene.ts.
 */
import { ClientState, SchemaSerializer, type Client } from "@colyseus/core";
import { schema, StateView, t, type SchemaType } from "@colyseus/schema";
import type { Actor, TickResult, World } from "../../src/core/index.ts";
import { recordFrame, resetFrames, type FakeClient, type FrameLog } from "./sync-scene.ts";
import { elapsedMs } from "./stats.ts";

const StockActor = schema({ id: t.string(), x: t.uint16(), y: t.uint16() }, "StockActor");
type StockActor = SchemaType<typeof StockActor>;
const StockState = schema({ actors: t.map(StockActor).view() }, "StockState");
type StockState = SchemaType<typeof StockState>;

interface StockClient extends FakeClient {
  /** Index of the client's actor in `entities`. */
  readonly entity: number;
  view: StateView;
  /** 1 where the entity of that index is in the view. */
  inView: Uint8Array;
}

export interface StockScene {
  readonly state: StockState;
  /** Each actor's schema object, by entity index. */
  readonly entities: StockActor[];
  /** Cells by entity index (capacity grows by doubling). */
  xs: Int32Array;
  ys: Int32Array;
  readonly indexOf: Map<string, number>;
  readonly serializer: SchemaSerializer<StockState>;
  readonly clients: StockClient[];
  readonly frames: FrameLog;
  readonly radius: number;
}

export interface StockTimes {
  mirror: number;
  interest: number;
  encode: number;
}

/** The stock scene over `world`'s actors as they are now, with no clients yet. */
export function createStockScene(world: World, radius: number): StockScene {
  const serializer = new SchemaSerializer<StockState>();
  const scene: StockScene = { state: new StockState(), entities: [], xs: new Int32Array(1024), ys: new Int32Array(1024), indexOf: new Map(), serializer, clients: [], frames: { count: 0, bytes: 0, maxBytes: 0, stamps: [] }, radius };
  for (const actor of world.order) addEntity(scene, actor);
  serializer.reset(scene.state);
  serializer.applyPatches([]);
  return scene;
}

function addEntity(scene: StockScene, actor: Actor): number {
  const stock = new StockActor();
  stock.id = actor.id;
  stock.x = actor.x;
  stock.y = actor.y;
  scene.state.actors.set(actor.id, stock);
  const i = scene.entities.length;
  if (i === scene.xs.length) {
    const xs = new Int32Array(i * 2);
    const ys = new Int32Array(i * 2);
    xs.set(scene.xs);
    ys.set(scene.ys);
    scene.xs = xs;
    scene.ys = ys;
  }
  scene.indexOf.set(actor.id, i);
  scene.entities.push(stock);
  scene.xs[i] = actor.x;
  scene.ys[i] = actor.y;
  return i;
}

/** A client for `actor` (a player that just joined Arbiter's scene): its actor added, its view filled. */
export function joinStockClient(scene: StockScene, actor: Actor): void {
  const entity = scene.indexOf.get(actor.id) ?? addEntity(scene, actor);
  const { frames } = scene;
  const client: StockClient = {
    sessionId: `stock-${scene.clients.length + 1}`,
    entity,
    state: ClientState.JOINED,
    view: new StateView(),
    inView: new Uint8Array(0),
    ref: { send() {} },
    raw: (bytes) => recordFrame(frames, bytes),
  };
  scene.clients.push(client);
  scanView(scene, client);
}

/** One stock tick after Arbiter's tick `result`: its moves copied, every view rescanned, one patch. */
export function runStockTick(scene: StockScene, result: TickResult): StockTimes {
  resetFrames(scene.frames);
  const t0 = process.hrtime.bigint();
  for (const event of result.events) {
    if (event.type !== "moved" && event.type !== "respawned") continue;
    const i = scene.indexOf.get(event.actorId);
    if (i === undefined) continue;
    const stock = scene.entities[i]!;
    scene.xs[i] = stock.x = event.x;
    scene.ys[i] = stock.y = event.y;
  }
  const t1 = process.hrtime.bigint();
  for (const client of scene.clients) scanView(scene, client);
  const t2 = process.hrtime.bigint();
  scene.serializer.applyPatches(scene.clients as unknown as Client[]);
  const t3 = process.hrtime.bigint();
  return { mirror: elapsedMs(t0, t1), interest: elapsedMs(t1, t2), encode: elapsedMs(t2, t3) };
}

/** The naive scan: every actor against the client's, added or removed as it crosses the radius. */
function scanView(scene: StockScene, client: StockClient): void {
  const { entities, xs, ys } = scene;
  const n = entities.length;
  if (client.inView.length < n) {
    const grown = new Uint8Array(n);
    grown.set(client.inView);
    client.inView = grown;
  }
  const ox = xs[client.entity]!;
  const oy = ys[client.entity]!;
  const r2 = scene.radius * scene.radius;
  const inView = client.inView;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - ox;
    const dy = ys[i]! - oy;
    const inside = dx * dx + dy * dy <= r2 ? 1 : 0;
    if (inside === inView[i]) continue;
    inView[i] = inside;
    if (inside === 1) client.view.add(entities[i]!);
    else client.view.remove(entities[i]!);
  }
}
