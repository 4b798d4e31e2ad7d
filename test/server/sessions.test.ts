import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInClient, joinWorld, seenAt, startTestServer, waitFor, type TestServer } from "../support/server.ts";

let server: TestServer;
const HEALTH = "attributes.health";

beforeAll(async () => {
  server = await startTestServer({
    yard: {
      map: ["##########", "#S.......#", "#S.......#", "##########"],
      npcs: [{ id: "brute", name: "Brute", at: [3, 1], behaviours: ["Aggressive"] }],
    },
    lobby: { map: ["#####", "#S.S#", "#####"] },
  });
});

afterAll(async () => {
  await server?.shutdown();
});

describe("persistent player sessions over WebSockets", () => {
  it("a join without a session creates one, returned in welcome; resuming restores stats and last position", async () => {
    const first = await joinWorld(server.client(), { worldId: "yard", name: "Ada" });
    const sessionId = first.welcome.sessionId as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const me = first.welcome.actorId;
    first.room.send("move", { dir: "E" });
    await waitFor(() => seenAt(first.room, me)?.[0] === 2, "first step");
    first.room.send("move", { dir: "E" });
    await waitFor(() => first.room.state.actors.get(me)?.owner?.stats.get(HEALTH) === 94, "6 damage from the brute");
    await first.room.leave();
    await waitFor(() => server.services.sessions.get(sessionId)?.position !== null, "progress saved");

    const again = await joinWorld(server.client(), { sessionId });
    expect(again.welcome.worldId).toBe("yard");
    expect(again.welcome.sessionId).toBe(sessionId);
    const resumed = again.room.state.actors.get(again.welcome.actorId);
    expect(resumed.name).toBe("Ada");
    expect(seenAt(again.room, again.welcome.actorId)).toEqual([2, 1]);
    await waitFor(() => resumed.owner.stats.get(HEALTH) === 94, "resumed health");
    await again.room.leave();
  });

  it("a session already connected elsewhere is refused with a clear error", async () => {
    const first = await joinWorld(server.client(), { worldId: "lobby" });
    const sessionId = first.welcome.sessionId as string;
    await expect((await signedInClient(server, { sessionId })).joinOrCreate("world", { sessionId })).rejects.toThrow(/session\/already-connected/);
    await expect((await signedInClient(server, { worldId: "yard", sessionId })).joinOrCreate("world", { worldId: "yard", sessionId })).rejects.toThrow(/session\/already-connected/);
    await first.room.leave();
    await waitFor(() => !server.services.connectedSessions.has(sessionId), "the session to be released");
    const again = await joinWorld(server.client(), { sessionId });
    expect(again.welcome.sessionId).toBe(sessionId);
    await again.room.leave();
  });

  it("an unknown session id or an invalid character is refused and creates nothing", async () => {
    await expect((await signedInClient(server, { sessionId: "no-such-session" })).joinOrCreate("world", { sessionId: "no-such-session" })).rejects.toThrow(/session\/not-found/);
    await expect((await signedInClient(server, { worldId: "lobby", character: { template: "dragon" } })).joinOrCreate("world", { worldId: "lobby", character: { template: "dragon" } })).rejects.toThrow(/character\/invalid.*character\.template/);
    await expect((await signedInClient(server)).joinOrCreate("world", { worldId: "lobby", character: { customizations: { combat_skills: { strength: 90 } } } })).rejects.toThrow(/character\/invalid.*strength/);
  });

  it("a join without a name takes the character's name, cut to the 32 characters a player name may have", async () => {
    const long = "Bartholomew Quillfeather the Third of Harbourside"; // 49 characters
    const joined = await joinWorld(server.client(), { worldId: "lobby", character: { name: long } });
    const session = server.services.sessions.get(joined.welcome.sessionId as string)!;
    expect(session.playerName).toBe("Bartholomew Quillfeather the Thi");
    expect(session.character.name).toBe(long);
    expect(joined.room.state.actors.get(joined.welcome.actorId).name).toBe("Bartholomew Quillfeather the Thi");
    await joined.room.leave();
  });

  it("a new session's character follows the join's character config", async () => {
    const joined = await joinWorld(server.client(), { worldId: "lobby", character: { customizations: { combat_skills: { strength: 15, defense: 5 } } } });
    const me = joined.room.state.actors.get(joined.welcome.actorId);
    await waitFor(() => me.owner.stats.get("combat_skills.strength") === 65, "customized strength");
    expect(me.owner.stats.get("combat_skills.defense")).toBe(55);
    const session = server.services.sessions.get(joined.welcome.sessionId as string)!;
    expect(session.character.customizations).toEqual({ combat_skills: { strength: 15, defense: 5 } });
    await joined.room.leave();
  });
});
