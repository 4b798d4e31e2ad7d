/**
 * Environment configuration, validated once at start-up with zod (STYLE §12). A bad value stops
 * start-up with `config/invalid` naming the variable. Empty strings count as unset.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { ArbiterError } from "../errors.ts";
import { formatIssues } from "../content/format-issues.ts";

const blankAsUnset = (value: unknown): unknown => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** Digits only (no `64kb`, `1e3` or `0x400`), else `fallback` when unset. */
const wholeNumber = (unit: string, fallback: number) =>
  z.preprocess(blankAsUnset, z.string().regex(/^\d+$/, `must be a whole number of ${unit}`).optional().transform((v) => (v === undefined ? fallback : Number(v))));

const envSchema = z.object({
  PORT: z.preprocess(blankAsUnset, z.string().regex(/^\d+$/, "must be a port number, 1–65535").optional().transform((v) => (v === undefined ? 2567 : Number(v))).pipe(z.int().min(1).max(65535))),
  HOST: z.preprocess(blankAsUnset, z.string().regex(/^[A-Za-z0-9.:\[\]-]{1,255}$/, "must be a host name or IP address").optional()),
  DATA_DIR: z.preprocess(blankAsUnset, z.string().default("data")),
  PLUGINS_DIR: z.preprocess(blankAsUnset, z.string().default("plugins")),
  PLUGIN_HOOK_TIMEOUT_MS: wholeNumber("milliseconds", 10_000).pipe(z.int().min(1).max(600_000)),
  DATABASE_PATH: z.preprocess(blankAsUnset, z.string().optional()),
  ADMIN_PASSWORD: z.preprocess(blankAsUnset, z.string().min(8, "must be at least 8 characters").optional()),
  LOG_LEVEL: z.preprocess(blankAsUnset, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
  DEFAULT_WORLD: z.preprocess(blankAsUnset, z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be a world id").optional()),
  SNAPSHOT_EVERY_TICKS: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).default(600)),
  JOURNAL_FLUSH_TICKS: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(10_000).default(1)),
  JOURNAL_RETENTION_TICKS: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).default(72_000)),
  SESSION_TTL_HOURS: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(87_600).default(168)),
  METRICS_TOKEN: z.preprocess(blankAsUnset, z.string().min(16, "must be at least 16 characters").optional()),
  HTTP_BODY_LIMIT: wholeNumber("bytes", 64 * 1024).pipe(z.int().min(1024).max(16 * 1024 * 1024)),
  HTTP_RATE_LIMIT: wholeNumber("requests per 10 s", 600).pipe(z.int().min(0).max(1_000_000)),
  AUTH_FAILURE_LIMIT: wholeNumber("failed logins per 15 minutes", 20).pipe(z.int().min(1).max(10_000)),
  AUTH_SECRET: z.preprocess(blankAsUnset, z.string().min(32, "must be at least 32 characters").optional()),
  AUTH_RATE_LIMIT: wholeNumber("attempts per minute", 30).pipe(z.int().min(0).max(1_000_000)),
  ACCOUNT_RATE_LIMIT: wholeNumber("attempts per 15 minutes", 20).pipe(z.int().min(0).max(1_000_000)),
  HTTP_IDLE_TIMEOUT_MS: wholeNumber("milliseconds", 30_000).pipe(z.int().min(100).max(600_000)),
  SEND_QUEUE_LIMIT: wholeNumber("bytes", 512 * 1024).pipe(z.int().min(1024).max(256 * 1024 * 1024)),
  RECONNECT_WINDOW_S: wholeNumber("seconds", 20).pipe(z.int().min(0).max(3_600)),
  PING_INTERVAL_MS: wholeNumber("milliseconds", 3_000).pipe(z.int().min(100).max(60_000)),
  REDIS_URL: z.preprocess(blankAsUnset, z.string().regex(/^rediss?:\/\/[^\s]+$/, "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379").optional()),
  CLAIM_TTL_MS: wholeNumber("milliseconds", 10_000).pipe(z.int().min(300).max(600_000)),
  PUBLIC_ADDRESS: z.preprocess(blankAsUnset, z.string().regex(/^[A-Za-z0-9.\-[\]:]{1,255}(\/[^\s]*)?$/, "must be host:port (and an optional path) where clients reach this process").optional()),
  CORS_ORIGINS: z.preprocess(blankAsUnset, z.string().optional()).transform((value, ctx) => {
    const origins = (value ?? "").split(",").map((o) => o.trim()).filter((o) => o !== "");
    for (const origin of origins) {
      const problem = originProblem(origin);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }
    return origins;
  }),
});

