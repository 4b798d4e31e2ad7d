/**
 * The interaction dispatcher through the real server (issue 10 "The dispatcher"): a client's
 * `interact` intent runs the slot's stored config inside the tick and gets `interaction`; refusals
 * have their own codes and change nothing; a failing last effect rolls back the earlier ones; every
 * attempt is audited; the HTTP routes list interactions and an NPC's slots and run an admin attempt.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices, loadConfig } from "../../src/server/boot.ts";
import { playerAuthorization } from "../support/http.ts";
import { bootTestServer, joinWorld, TEST_ADMIN_PASSWORD, waitFor, writeWorlds, type JoinedClient, type TestServer } from "../support/server.ts";

const PLUGINS = fileURLToPath(new URL("../fixtures/plugins/interact", import.meta.url));

const slots = [
  { slotId: "hello", interactionId: "greet", config: { affinity: 5 } },
  { slotId: "broken", interactionId: "greet", config: { affinity: 3, failLast: true } },
];
const HALL = {
  map: ["#########", "#S.....S#", "#.......#", "#########"],
  npcs: [
    { id: "keeper", name: "Keeper", at: [2, 1], behaviours: [], plugins: { interactions: { slots } } },
    { id: "sleeper", name: "Sleeper", at: [6, 1], behaviours: [], plugins: { interactions: { slots: [{ slotId: "nap", interactionId: "greet", config: { affinity: 1, closed: true } }] } } },
    { id: "crate", name: "Crate", at: [4, 2], behaviours: [] },
  ],
};

let server: TestServer;
beforeAll(async () => {
  server = await bootTestServer(writeWorlds({ hall: HALL }), { PLUGINS_DIR: PLUGINS });
});
afterAll(async () => {
  await server?.shutdown();
});

const world = () => server.services.runtimes.get("hall")!.world;
const relationsOf = (actorId: string) => (world().byId.get(actorId)?.pluginState?.get("interactions") as { relationships?: unknown } | undefined)?.relationships ?? null;
const adminHeader = { authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_PASSWORD}`).toString("base64")}` };
const auditRows = () =>
  server.services.store.db.prepare("SELECT actor_id, target_id, slot_id, verdict, code, payload, source FROM interactions_audit ORDER BY id").all() as Array<Record<string, unknown>>;

interface Player extends JoinedClient {
  replies: Array<Record<string, unknown>>;
}
async function join(): Promise<Player> {
  const joined = (await joinWorld(server.client(), { worldId: "hall" })) as Player;
  joined.replies = [];
  joined.room.onMessage("interaction", (m) => joined.replies.push(m));
  return joined;
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("interactions through the real server", () => {
  let near: Player;
  let far: Player;
  beforeAll(async () => {
    near = await join();
    far = await join();
    expect(world().byId.get(near.welcome.actorId)).toMatchObject({ x: 1, y: 1 });
    expect(world().byId.get(far.welcome.actorId)).toMatchObject({ x: 7, y: 1 });
  });

  it("an intent runs the stored config in the tick: the reply carries the result and the relationship changes", async () => {
    near.room.send("interact", { targetId: "keeper", slotId: "hello" });
    await waitFor(() => near.replies.length === 1, "the interaction reply");
    expect(near.replies[0]).toEqual({
      interactionId: "greet",
      slotId: "hello",
      targetId: "keeper",
      success: true,
      message: "Keeper nods back.",
      effects: [{ kind: "relationship", playerId: near.welcome.actorId, npcId: "keeper", axis: "affinity", delta: 5 }],
    });
    expect(relationsOf(near.welcome.actorId)).toEqual({ "npc:keeper": { affinity: 5 } });
    await pause(1100); // past the rate limit's second
  });

  it("a message carrying anything but the intent is refused whole with interaction/forbidden-field", async () => {
    const before = world().byId.get(near.welcome.actorId)!.pluginHash;
    near.room.send("interact", { targetId: "keeper", slotId: "hello", chance: 1, success: true });
    await waitFor(() => near.errors.length === 1, "the refusal");
    expect(near.errors[0]).toEqual({ code: "interaction/forbidden-field", message: 'interact may not carry "chance", "success": configs, chances and results live on the server' });
    expect(world().byId.get(near.welcome.actorId)!.pluginHash).toBe(before);
    await pause(1100);
  });

  it("each refusal has its code and changes nothing: unknown target, unknown slot, not adjacent, not available", async () => {
    const before = relationsOf(near.welcome.actorId);
    near.room.send("interact", { targetId: "ghost", slotId: "hello" });
    near.room.send("interact", { targetId: "keeper", slotId: "dance" });
    await waitFor(() => near.errors.length === 3, "two refusals");
    expect(near.errors.slice(1).map((e) => e.code)).toEqual(["interaction/unknown-target", "interaction/unknown-slot"]);
    expect(near.errors[2]!.message).toBe('keeper has no slot "dance" (slots: hello, broken)');
    far.room.send("interact", { targetId: "keeper", slotId: "hello" });
    far.room.send("interact", { targetId: "sleeper", interactionId: "greet" });
    await waitFor(() => far.errors.length === 2, "two more refusals");
    expect(far.errors.map((e) => e.code)).toEqual(["interaction/not-adjacent", "interaction/not-available"]);
    expect(far.errors[1]!.message).toBe("greet: sleeper is not listening");
    expect(relationsOf(near.welcome.actorId)).toEqual(before);
    expect(relationsOf(far.welcome.actorId)).toBeNull();
    await pause(1100);
  });

  it("a flood is cut at 2 attempts per second with interaction/rate-limited", async () => {
    const errorsBefore = far.errors.length;
    for (let i = 0; i < 3; i++) far.room.send("interact", { targetId: "crate", slotId: "x" });
    await waitFor(() => far.errors.length === errorsBefore + 3, "three answers");
    expect(far.errors.slice(errorsBefore).map((e) => e.code)).toEqual(["interaction/unknown-slot", "interaction/unknown-slot", "interaction/rate-limited"]);
    await pause(1100);
  });

  it("an interaction whose last effect fails rolls back every earlier effect", async () => {
    near.room.send("interact", { targetId: "keeper", slotId: "broken" });
    await waitFor(() => near.errors.length === 4, "the failure");
    expect(near.errors[3]).toEqual({ code: "interaction/effect-failed", message: "greet: the last effect always fails" });
    expect(relationsOf(near.welcome.actorId)).toEqual({ "npc:keeper": { affinity: 5 } });
    await pause(1100);
  });

  it("every attempt is audited with its verdict and code", async () => {
    await pause(50);
    const rows = auditRows();
    const n = near.welcome.actorId;
    const f = far.welcome.actorId;
    expect(rows.map((r) => [r.actor_id, r.target_id, r.slot_id, r.verdict, r.code])).toEqual([
      [n, "keeper", "hello", "executed", null],
      [n, "keeper", "hello", "refused", "interaction/forbidden-field"],
      [n, "ghost", "hello", "refused", "interaction/unknown-target"],
      [n, "keeper", "dance", "refused", "interaction/unknown-slot"],
      [f, "keeper", "hello", "refused", "interaction/not-adjacent"],
      [f, "sleeper", null, "refused", "interaction/not-available"],
      [f, "crate", "x", "refused", "interaction/unknown-slot"],
      [f, "crate", "x", "refused", "interaction/unknown-slot"],
      [f, "crate", "x", "refused", "interaction/rate-limited"],
      [n, "keeper", "broken", "failed", "interaction/effect-failed"],
    ]);
    expect(rows[1]!.payload).toBe('{"targetId":"keeper","slotId":"hello","chance":1,"success":true}');
    const results = server.services.store.db.prepare("SELECT actor_id, interaction_id, success, message FROM interactions_results").all();
    expect(results).toEqual([{ actor_id: n, interaction_id: "greet", success: 1, message: "Keeper nods back." }]);
  });

  it("GET /api/interactions lists the interactions with their config schemas; an NPC's slots are listed without configs", async () => {
    const list = await (await fetch(`http://127.0.0.1:${server.port}/api/interactions`)).json();
    expect(list.interactions.map((i: { id: string; name: string }) => [i.id, i.name])).toEqual([["greet", "Greet"]]);
    expect(list.interactions[0].configSchema.properties.affinity).toEqual({ type: "integer", minimum: 1, maximum: 10 });
    const slotsRes = await fetch(`http://127.0.0.1:${server.port}/api/worlds/hall/npcs/keeper/interactions`);
    expect(slotsRes.status).toBe(200);
    expect(await slotsRes.json()).toEqual({
      worldId: "hall",
      npcId: "keeper",
      slots: [
        { slotId: "hello", interactionId: "greet", name: "Greet" },
        { slotId: "broken", interactionId: "greet", name: "Greet" },
      ],
    });
    expect((await fetch(`http://127.0.0.1:${server.port}/api/worlds/hall/npcs/nobody/interactions`)).status).toBe(404);
  });

  it("POST /api/interactions/execute needs the admin credentials, then answers the attempt's result after its tick", async () => {
    const body = JSON.stringify({ worldId: "hall", sessionId: near.welcome.sessionId, targetId: "keeper", slotId: "hello" });
    const anonymous = await fetch(`http://127.0.0.1:${server.port}/api/interactions/execute`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(anonymous.status).toBe(401);
    const res = await fetch(`http://127.0.0.1:${server.port}/api/interactions/execute`, { method: "POST", headers: { "content-type": "application/json", ...adminHeader }, body });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ interactionId: "greet", slotId: "hello", targetId: "keeper", success: true, message: "Keeper nods back." });
    expect(relationsOf(near.welcome.actorId)).toEqual({ "npc:keeper": { affinity: 10 } });
  });

  it("POST /api/sessions/:id/actions goes through the same admission: a forbidden field is refused and audited", async () => {
    await pause(1100);
    const rowsBefore = auditRows().length;
    const res = await fetch(`http://127.0.0.1:${server.port}/api/sessions/${near.welcome.sessionId}/actions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: await playerAuthorization(server.port, `/api/sessions/${near.welcome.sessionId}`) },
      body: JSON.stringify({ type: "interact", targetId: "keeper", slotId: "hello", config: { affinity: 10 } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "interaction/forbidden-field", message: 'interact may not carry "config": configs, chances and results live on the server' } });
    await waitFor(() => auditRows().length === rowsBefore + 1, "the audit row");
    expect(auditRows().at(-1)).toMatchObject({ actor_id: near.welcome.actorId, verdict: "refused", code: "interaction/forbidden-field" });
    expect(relationsOf(near.welcome.actorId)).toEqual({ "npc:keeper": { affinity: 10 } });
  });

  it("a stat-named field is the dispatcher's refusal too: interaction/forbidden-field, audited", async () => {
    await pause(1100);
    const rowsBefore = auditRows().length;
    const errorsBefore = near.errors.length;
    near.room.send("interact", { targetId: "keeper", slotId: "hello", health: 100 });
    await waitFor(() => near.errors.length === errorsBefore + 1, "the refusal");
    expect(near.errors.at(-1)).toEqual({ code: "interaction/forbidden-field", message: 'interact may not carry "health": configs, chances and results live on the server' });
    await waitFor(() => auditRows().length === rowsBefore + 1, "the audit row");
    expect(auditRows().at(-1)).toMatchObject({ verdict: "refused", code: "interaction/forbidden-field" });
  });

  it("a player's relationships are saved with its session and come back when it resumes", async () => {
    const sessionId = near.welcome.sessionId!;
    await near.room.leave();
    await waitFor(() => !server.services.connectedSessions.has(sessionId), "the session to be released");
    expect(server.services.sessions.get(sessionId)!.pluginState).toEqual({ interactions: { relationships: { "npc:keeper": { affinity: 10 } } } });
    const back = await joinWorld(server.client(), { worldId: "hall", sessionId });
    expect(relationsOf(back.welcome.actorId)).toEqual({ "npc:keeper": { affinity: 10 } });
    near = Object.assign(back, { replies: [] });
  });
});

describe("interaction slots at start-up", () => {
  it("a slot config that fails its interaction's schema stops start-up naming the file and field", async () => {
    const bad = { ...HALL, npcs: [{ ...HALL.npcs[0], plugins: { interactions: { slots: [{ slotId: "hello", interactionId: "greet", config: { affinity: 50 } }] } } }] };
    const boot = createServices(loadConfig({ DATA_DIR: writeWorlds({ hall: bad }), DATABASE_PATH: ":memory:", ADMIN_PASSWORD: "x-admin-password", LOG_LEVEL: "silent", PLUGINS_DIR: PLUGINS }));
    await expect(boot).rejects.toThrow(/hall\.json: invalid world file\n {2}- npcs\[0\]\.plugins\.interactions\.slots\[0\]\.config\.affinity: /);
  });
});
