/**
 * The slow-client guard (issue 11 §4, rooms/slow-clients.ts) through the real server: a client
 * that stops reading while the server keeps writing to it is disconnected once its send queue
 * passes SEND_QUEUE_LIMIT, with close code 4005; its actor leaves; a client that reads is untouched.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOSE_CODES } from "../../src/errors.ts";
import { bootTestServer, joinWorld, waitFor, writeWorlds, type TestServer } from "../support/server.ts";

const FIREHOSE = fileURLToPath(new URL("../fixtures/plugins/firehose", import.meta.url));
const LIMIT = 256 * 1024;

let server: TestServer;

beforeAll(async () => {
  server = await bootTestServer(writeWorlds({ pond: { map: ["#######", "#S...S#", "#.....#", "#######"], npcs: [] } }), { PLUGINS_DIR: FIREHOSE, SEND_QUEUE_LIMIT: String(LIMIT) });
});

afterAll(async () => {
  await server.shutdown();
});

/** The `ws` socket under an SDK room (Node: the `ws` package's WebSocket). */
function socketOf(room: { connection: unknown }): { _socket: { pause(): void; resume(): void } } {
  return (room.connection as { transport: { ws: { _socket: { pause(): void; resume(): void } } } }).transport.ws;
}

describe("slow clients", () => {
  it("a client that stops reading is closed with 4005 once its send queue passes the limit; its actor leaves; a reading client is untouched", async () => {
    const slow = await joinWorld(server.client(), { worldId: "pond" });
    const reader = await joinWorld(server.client(), { worldId: "pond" });
    let readerBlobs = 0;
    reader.room.onMessage("firehose", () => readerBlobs++);
    let slowBlobs = 0;
    slow.room.onMessage("firehose", () => slowBlobs++);
    const world = server.services.runtimes.get("pond")!.world;
    expect(world.byId.has(slow.welcome.actorId)).toBe(true);

    // The slow client stops reading, and keeps asking for 60 KB a tick.
    socketOf(slow.room)._socket.pause();
    const slowDropped = () => server.services.metrics.slowClients.get().then((m) => m.values.find((v) => v.labels.world === "pond")?.value ?? 0);
    let dropped = 0;
    const started = Date.now();
    while (dropped === 0 && Date.now() - started < 60_000) {
      slow.room.send("firehose:fill", {});
      reader.room.send("firehose:fill", {});
      await new Promise((resolve) => setTimeout(resolve, 50));
      dropped = await slowDropped();
    }
    expect(dropped).toBe(1);
    // Reading again within the grace, the slow client drains what was queued, then the close code.
    socketOf(slow.room)._socket.resume();
    await waitFor(() => slow.leftWith !== undefined, "the slow client's close", 10_000);
    expect(slow.leftWith).toBe(CLOSE_CODES.slowClient);
    expect(slowBlobs).toBeGreaterThan(0);
    // Its actor left the world; the reader's is still there and still served.
    await waitFor(() => !world.byId.has(slow.welcome.actorId), "the slow client's actor gone");
    expect(world.byId.has(reader.welcome.actorId)).toBe(true);
    const blobsBefore = readerBlobs;
    reader.room.send("firehose:fill", {});
    await waitFor(() => readerBlobs > blobsBefore, "the reader still served");
    expect(reader.leftWith).toBeUndefined();
    await reader.room.leave();
  }, 90_000);
});
