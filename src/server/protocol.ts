/**
 * The wire protocol's edge validation (STYLE §12): join options and client → server messages,
 * parsed with zod. Fields the server does not expect are dropped, never applied.
 */
import { z } from "zod";
import { makeError, type ErrorReply } from "../errors.ts";
import { formatIssues } from "../content/format-issues.ts";
import { MAX_NAME_LENGTH } from "../sessions/character-gen.ts";

/**
 * Flood limit: a client sending more than this many messages within one second is disconnected
 * with close code 4002 (Colyseus's `maxMessagesPerSecond`). Other clients are unaffected.
 */
export const MAX_MESSAGES_PER_SECOND = 40;


/**
 * What a display name may not contain (issue 8 §3): control characters (C0, DEL, C1), format
 * characters (bidirectional embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069,
 * zero-width U+200B–U+200F, U+2060, U+FEFF, the soft hyphen …), line and paragraph separators,
 * surrogates, private-use and unassigned code points, any space but U+0020, and letters that
 * render blank (Hangul fillers, the braille blank). Names are shown to other players: these would
 * let one reorder, hide or impersonate text.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u115F\u1160\u3164\uFFA0\u2800]/u;

/**
 * The one rule for names a client chooses: trimmed, 1–`maxLength` UTF-16 units, printable
 * characters only (see UNPRINTABLE); a violation names the code point and its index.
 */
export function displayName(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(maxLength)
    .superRefine((name, ctx) => {
      const bad = UNPRINTABLE.exec(name);
      if (!bad) return;
      const codePoint = `U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
      ctx.addIssue({ code: "custom", message: `must contain only printable characters: ${codePoint} at index ${bad.index} is not allowed` });
    });
}

/** Longest player name, UTF-16 units. */
export const MAX_PLAYER_NAME = 32;

/** A player's name: HTTP `playerName`, join option `name` (1–32 characters). */
export const playerName = displayName(MAX_PLAYER_NAME);

/**
 * A character's name (up to 64) as a player name: cut to {@link MAX_PLAYER_NAME} UTF-16 units at a
 * code point boundary (never half a surrogate pair), trailing spaces dropped.
 */
export function toPlayerName(name: string): string {
  let out = "";
  for (const codePoint of name) {
    if (out.length + codePoint.length > MAX_PLAYER_NAME) break;
    out += codePoint;
  }
  return out.trimEnd();
}

/** A character's name, `character.name` (1–64 characters, as in character files). */
export const characterName = displayName(MAX_NAME_LENGTH);

/** Bounds of `character.customizations`: definitions, and axes per definition (key names ≤ 64). */
export const MAX_CUSTOMIZED_DEFINITIONS = 16;
export const MAX_CUSTOMIZED_AXES = 64;

/**
 * A record of at most `limits.maxKeys` keys. The count is checked before any entry is parsed, so
 * an object with thousands of keys costs one issue (`at most N keys, got M`), not thousands. A key
 * the `key` schema refuses is reported on its own path with `limits.keyRule`.
 */
export function boundedRecord<V extends z.ZodType>(key: z.ZodType<string, string>, value: V, limits: { maxKeys: number; keyRule: string }) {
  return z
    .unknown()
    .superRefine((input, ctx) => {
      const count = typeof input === "object" && input !== null ? Object.keys(input).length : 0;
      if (count > limits.maxKeys) ctx.addIssue({ code: "custom", message: `at most ${limits.maxKeys} keys, got ${count}` });
    })
    .pipe(z.record(key, value, { error: (issue) => (issue.code === "invalid_key" ? limits.keyRule : undefined) }));
}

const statKey = z.string().min(1).max(64);
const statKeyRule = "stat names are 1–64 characters";

export const characterConfig = z.strictObject({
  template: z.string().min(1).max(64).optional(),
  name: characterName.optional(),
  /** Points by definition and axis; which ones a world accepts is checked by character-gen. */
  customizations: boundedRecord(statKey, boundedRecord(statKey, z.number(), { maxKeys: MAX_CUSTOMIZED_AXES, keyRule: statKeyRule }), {
    maxKeys: MAX_CUSTOMIZED_DEFINITIONS,
    keyRule: statKeyRule,
  }).optional(),
  randomSeed: z.number().optional(),
});

export const joinOptions = z.object({
  worldId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be a world id").optional(),
  name: playerName.optional(),
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
