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
