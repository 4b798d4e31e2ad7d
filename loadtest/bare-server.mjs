#!/usr/bin/env node
// A bare Colyseus 0.18 server: the baseline of `npm run loadtest -- --compare-bare`. It has what
// any grid game needs and nothing of Arbiter's: a `world` room per worldId whose state is the tick
// and an `actors` map of { x, y } (named like Arbiter's, so the same bots drive both), `move { dir }`
// moves the sender one cell on an open BARE_SIDE × BARE_SIDE grid (bounds only: no walls, no
// pushes, actors may share a cell; the latest move of a tick wins), a fixed 20 Hz tick and one
// patch per tick. No pipeline, no journal, no database, no per-client views, no metrics library.
//
// `GET /metrics` answers the same process figures as Arbiter's prom-client defaults
// (`process_cpu_seconds_total` from process.cpuUsage(), `process_resident_memory_bytes`) plus
// `bare_connected_clients`, behind `Authorization: Bearer <METRICS_TOKEN>`, so the runner reads both
// servers' CPU and RSS in one way.
//
//   PORT=2570 METRICS_TOKEN=… BARE_SIDE=120 node loadtest/bare-server.mjs   (listens on 127.0.0.1)
import { createHash, timingSafeEqual } from "node:crypto";
import { createEndpoint, createRouter, defineRoom, defineServer, Room } from "@colyseus/core";
import { Encoder, schema, t } from "@colyseus/schema";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { isSpawnCell } from "./runner/worlds.mjs";

const PORT = Number(process.env.PORT ?? 2570);
const SIDE = Number(process.env.BARE_SIDE ?? 120);
const TOKEN = process.env.METRICS_TOKEN ?? "";
const TICK_HZ = 20;
const STEP = { N: [0, -1], E: [1, 0], S: [0, 1], W: [-1, 0] };

const BareActor = schema({ x: t.uint16().default(0), y: t.uint16().default(0) }, "BareActor");
const BareState = schema({ tick: t.uint32().default(0), actors: t.map(BareActor) }, "BareState");

// The same encoder buffer as Arbiter (src/server/app.ts): with the 8 KB default, a full state past it
// is encoded twice and logs a warning each time, which would bill the baseline for a setting.
Encoder.BUFFER_SIZE = 256 * 1024;

let connectedClients = 0;

class BareWorldRoom extends Room {
  onCreate(options) {
    this.worldId = options?.worldId ?? "bare";
    this.state = new BareState();
    /** sessionId → the latest direction received since the last tick. */
    this.moves = new Map();
    /** cell index → actors on it; spawning picks the first spawn cell with none. */
    this.occupancy = new Map();
    this.onMessage("move", (client, payload) => {
      if (payload && Object.hasOwn(STEP, payload.dir)) this.moves.set(client.sessionId, payload.dir);
    });
    this.setFixedTimestep(() => this.step(), TICK_HZ);
    this.patchRate = null; // one patch per tick, sent by step(); set after the fixed step (see world-room.ts)
  }

  onJoin(client) {
    const [x, y] = this.findFreeSpawn();
    const actor = new BareActor();
    actor.x = x;
    actor.y = y;
    this.state.actors.set(client.sessionId, actor);
    this.occupy(x, y, +1);
    connectedClients++;
    client.send("welcome", { actorId: client.sessionId, worldId: this.worldId, tick: this.state.tick, sessionId: client.sessionId });
  }

  onLeave(client) {
    const actor = this.state.actors.get(client.sessionId);
    if (!actor) return;
    this.occupy(actor.x, actor.y, -1);
    this.state.actors.delete(client.sessionId);
    this.moves.delete(client.sessionId);
    connectedClients--;
  }

  step() {
    for (const [sessionId, dir] of this.moves) {
      const actor = this.state.actors.get(sessionId);
      if (!actor) continue;
      const x = actor.x + STEP[dir][0];
      const y = actor.y + STEP[dir][1];
      if (x < 1 || y < 1 || x > SIDE - 2 || y > SIDE - 2) continue;
      this.occupy(actor.x, actor.y, -1);
      actor.x = x;
      actor.y = y;
      this.occupy(x, y, +1);
    }
    this.moves.clear();
    this.state.tick++;
    this.broadcastPatch();
  }

  findFreeSpawn() {
    for (let y = 1; y < SIDE - 1; y++) {
      for (let x = 1; x < SIDE - 1; x++) {
        if (isSpawnCell(x, y, SIDE) && !this.occupancy.get(y * SIDE + x)) return [x, y];
      }
    }
    return [1, 1];
  }

  occupy(x, y, delta) {
    const key = y * SIDE + x;
    const n = (this.occupancy.get(key) ?? 0) + delta;
    if (n > 0) this.occupancy.set(key, n);
    else this.occupancy.delete(key);
  }
}

function isToken(header) {
  if (!TOKEN || !header?.toLowerCase().startsWith("bearer ")) return false;
  const digest = (text) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(header.slice(7).trim()), digest(TOKEN));
}

const metrics = createEndpoint("/metrics", { method: "GET" }, async (ctx) => {
  if (!isToken(ctx.getHeader("authorization"))) return new Response("unauthorized\n", { status: 401 });
  const { user, system } = process.cpuUsage();
  const body = [
    "# TYPE process_cpu_seconds_total counter",
    `process_cpu_seconds_total ${(user + system) / 1e6}`,
    "# TYPE process_resident_memory_bytes gauge",
    `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    "# TYPE bare_connected_clients gauge",
    `bare_connected_clients ${connectedClients}`,
    "",
  ].join("\n");
  return new Response(body, { headers: { "content-type": "text/plain; version=0.0.4" } });
});

const server = defineServer({
  greet: false,
  rooms: { world: defineRoom(BareWorldRoom).filterBy(["worldId"]) },
  routes: createRouter({ metrics }),
  transport: new WebSocketTransport(),
});
await server.listen(PORT, "127.0.0.1");
console.log(`bare server on 127.0.0.1:${PORT} (map ${SIDE}×${SIDE}, ${TICK_HZ} Hz)`);
