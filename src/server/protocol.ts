/**
 * The wire protocol's edge validation (STYLE §12): join options and client → server messages,
 * parsed with zod. Fields the server does not expect are dropped, never applied.
 */
import { z } from "zod";
import { DIRECTIONS, type Dir } from "../core/index.ts";
import { makeError, type ErrorReply } from "../errors.ts";
import { formatIssues } from "../content/format-issues.ts";

/** Messages a client may send; anything else gets `command/unknown-type`. */
export const CLIENT_MESSAGE_TYPES = ["move"] as const;

/**
 * Flood limit: a client sending more than this many messages within one second is disconnected
 * with close code 4002 (Colyseus's `maxMessagesPerSecond`). Other clients are unaffected.
 */
export const MAX_MESSAGES_PER_SECOND = 40;

export const moveMessage = z.object({ dir: z.enum(DIRECTIONS) });
export type MoveMessage = { dir: Dir };

export const characterConfig = z.strictObject({
  template: z.string().min(1).max(64).optional(),
  name: z.string().trim().min(1).max(64).optional(),
  customizations: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  randomSeed: z.number().optional(),
});

export const joinOptions = z.object({
  worldId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be a world id").optional(),
  name: z.string().trim().min(1).max(32).optional(),
  /** Resume this session; omitted creates one (returned in `welcome`). */
  sessionId: z.string().min(1).max(128).optional(),
  /** Character of a new session (ignored when resuming). */
  character: characterConfig.optional(),
});
export type JoinOptions = z.infer<typeof joinOptions>;

/**
 * Stats are computed on the server only (issue 3): a message carrying `stats`, `modifiers`, or a
 * field named after one of the world's stat definitions or axes (`health`, `strength` …) is refused
 * whole with `command/forbidden-field`. Returns the offending field names.
 */
export function findStatFields(payload: unknown, statNames: ReadonlySet<string>): string[] {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return [];
  return Object.keys(payload).filter((key) => key === "stats" || key === "modifiers" || statNames.has(key));
}

/** Parses a payload; a failure is an `command/invalid` reply naming the message type and fields. */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, type: string): { ok: true; value: T } | { ok: false; error: ErrorReply } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = formatIssues(parsed.error.issues);
  return { ok: false, error: makeError("command/invalid", `${type}: ${problems.join("; ")}`, { type, problems }) };
}

/** Longest message type shown in an error reply or a log line, in characters. */
const MAX_TYPE_SHOWN = 64;

/**
 * A client's message type as text that is safe to show: JSON-quoted and cut to 64 characters for a
 * string, the digits for a number, `(<typeof>)` for anything else. Never throws.
 */
export function describeMessageType(type: unknown): string {
  if (typeof type === "number") return String(type);
  if (typeof type !== "string") return `(${typeof type})`;
  const shown = JSON.stringify(type.length > MAX_TYPE_SHOWN ? type.slice(0, MAX_TYPE_SHOWN) : type);
  return type.length > MAX_TYPE_SHOWN ? `${shown}…` : shown;
}

/**
 * The real type and payload of a message that reached the room's catch-all (`onMessage("*")`).
 * Everything in it is the client's and untrusted. Colyseus 0.18 hands a message whose type is
 * literally `"*"` to the catch-all as `(client, payload, sendContext)`: the payload in the type's
 * place and its frozen send context (`{ id, reject, resolve }`, with functions no MessagePack payload
 * can hold) in the payload's (../shared/COLYSEUS-0.18.md).
 */
export function readCatchAll(type: unknown, payload: unknown): { type: unknown; payload: unknown } {
  return isSendContext(payload) ? { type: "*", payload: type } : { type, payload };
}

function isSendContext(value: unknown): boolean {
  return value !== null && typeof value === "object" && Object.isFrozen(value) && typeof (value as { reject?: unknown }).reject === "function";
}