/** Why `origin` is not an exact web origin (`https://play.example.com`, `http://localhost:5173`), or undefined. */
function originProblem(origin: string): string | undefined {
  if (!URL.canParse(origin)) return `"${origin}" is not an origin such as https://play.example.com`;
  const url = new URL(origin);
  if (url.protocol !== "http:" && url.protocol !== "https:") return `"${origin}" must be an http or https origin`;
  if (url.origin !== origin) return `"${origin}" is not an exact origin (scheme://host[:port], lower case, no path or trailing slash); did you mean "${url.origin}"?`;
  return undefined;
}

export type LogLevel = z.infer<typeof envSchema>["LOG_LEVEL"];

export interface ServerConfig {
  /** TCP port of HTTP and WebSocket traffic. */
  port: number;
  /** Address to listen on (e.g. `127.0.0.1`); undefined = every interface. */
  host: string | undefined;
  /** Absolute data directory; worlds are read from `<dataDir>/worlds/*.json`. */
  dataDir: string;
  /** Absolute plugins directory: one folder per plugin (`PLUGINS_DIR`, default `plugins`). */
  pluginsDir: string;
  /** Each plugin hook (onLoad, onEnable, onDisable) may take this long, ms (`PLUGIN_HOOK_TIMEOUT_MS`). */
  pluginHookTimeoutMs: number;
  /** Absolute SQLite file path (default `<dataDir>/arbiter.sqlite`), or `:memory:` for a throwaway database. */
  databasePath: string;
  /** Admin password, or undefined to generate one at start-up. */
  adminPassword: string | undefined;
  logLevel: LogLevel;
  /** World id used when a client names none; undefined means "docks", else the first world by id. */
  defaultWorld: string | undefined;
  /** A world snapshot is written every this many ticks (and when its room closes). */
  snapshotEveryTicks: number;
  /** Journal entries are written in one transaction every this many ticks. */
  journalFlushTicks: number;
  /** Journal entries older than the snapshot tick minus this many ticks are pruned. */
  journalRetentionTicks: number;
  /** Sessions not used for this many hours are deleted by the expiry job (seed 003's session timeout). */
  sessionTtlHours: number;
  /** Bearer token for `/metrics`, besides the admin credentials. */
  metricsToken: string | undefined;
  /** Largest HTTP request body, bytes (`HTTP_BODY_LIMIT`); larger ones answer 413 `request/too-large`. */
  httpBodyLimitBytes: number;
  /** HTTP requests per client address per 10 s, 0 = no limit (`HTTP_RATE_LIMIT`); over it, 429. */
  httpRateLimit: number;
  /** 401 answers per client address per 15 minutes before it is refused for the window (`AUTH_FAILURE_LIMIT`). */
  authFailureLimit: number;
  /**
   * The secret player tokens are signed with (`AUTH_SECRET`, at least 32 characters); undefined: a
   * development secret is generated once into `DATA_DIR/.auth-secret` (src/server/accounts.ts).
   */
  authSecret: string | undefined;
  /**
   * Sign-ins (anonymous or by password), registrations and session creations per client address
   * per minute, each kind counted apart; 0 = no limit (`AUTH_RATE_LIMIT`); over it, 429.
   */
  authRateLimit: number;
  /** Logins and registrations per email, and session creations per user, per 15 minutes; 0 = no limit (`ACCOUNT_RATE_LIMIT`). */
  accountRateLimit: number;
  /** An HTTP response with no socket activity for this long is cut, ms (`HTTP_IDLE_TIMEOUT_MS`). */
  httpIdleTimeoutMs: number;
  /** Exact origins allowed to call the public API and matchmaking from a browser (`CORS_ORIGINS`). */
  corsOrigins: string[];
  /**
   * A client whose WebSocket send queue (bytes written but not yet taken by the kernel) passes this
   * after a tick is disconnected with close code 4005 `slow-client` (`SEND_QUEUE_LIMIT`).
   */
  sendQueueLimitBytes: number;
  /**
   * A dropped client (connection lost, not a consented leave or a kick) may reconnect to its actor
   * for this many seconds; 0 = never (`RECONNECT_WINDOW_S`, rooms/reconnection.ts).
   */
  reconnectWindowS: number;
  /**
   * The WebSocket transport pings every client this often, ms (`PING_INTERVAL_MS`); a client that
   * left two pings in a row unanswered is cut at the next one, so a silent drop (no FIN, no close
   * frame) is noticed within 3 × this: 9 s by default (src/server/http/surfaces.ts).
   */
  pingIntervalMs: number;
  /**
   * Scale-out (issue 14): with `REDIS_URL`, Colyseus's Redis presence and driver, and Redis world
   * claims, so several processes share one set of worlds (src/server/scale.ts); undefined: one
   * process on the embedded defaults.
   */
  scale: ScaleConfig | undefined;
}

