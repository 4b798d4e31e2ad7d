import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicTierOf } from "../../rooms/schema.ts";
import { joinWorld, seenAt, startTestServer, waitFor, waitTicks, type TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    arena: {
      map: ["#########", "#S.....S#", "#########"],
      npcs: [{ id: "guard", name: "Guard", at: [2, 1], behaviours: ["Aggressive"], stats: { combat_skills: { strength: 90 } } }],
    },
  });
});

afterAll(async () => {
  await server?.shutdown();
});

const HEALTH = "attributes.health";

describe("stats through the real server", () => {
  it("a push into an Aggressive NPC damages the pusher; only the pusher sees raw health, others see the tier", async () => {
    const a = await joinWorld(server.client(), { worldId: "arena" });
    const b = await joinWorld(server.client(), { worldId: "arena" });
    const me = a.welcome.actorId;
    await waitFor(() => a.room.state.actors.get(me)?.owner?.stats.get(HEALTH) === 100, "own full health");
    a.room.send("move", { dir: "E" });
    await waitFor(() => a.room.state.actors.get(me)?.owner?.stats.get(HEALTH) === 88, "12 damage (strength 90 vs defense 50)");
    expect(seenAt(a.room, me)).toEqual([1, 1]);
    await waitTicks(b.room, 2);
    const seenByB = b.room.state.actors.get(me);
    // The synced field holds the tier's index in the world's public axis ("healthy" is the 4th of 4).
    expect(seenByB[HEALTH]).toBe(3);
    expect([...b.room.state.publicAxes.get(HEALTH).tiers]).toEqual(["down", "critical", "wounded", "healthy"]);
    expect(publicTierOf(b.room.state, seenByB, HEALTH)).toBe("healthy");
    expect(seenByB.owner).toBeUndefined();
    expect(b.room.state.actors.get(b.welcome.actorId).owner.stats.get(HEALTH)).toBe(100);
    expect(a.room.state.actors.get(b.welcome.actorId).owner).toBeUndefined();
    await a.room.leave();
    await b.room.leave();
  });

  it("a client's attempt to send stats is rejected and changes nothing", async () => {
    const a = await joinWorld(server.client(), { worldId: "arena" });
    const me = a.welcome.actorId;
    await waitFor(() => a.room.state.actors.get(me)?.owner?.stats.get(HEALTH) !== undefined, "own stats");
    const health = a.room.state.actors.get(me).owner.stats.get(HEALTH);
    a.room.send("move", { dir: "S", health: 100 });
    a.room.send("move", { dir: "S", stats: { attributes: { health: 100 } } });
    a.room.send("setStats", { stats: { combat_skills: { strength: 100 } } });
    await waitFor(() => a.errors.length >= 3, "three error replies");
    expect(a.errors.map((e) => e.code)).toEqual(["command/forbidden-field", "command/forbidden-field", "command/forbidden-field"]);
    expect(a.errors[0]!.message).toContain("health");
    await waitTicks(a.room, 3);
    expect(a.room.state.actors.get(me).owner.stats.get(HEALTH)).toBe(health);
    expect(a.room.state.actors.get(me).owner.stats.get("combat_skills.strength")).toBe(50);
    expect(a.leftWith).toBeUndefined();
    await a.room.leave();
  });
});
