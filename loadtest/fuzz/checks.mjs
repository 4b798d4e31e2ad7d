// What the fuzzer checks after the traffic: the server is up, the world's invariants hold, and the
// session table grew by no more than the joins that succeeded (the heap: heap-monitor.mjs).
import Database from "better-sqlite3";
import { Client } from "@colyseus/sdk";

/**
 * Joins as a fresh client, waits for 3 patches after its first state, and reads every actor
 * (interestRadius 0: it sees them all). Resolves { tick, selfId, actors: [{ id, kind, name, x, y }] }
 * (cells); throws when the join or the patches do not come within timeoutMs.
 */
export async function readFinalState({ endpoint, worldId, timeoutMs = 15_000, tally }) {
  const deadline = new Promise((_, reject) => setTimeout(() => reject(new Error(`no state within ${timeoutMs / 1000} s`)), timeoutMs));
  const room = await Promise.race([new Client(endpoint).joinOrCreate("world", { worldId, name: "checker" }), deadline]);
  tally.joins.ok++;
  room.reconnection.enabled = false;
  room.onMessage("*", () => {});
  try {
    const state = await Promise.race([afterPatches(room, 3), deadline]);
    const actors = [];
    let selfId;
    state.actors.forEach((a, id) => {
      actors.push({ id, kind: a.kind, name: a.name, x: a.x, y: a.y });
      if (a.name === "checker" && a.kind === "player") selfId = id;
    });
    return { tick: state.tick, selfId, actors };
  } finally {
    await Promise.race([room.leave().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
  }
}

function afterPatches(room, count) {
  return new Promise((resolve) => {
    let seen = 0;
    room.onStateChange((state) => {
      if (++seen > count) resolve(state);
    });
  });
}

/**
 * The world's invariants on a state read by readFinalState: no two actors on one cell, none on a
 * wall or off the map, every NPC of the world file present, and exactly `players` player actors
 * (the clients still connected). Returns a list of problems (empty when all hold).
 */
export function checkInvariants({ world, snapshot, players }) {
  const problems = [];
  const cells = new Map();
  for (const a of snapshot.actors) {
    if (world.isWall(a.x, a.y)) problems.push(`${a.id} stands on a wall or off the map at [${a.x}, ${a.y}]`);
    const key = `${a.x},${a.y}`;
    if (cells.has(key)) problems.push(`${a.id} and ${cells.get(key)} share the cell [${a.x}, ${a.y}]`);
    cells.set(key, a.id);
  }
  const npcs = new Set(snapshot.actors.filter((a) => a.kind === "npc").map((a) => a.id));
  const missing = world.npcIds.filter((id) => !npcs.has(id));
  if (missing.length > 0) problems.push(`NPCs lost: ${missing.join(", ")}`);
  if (npcs.size !== world.npcIds.length) problems.push(`${npcs.size} NPCs in the state, the world file has ${world.npcIds.length}`);
  const playerCount = snapshot.actors.filter((a) => a.kind === "player").length;
  if (playerCount !== players) problems.push(`${playerCount} player actors, expected ${players} (the clients still connected)`);
  return problems;
}

/** True when the server answers GET /__healthcheck with 200 and its process is alive. */
export async function checkHealth({ httpBase, pid }) {
  let alive = true;
  try {
    process.kill(pid, 0);
  } catch {
    alive = false;
  }
  const status = await fetch(`${httpBase}/__healthcheck`, { signal: AbortSignal.timeout(3000) }).then((r) => r.status, (e) => e?.name ?? "error");
  return { ok: alive && status === 200, alive, status };
}

/** Rows in the `sessions` table of a stopped server's database, or an Error. */
export function countSessions(databasePath) {
  try {
    const db = new Database(databasePath, { fileMustExist: true });
    try {
      return db.prepare("SELECT count(*) AS n FROM sessions").get().n;
    } finally {
      db.close();
    }
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