export interface ScaleConfig {
  /** `REDIS_URL`: `redis://host:port[/db]`. */
  redisUrl: string;
  /**
   * `PUBLIC_ADDRESS`: where clients reach this process (`host:port`), handed out with seat
   * reservations; default `127.0.0.1:<PORT>` (every process on one machine).
   */
  publicAddress: string;
  /**
   * `CLAIM_TTL_MS`: a world claim or a connected session not renewed for this long lapses (renewed
   * every third of it), so a dead process's worlds reopen elsewhere and its players may join again
   * within this; default 10,000.
   */
  claimTtlMs: number;
}

/**
 * `.env.<NODE_ENV>` (default `development`) and `.env`, when present, fill variables the process
 * environment does not set (Node's own loader: it never overrides, and prints nothing). The server
 * and the replay tool both call it before {@link loadConfig}.
 */
export function loadEnvFiles(): void {
  for (const file of [`.env.${process.env.NODE_ENV || "development"}`, ".env"]) {
    if (existsSync(file)) process.loadEnvFile(file);
  }
}

/** Reads and validates the configuration. Throws `config/invalid` naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = formatIssues(parsed.error.issues).map((line) => `  - ${line}`);
    throw new ArbiterError("config/invalid", `invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(cwd, e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    pluginsDir: isAbsolute(e.PLUGINS_DIR) ? e.PLUGINS_DIR : resolve(cwd, e.PLUGINS_DIR),
    pluginHookTimeoutMs: e.PLUGIN_HOOK_TIMEOUT_MS,
    databasePath: e.DATABASE_PATH === ":memory:" ? ":memory:" : e.DATABASE_PATH ? resolve(cwd, e.DATABASE_PATH) : join(dataDir, "arbiter.sqlite"),
    adminPassword: e.ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL,
    defaultWorld: e.DEFAULT_WORLD,
    snapshotEveryTicks: e.SNAPSHOT_EVERY_TICKS,
    journalFlushTicks: e.JOURNAL_FLUSH_TICKS,
    journalRetentionTicks: e.JOURNAL_RETENTION_TICKS,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    metricsToken: e.METRICS_TOKEN,
    httpBodyLimitBytes: e.HTTP_BODY_LIMIT,
    httpIdleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
    httpRateLimit: e.HTTP_RATE_LIMIT,
    authFailureLimit: e.AUTH_FAILURE_LIMIT,
    authSecret: e.AUTH_SECRET,
    authRateLimit: e.AUTH_RATE_LIMIT,
    accountRateLimit: e.ACCOUNT_RATE_LIMIT,
    corsOrigins: e.CORS_ORIGINS,
    sendQueueLimitBytes: e.SEND_QUEUE_LIMIT,
    reconnectWindowS: e.RECONNECT_WINDOW_S,
    pingIntervalMs: e.PING_INTERVAL_MS,
    scale: e.REDIS_URL === undefined ? undefined : { redisUrl: e.REDIS_URL, publicAddress: e.PUBLIC_ADDRESS ?? `127.0.0.1:${e.PORT}`, claimTtlMs: e.CLAIM_TTL_MS },
  };
}
