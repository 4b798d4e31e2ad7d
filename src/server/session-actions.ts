/**
 * `POST /api/sessions/:id/actions` on the process that hosts the session's world (issue 14: the
 * route may run on any process; this runs where the world is, through its port). The same
 * admission as a WebSocket message of the kind: the kind must be registered, its plugin's edge
 * admits it (forbidden fields, rate limits, audit), its schema parses it; then it is queued for the
 * session's actor and answered after the tick that ran it.
 */
import { formatIssues } from "../content/format-issues.ts";
import type { ServerServices } from "./services.ts";
import type { ActionOutcome } from "./session-progress.ts";
import type { WorldRuntime } from "./world-runtime.ts";

/** An action's refusal may name the fields a payload got wrong (`request/invalid`). */
export type SessionActionOutcome = ActionOutcome | { ok: false; code: "request/invalid"; message: string; problems: string[] };

export async function actForSession(services: Pick<ServerServices, "plugins">, runtime: WorldRuntime, sessionId: string, type: string, raw: Record<string, unknown>): Promise<SessionActionOutcome> {
  const kind = services.plugins.rules.actions.kinds.get(type);
  if (!kind) return { ok: false, code: "request/invalid", message: `type: no action kind "${type}" (have: ${[...services.plugins.rules.actions.kinds.keys()].join(", ")})`, problems: [] };
  const actor = runtime.world.byId.get(runtime.actorOf(sessionId) ?? "");
  if (!actor) return { ok: false, code: "session/not-in-world", message: `session "${sessionId}" has no actor in world ${runtime.def.id}; join over WebSocket first` };
  let payload: unknown = raw;
  const edge = services.plugins.edges.get(type);
  if (edge !== undefined) {
    const admitted = edge.admit({ world: runtime.world, actor, sessionId, payload: raw });
    if (!admitted.ok) return admitted;
    payload = admitted.value;
  }
  const parsed = kind.payload.safeParse(payload);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    return { ok: false, code: "request/invalid", message: problems.length > 0 ? problems.join("; ") : `invalid ${type} payload`, problems };
  }
  return runtime.performAction(sessionId, type, parsed.data);
}
