// Joins meant to be refused, for the session-table check (a refused join must leave no session):
// - hostile join options over HTTP (POST /matchmake/joinOrCreate/world): malformed JSON, wrong
//   types, prototype keys, overlong names, unknown worlds and sessions, the walker's own session
//   (already connected), invalid characters; a seat that is granted anyway is connected and closed;
// - a full world at the end: idle raw clients fill every free spawn point, and one more join must
//   be refused with world/no-free-spawn.
// Refusals are counted by code in tally.joins.refused (HTTP status and code for a refused seat,
// the ERROR frame's code for a refused WebSocket join); joins that succeed count as joins.ok.
import { FUZZ_WORLD_ID } from "./world.mjs";
import { connectSeat, joinRaw, reserveSeat } from "./wire.mjs";
import { bump } from "./tally.mjs";

/** One hostile join body (an object sent as JSON, or a string sent as is). */
export function hostileJoinBody(rng, { walkerSessionId }) {
  const worldId = FUZZ_WORLD_ID;
  const bodies = [
    () => "{not json",
    () => "[]",
    () => "null",
    () => '{"__proto__": {"worldId": "fuzz"}, "worldId": "__proto__"}',
    () => ({ worldId: rng.pick(["__proto__", "constructor", "toString", "nope", "", 5, null, ["fuzz"], { toString: 0 }]) }),
    () => ({ worldId, name: rng.pick(["", " ", "x".repeat(33), 5, null, { toString: 0 }, ["a"]]) }),
    () => ({ worldId, sessionId: rng.pick(["nope", "__proto__", "constructor", "", "x".repeat(200), 7, walkerSessionId ?? "walker"]) }),
    () => ({ worldId, character: rng.pick([{ template: "nope" }, { template: "__proto__" }, { template: "constructor" }, { extra: 1 }, 5, []]) }),
    () => ({ worldId, character: { customizations: rng.pick([{ combat_skills: { strength: 1e9 } }, { combat_skills: { strength: -5 } }, { attributes: { health: 100 } }, { nope: { x: 1 } }, { combat_skills: { nope: 1 } }, JSON.parse('{"__proto__": {"strength": 10}}')]) } }),
    () => ({ worldId, character: { randomSeed: rng.pick([1e308, -1, 0.5, "x"]), customizations: { combat_skills: { strength: 100 } } } }),
  ];
  return rng.pick(bodies)();
}

/**
 * Tries one hostile join; counts a refusal by its code, or a success as a join (then leaves).
 * Resolves "refused" | "joined".
 */
export async function tryHostileJoin({ rng, httpBase, endpoint, tally, walkerSessionId }) {
  const body = hostileJoinBody(rng, { walkerSessionId });
  let reserved;
  try {
    reserved = await reserveSeat({ httpBase, body });
  } catch (e) {
    bump(tally.joins.refused, `http ${e?.name ?? "error"}`);
    return "refused";
  }
  if (!reserved.ok) {
    bump(tally.joins.refused, `${reserved.status} ${reserved.code}`.trim());
    return "refused";
  }
  const joined = await connectSeat({ endpoint, seat: reserved.seat });
  if (!joined.ok) {
    bump(tally.joins.refused, joined.code);
    return "refused";
  }
  tally.joins.ok++;
  joined.ws.close(1000);
  return "joined";
}

/**
 * Fills the world: opens idle raw clients until a join is refused (at most maxJoins), then closes
 * them. Resolves { opened, refusal } where refusal is the refusing code (expected:
 * world/no-free-spawn) or undefined when every join succeeded.
 */
export async function fillWorld({ httpBase, endpoint, worldId, tally, maxJoins }) {
  const open = [];
  let refusal;
  for (let i = 0; i < maxJoins && refusal === undefined; i++) {
    const joined = await joinRaw({ httpBase, endpoint, options: { worldId, name: `filler-${i + 1}` } });
    if (joined.ok) {
      tally.joins.ok++;
      open.push(joined.ws);
    } else {
      refusal = joined.code;
      bump(tally.joins.refused, joined.code);
    }
  }
  for (const ws of open) ws.close(1000);
  return { opened: open.length, refusal };
}
