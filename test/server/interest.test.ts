import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicTierOf } from "../../rooms/schema.ts";
import { joinWorld, seenAt, startTestServer, waitFor, waitTicks, type TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    hall: {
      interestRadius: 5,
      map: ["##############################", "#S..........................S#", "##############################"],
      npcs: [{ id: "post", name: "Post", at: [10, 1], behaviours: [] }],
    },
    open: {
      interestRadius: 0,
      map: ["##############################", "#S..........................S#", "##############################"],
      npcs: [{ id: "post", name: "Post", at: [10, 1], behaviours: [] }],
    },
  });
});

afterAll(async () => {
  await server?.shutdown();
});

async function walk(room: { send: (t: string, m: unknown) => void; state: any }, actorId: string, dir: "E" | "W", toX: number): Promise<void> {
  while (seenAt(room as never, actorId)?.[0] !== toX) {
    const x = seenAt(room as never, actorId)![0];
    room.send("move", { dir });
    await waitFor(() => seenAt(room as never, actorId)![0] !== x, `a step ${dir} from x=${x}`);
  }
}

describe("area of interest through the real server", () => {
  it("actors entering the radius appear on the client and disappear when they leave it", async () => {
    const a = await joinWorld(server.client(), { worldId: "hall" });
    const b = await joinWorld(server.client(), { worldId: "hall" });
    const me = a.welcome.actorId;
    expect(seenAt(a.room, me)).toEqual([1, 1]);
    expect(seenAt(b.room, b.welcome.actorId)).toEqual([28, 1]);
    await waitTicks(a.room, 2);
    expect(a.room.state.actors.has("post")).toBe(false);
    expect(a.room.state.actors.has(b.welcome.actorId)).toBe(false);
    expect(b.room.state.actors.has(me)).toBe(false);

    await walk(a.room, me, "E", 5);
    await waitFor(() => a.room.state.actors.has("post"), "the post to appear at distance 5");
    expect(seenAt(a.room, "post")).toEqual([10, 1]);

    await walk(a.room, me, "E", 6);
    await walk(b.room, b.welcome.actorId, "W", 11);
    await waitFor(() => a.room.state.actors.has(b.welcome.actorId) && b.room.state.actors.has(me), "the players to see each other at distance 5");

    // Leaving takes more than the radius: at distance 7 (radius 5 + margin 2) the post stays.
    await walk(a.room, me, "W", 3);
    await waitTicks(a.room, 3);
    expect(a.room.state.actors.has("post")).toBe(true);
    await walk(a.room, me, "W", 2);
    await waitFor(() => !a.room.state.actors.has("post") && !a.room.state.actors.has(b.welcome.actorId), "both to vanish for A");
    await waitFor(() => !b.room.state.actors.has(me), "A to vanish for B");
    expect(b.room.state.actors.has("post")).toBe(true);
    await a.room.leave();
    await b.room.leave();
  });

  it("a client sees its own private stats, and only public tiers of others in range", async () => {
    const a = await joinWorld(server.client(), { worldId: "hall" });
    const b = await joinWorld(server.client(), { worldId: "hall" });
    await walk(a.room, a.welcome.actorId, "E", 6);
    await walk(b.room, b.welcome.actorId, "W", 11);
    await waitFor(() => a.room.state.actors.has(b.welcome.actorId), "B in A's view");
    const other = a.room.state.actors.get(b.welcome.actorId);
    await waitFor(() => publicTierOf(a.room.state, other, "attributes.health") === "healthy", "B's public tier");
    expect(other.owner).toBeUndefined();
    expect(a.room.state.actors.get(a.welcome.actorId).owner.stats.get("attributes.health")).toBe(100);
    await a.room.leave();
    await b.room.leave();
  });

  it("with interestRadius 0 everyone sees everything", async () => {
    const a = await joinWorld(server.client(), { worldId: "open" });
    const b = await joinWorld(server.client(), { worldId: "open" });
    await waitFor(() => a.room.state.actors.has(b.welcome.actorId) && a.room.state.actors.has("post"), "all actors for A");
    expect(b.room.state.actors.has(a.welcome.actorId)).toBe(true);
    await a.room.leave();
    await b.room.leave();
  });
});
