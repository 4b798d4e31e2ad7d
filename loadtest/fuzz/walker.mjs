// The well-behaved client: one @colyseus/sdk client that sends a valid move every 200 ms while the
// fuzz runs, cycling N, E, S, W (a small square, so it never just presses into a wall), and checks
// that the server still serves it.
//
// When is a move resolved? The world has interestRadius 0, so the walker sees every actor, and the
// fuzzer knows the map. A move sent when the walker's synced state shows tick T, actor at P, is
//   - "moved" when a later patch shows the actor at P + step, "displaced" when at another cell
//     (pushed by someone in that tick);
//   - "blocked" when a patch with tick ≥ T + 3 still shows it at P and the target cell is a wall,
//     or was occupied by another actor when the move was sent or in that patch;
//   - "error" when an `error` reply arrives while it is pending (e.g. command/downed);
//   - unresolved otherwise: still at P with a free target at tick ≥ T + 6 ("ignored"), or no such
//     patch within 2 s ("timedOut": the tick did not advance). A move still pending when the run
//     ends is neither judged nor counted.
// A server that drops moves, freezes its tick or stops sending patches cannot pass: an unchanged
// position only counts when the map or the other actors explain it. Tick margins (3 and 6) allow
// for the client's view lagging the server by up to 2 (5) ticks.
import { Client } from "@colyseus/sdk";
import { DIRS } from "./payloads.mjs";

const STEP = { N: [0, -1], E: [1, 0], S: [0, 1], W: [-1, 0] };
const PERIOD_MS = 200;
const RESOLVE_MS = 2000;
const JOIN_TIMEOUT_MS = 15_000;

/** Ids of actors standing on (x, y) in a synced state, other than `selfId`. */
function occupied(state, x, y, selfId) {
  let found = false;
  state.actors.forEach((a, id) => {
    if (id !== selfId && a.x === x && a.y === y) found = true;
  });
  return found;
}

/**
 * Joins and starts walking. world: buildFuzzWorld()'s result (isWall). Resolves
 * { stats, sessionId(), actorId(), stop() } once joined; throws when the join fails.
 * stats: { sent, moved, displaced, blocked, errored, ignored, timedOut, errors: { code: n },
 * disconnected: close code | undefined }.
 */
export async function startWalker({ endpoint, worldId, world, name = "walker" }) {
  const stats = { sent: 0, moved: 0, displaced: 0, blocked: 0, errored: 0, ignored: 0, timedOut: 0, errors: {}, disconnected: undefined };
  const room = await Promise.race([
    new Client(endpoint).joinOrCreate("world", { worldId, name }),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`walker: join timed out after ${JOIN_TIMEOUT_MS / 1000} s`)), JOIN_TIMEOUT_MS)),
  ]);
  room.reconnection.enabled = false;
  const me = { name, actorId: undefined, sessionId: undefined, pending: undefined, turn: 0, stopping: false };
  const resolve = (outcome) => {
    stats[outcome]++;
    me.pending = undefined;
  };
  room.onMessage("welcome", (m) => ((me.actorId = m.actorId), (me.sessionId = m.sessionId)));
  room.onMessage("error", (m) => {
    stats.errors[m?.code ?? "unknown"] = (stats.errors[m?.code ?? "unknown"] ?? 0) + 1;
    if (me.pending) resolve("errored");
  });
  room.onMessage("*", () => {});
  room.onLeave((code) => {
    if (!me.stopping) stats.disconnected = code;
  });
  room.onStateChange((state) => judge(me, state, { world, resolve }));
  const timer = setInterval(() => step(me, room, { stats, world, resolve }), PERIOD_MS);
  return {
    stats,
    room,
    sessionId: () => me.sessionId,
    actorId: () => me.actorId,
    stop: async () => {
      me.stopping = true;
      clearInterval(timer);
      // A move still in flight when the run ends is not judged, nor counted.
      if (me.pending) (stats.sent--, (me.pending = undefined));
      await Promise.race([room.leave().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
    },
  };
}

/** Every PERIOD_MS: times out a stale move, or sends the next one of the cycle. */
function step(me, room, { stats, resolve }) {
  if (me.stopping || stats.disconnected !== undefined) return;
  if (me.pending) {
    if (performance.now() - me.pending.sentAt > RESOLVE_MS) resolve("timedOut");
    return;
  }
  const state = room.state;
  me.actorId ??= findByName(state, me.name);
  const actor = me.actorId && state?.actors?.get(me.actorId);
  if (!actor) return;
  const dir = DIRS[me.turn++ % DIRS.length];
  const target = [actor.x + STEP[dir][0], actor.y + STEP[dir][1]];
  me.pending = { dir, sentAt: performance.now(), tick: state.tick, from: [actor.x, actor.y], target, occupiedAtSend: occupied(state, target[0], target[1], me.actorId) };
  room.send("move", { dir });
  stats.sent++;
}

/** The walker's actor by its unique name, when `welcome` has not arrived yet. */
function findByName(state, name) {
  let found;
  state?.actors?.forEach((a, id) => {
    if (a.name === name && a.kind === "player") found = id;
  });
  return found;
}

/** On every patch: decides the pending move's outcome when the state explains it. */
function judge(me, state, { world, resolve }) {
  const pending = me.pending;
  const actor = pending && state.actors.get(me.actorId);
  if (!actor) return;
  const [fx, fy] = pending.from;
  const [tx, ty] = pending.target;
  if (actor.x !== fx || actor.y !== fy) return resolve(actor.x === tx && actor.y === ty ? "moved" : "displaced");
  if (state.tick < pending.tick + 3) return;
  if (world.isWall(tx, ty) || pending.occupiedAtSend || occupied(state, tx, ty, me.actorId)) return resolve("blocked");
  if (state.tick >= pending.tick + 6) resolve("ignored");
}

/** Moves resolved (moved, displaced, blocked, errored) and moves sent. */
export function walkerScore(stats) {
  const resolved = stats.moved + stats.displaced + stats.blocked + stats.errored;
  return { resolved, sent: stats.sent };
}
