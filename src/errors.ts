/**
 * Arbiter's one table of errors (STYLE §8).
 *
 * Every rejection or fault that leaves the process carries one of these stable, namespaced codes.
 * `status` is the HTTP status where the error can reach an HTTP client; `close` is the WebSocket
 * close code where the error ends a connection. The edge (rooms/, src/server/) translates; the core
 * only returns codes.
 */
export const ERRORS = {
  "command/invalid": { message: "the message payload is malformed", status: 400 },
  "command/unknown-type": { message: "this message type is not part of the protocol", status: 400 },
  "command/no-actor": { message: "the actor does not exist in this world", status: 404 },
  "command/no-control": { message: "none of the actor's behaviours has a control for this input", status: 400 },
  "command/superseded": { message: "a later action for the same actor replaced this one before the tick ran", status: 409 },
  "request/no-route": { message: "no such API route", status: 404 },
  "web/not-built": { message: "the web client is not built", status: 503 },
  "command/downed": { message: "the actor is downed and cannot act until it respawns", status: 409 },
  "command/forbidden-field": { message: "this field cannot be set by a client", status: 400 },
  "world/bad-file": { message: "a world file failed validation", status: 500 },
  "world/not-found": { message: "no world with this id", status: 404 },
  "world/no-free-spawn": { message: "every spawn point is occupied", status: 409 },
  "world/already-hosted": { message: "this world is already hosted by another room", status: 409 },
  "world/not-running": { message: "this world has no open room", status: 409 },
  "join/bad-options": { message: "the join options are malformed", status: 400 },
  "config/invalid": { message: "an environment variable has a bad value", status: 500 },
  "request/invalid": { message: "the request body or query is invalid", status: 400 },
  "request/rate-limited": { message: "too many requests from this address; retry after the time in Retry-After", status: 429 },
  "request/malformed-json": { message: "the request body is not valid JSON", status: 400 },
  "request/too-large": { message: "the request body is over the limit (HTTP_BODY_LIMIT bytes)", status: 413 },
  "request/unsupported-media-type": { message: "request bodies must be JSON (Content-Type: application/json)", status: 415 },
  "auth/required": { message: "admin credentials are required (HTTP basic auth, user admin)", status: 401 },
  "auth/token-required": { message: "a player token is required: sign in (POST /auth/anonymous, /auth/login or /auth/register) and send it as Authorization: Bearer <token>", status: 401 },
  "auth/invalid-token": { message: "the player token is malformed, forged, expired or of a user this server does not have; sign in again", status: 401 },
  "session/forbidden": { message: "this session belongs to another user", status: 403 },
  "session/not-found": { message: "no session with this id", status: 404 },
  "session/already-connected": { message: "this session is already connected to a world", status: 409 },
  "session/not-in-world": { message: "this session has no actor in a running world; join over WebSocket first", status: 409 },
  "character/invalid": { message: "the character config is invalid", status: 400 },
  "npc/not-found": { message: "no NPC with this id in this world", status: 404 },
  "stats/unknown-type": { message: "no stat definition with this name in this world", status: 404 },
  "stats/invalid": { message: "the stat values are invalid", status: 400 },
  "internal": { message: "internal server error", status: 500 },
  "snapshot/mismatch": { message: "a stored snapshot does not fit its world file", status: 500 },
  "journal/hash-mismatch": { message: "replaying the journal gave a different state hash", status: 500 },
  "store/migration-failed": { message: "a database migration failed", status: 500 },
  "plugin/no-dir": { message: "the plugins directory (PLUGINS_DIR) does not exist or is not a directory", status: 500 },
  "plugin/import-failed": { message: "a plugin's index module could not be imported", status: 500 },
  "plugin/bad-manifest": { message: "a plugin's manifest or exports failed validation", status: 500 },
  "plugin/duplicate-id": { message: "two plugins have the same id", status: 500 },
  "plugin/cycle": { message: "the plugins' dependencies form a cycle", status: 500 },
  "plugin/missing-dependency": { message: "a plugin depends on a plugin that was not found", status: 500 },
  "plugin/version-mismatch": { message: "a plugin depends on a version of another plugin that is not installed", status: 500 },
  "plugin/hook-failed": { message: "a plugin's lifecycle hook threw", status: 500 },
  "plugin/hook-timeout": { message: "a plugin's lifecycle hook did not finish within PLUGIN_HOOK_TIMEOUT_MS", status: 500 },
  "plugin/permission-denied": { message: "a plugin reached for a capability its manifest's permissions do not grant", status: 500 },
  "plugin/capability-unavailable": { message: "a plugin was granted a capability the server does not provide", status: 500 },
  "plugin/bad-migration": { message: "a plugin's storage migration is malformed, names objects outside its namespace, or failed", status: 500 },
  "plugin/duplicate-route": { message: "two plugins (or a plugin and the server) registered the same HTTP route", status: 500 },
} as const satisfies Record<string, { message: string; status: number }>;

