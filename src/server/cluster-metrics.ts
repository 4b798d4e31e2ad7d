/**
 * `/metrics` for every process's rooms (issue 14): read at each scrape from Colyseus's room listing
 * (its driver: with `REDIS_URL`, every process's rooms; otherwise this process's), so any process's
 * `/metrics` shows the whole cluster, as the monitor does. Labelled by world and by the hosting
 * process (its `PUBLIC_ADDRESS`, else its Colyseus process id):
 * - `arbiter_cluster_room_clients` — clients in the world's room;
 * - `arbiter_cluster_room_actors` — actors in the world (room metadata, refreshed once a second);
 * - `arbiter_cluster_room_tick_ms` — the room's average core tick, ms (the monitor's `tickMs`).
 */
import { matchMaker } from "@colyseus/core";
import { Gauge, type Registry } from "prom-client";

const LABELS = ["world", "process"] as const;

interface RoomFigure {
  labels: { world: string; process: string };
  clients: number;
  actors: number;
  tickMs: number;
}

async function readRooms(): Promise<RoomFigure[]> {
  const rooms = await matchMaker.query({ name: "world" });
  return rooms.map((room) => {
    const meta = (room.metadata ?? {}) as { worldId?: unknown; actors?: unknown; tickMs?: unknown };
    return {
      labels: { world: typeof meta.worldId === "string" ? meta.worldId : room.roomId, process: room.publicAddress ?? room.processId },
      clients: room.clients,
      actors: typeof meta.actors === "number" ? meta.actors : 0,
      tickMs: typeof meta.tickMs === "number" ? meta.tickMs : 0,
    };
  });
}

export function registerClusterMetrics(registry: Registry): void {
  // One listing per scrape, shared by the three gauges (each collect runs in turn).
  let reading: Promise<RoomFigure[]> | undefined;
  const rooms = () => (reading ??= readRooms().finally(() => setTimeout(() => (reading = undefined), 0)));
  const gauge = (name: string, help: string, pick: (room: RoomFigure) => number) =>
    new Gauge({
      name,
      help,
      labelNames: LABELS,
      registers: [registry],
      async collect() {
        this.reset();
        for (const room of await rooms()) this.set(room.labels, pick(room));
      },
    });
  gauge("arbiter_cluster_room_clients", "Clients in each world's room, in every process (the room listing).", (room) => room.clients);
  gauge("arbiter_cluster_room_actors", "Actors in each world, in every process (room metadata, refreshed once a second).", (room) => room.actors);
  gauge("arbiter_cluster_room_tick_ms", "Average core tick of each world's room, in every process, ms.", (room) => room.tickMs);
}
