/**
 * The `interact` kind's edge (issue 10 "Intents only"): a client's attempt is admitted or refused
 * before the tick, and every refusal is audited. Order: the rate limit first (2 a second per
 * session: a flood is cut whatever it carries), then forbidden fields (anything but `targetId`,
 * `slotId`, `interactionId`), the schema, one interaction per actor and tick (the pipeline keeps
 * one intent of a kind per actor and tick: a second would silently replace the first), and the
 * dispatcher's checks against the world as it is (dispatcher.ts). The wall clock is used here only,
 * never inside the tick.
 */
import type { ActionAttempt, ActionEdge } from "../../src/plugins/api.ts";
import type { Audit } from "./audit.ts";
import { alreadyQueued, clientPayloadSchema, INTERACTION_ERRORS, type InteractionRegistry } from "./dispatcher.ts";

/** Attempts a client may make per second. */
export const ATTEMPTS_PER_SECOND = 2;
/** Above this many tracked sessions, the rate limiter forgets the ones idle for a second. */
const RATE_SWEEP_SIZE = 1024;
const ALLOWED_FIELDS = new Set(["targetId", "slotId", "interactionId"]);

type Code = keyof typeof INTERACTION_ERRORS | "command/invalid";

/** The edge of `interact`; `now` gives wall-clock ms (tests may pass their own). */
export function createInteractEdge(registry: InteractionRegistry, audit: Audit, now: () => number = Date.now): ActionEdge {
  const recent = new Map<string, number[]>(); // session → its attempt times (ms) in the last second
  const refuse = (attempt: ActionAttempt, code: Code, message: string) => {
    audit.attempt({ world: attempt.world, sessionId: attempt.sessionId, actorId: attempt.actor.id, payload: attempt.payload, verdict: "refused", code });
    return { ok: false as const, code, message };
  };
  const overRate = (sessionId: string): boolean => {
    const at = now();
    if (recent.size > RATE_SWEEP_SIZE) for (const [session, times] of recent) if (at - times[times.length - 1]! >= 1000) recent.delete(session);
    const times = (recent.get(sessionId) ?? []).filter((t) => at - t < 1000);
    if (times.length >= ATTEMPTS_PER_SECOND) return true;
    times.push(at);
    recent.set(sessionId, times);
    return false;
  };
  return {
    admit(attempt) {
      const { payload, actor, world } = attempt;
      if (overRate(attempt.sessionId)) return refuse(attempt, "interaction/rate-limited", `at most ${ATTEMPTS_PER_SECOND} interaction attempts per second`);
      if (typeof payload === "object" && payload !== null && !Array.isArray(payload)) {
        const extra = Object.keys(payload).filter((key) => !ALLOWED_FIELDS.has(key));
        if (extra.length > 0) return refuse(attempt, "interaction/forbidden-field", `interact may not carry ${extra.map((k) => JSON.stringify(k.slice(0, 32))).join(", ")}: configs, chances and results live on the server`);
      }
      const parsed = clientPayloadSchema.safeParse(payload);
      if (!parsed.success) return refuse(attempt, "command/invalid", `interact: ${parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ")}`);
      const waiting = alreadyQueued(world, actor);
      if (waiting !== undefined) return refuse(attempt, waiting.code, waiting.message);
      const checked = registry.check(world, world.tick + 1, actor, parsed.data);
      if ("code" in checked) return refuse(attempt, checked.code, checked.message);
      return { ok: true, value: parsed.data };
    },
  };
}