/** The server's own codes. */
export type ServerErrorCode = keyof typeof ERRORS;

/**
 * Codes plugins add (`ctx.defineErrors`), by code → `true`: a plugin augments this interface for
 * its codes to type-check (`declare module "…/src/errors.ts" { interface PluginErrorCodes {
 * "interaction/not-adjacent": true } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PluginErrorCodes {}

export type ErrorCode = ServerErrorCode | (keyof PluginErrorCodes & string);

/** What a code means: its default message and HTTP status. */
export interface ErrorInfo {
  readonly message: string;
  readonly status: number;
}

const pluginErrors = new Map<string, ErrorInfo & { pluginId: string }>();
const SERVER_NAMESPACES = new Set(Object.keys(ERRORS).map((code) => code.split("/")[0]!));
const PLUGIN_CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The table entry of `code` (the server's or a plugin's); an unknown code reads as `internal`. */
export function errorInfo(code: ErrorCode): ErrorInfo {
  return (ERRORS as Record<string, ErrorInfo>)[code] ?? pluginErrors.get(code) ?? ERRORS.internal;
}

/**
 * Adds a plugin's codes to the table (`ctx.defineErrors`). A code is `<namespace>/<name>`, both
 * kebab-case, outside the server's namespaces (`command`, `world` …); status 400–599. Throws an
 * `ArbiterError("plugin/hook-failed")` naming the bad code, or one another plugin defined already.
 */
export function definePluginErrors(pluginId: string, table: Readonly<Record<string, ErrorInfo>>): void {
  for (const [code, info] of Object.entries(table)) {
    const taken = pluginErrors.get(code);
    if (taken !== undefined && taken.pluginId !== pluginId) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: error code "${code}" is defined by plugin ${taken.pluginId}`);
    if (!PLUGIN_CODE.test(code)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: error code "${code}" must be <namespace>/<name>, kebab-case`);
    if (SERVER_NAMESPACES.has(code.split("/")[0]!)) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: error code "${code}" is in a namespace of the server's`);
    if (!Number.isInteger(info.status) || info.status < 400 || info.status > 599) throw new ArbiterError("plugin/hook-failed", `plugin ${pluginId}: error code "${code}" has status ${info.status}, not 400–599`);
    pluginErrors.set(code, { message: info.message, status: info.status, pluginId });
  }
}

/** Close codes Arbiter uses on top of Colyseus's own (4000–4999 is the application range). */
export const CLOSE_CODES = {
  /** Colyseus's CloseCode.WITH_ERROR: used by `maxMessagesPerSecond` for a flooding client. */
  flood: 4002,
  /**
   * The client's send queue passed `SEND_QUEUE_LIMIT` (it stopped reading, or reads slower than
   * the world changes): the connection is closed, and cut after a short grace (rooms/slow-clients.ts).
   */
  slowClient: 4005,
  /**
   * The world's claim lapsed while this process ran it (a stall longer than `CLAIM_TTL_MS`): another
   * process may host it now, so this room stops writing and closes; join again to reach the world
   * where it runs (issue 14, src/server/claims.ts).
   */
  worldMoved: 4012,
} as const;

/** The wire shape of an `error` message and of an HTTP error body's `error` field. */
export interface ErrorReply {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Builds an {@link ErrorReply}: the table's message, or a more precise one naming what was wrong. */
export function makeError(code: ErrorCode, message?: string, details?: unknown): ErrorReply {
  const reply: ErrorReply = { code, message: message ?? errorInfo(code).message };
  if (details !== undefined) reply.details = details;
  return reply;
}

/** A fault or a start-up failure carrying a stable code. Thrown only for bad configuration or broken invariants. */
export class ArbiterError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? errorInfo(code).message);
    this.name = "ArbiterError";
    this.code = code;
    this.details = details;
  }
}
