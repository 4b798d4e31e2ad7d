/**
 * Log lines that an attacker cannot flood (issue 8 §6). A client can cause the same error as often
 * as it can send frames; each `(key)` — for example client + code — is logged at most once per
 * interval. The first occurrence logs at once; the ones inside the interval are only counted, and
 * the next line logged for that key carries `repeated: n`, the number left out since the last line.
 *
 * The table of keys is bounded ({@link LogLimiterOptions.maxKeys}): when it is full, the oldest
 * windows are dropped, so a client cycling through random keys costs memory in proportion to the
 * bound, never to its traffic.
 */
import type { Logger } from "./logger.ts";

export interface LogLimiterOptions {
  /** Length of a window per key, in ms (default 10,000). */
  intervalMs?: number;
  /** Keys remembered at once (default 10,000); the oldest are forgotten first. */
  maxKeys?: number;
  /** The current time in ms; `Date.now` by default (tests pass a stepping clock). */
  now?: () => number;
}

export type LogLevelName = "error" | "warn" | "info";

export interface LogLimiter {
  /**
   * Logs `msg` with `fields` at `level` unless `key` was logged less than an interval ago.
   * Returns true when a line was written.
   */
  log(level: LogLevelName, key: string, fields: Record<string, unknown>, msg: string): boolean;
  /** Lines left out so far, over all keys (for tests and metrics). */
  suppressed(): number;
}

interface Window {
  startedAt: number;
  repeated: number;
}

export function createLogLimiter(logger: Logger, options: LogLimiterOptions = {}): LogLimiter {
  const intervalMs = options.intervalMs ?? 10_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  // Insertion-ordered: re-inserting a key on each new window keeps the oldest windows first.
  const windows = new Map<string, Window>();
  let suppressedTotal = 0;

  return {
    log(level, key, fields, msg) {
      const t = now();
      const window = windows.get(key);
      if (window && t - window.startedAt < intervalMs) {
        window.repeated++;
        suppressedTotal++;
        return false;
      }
      windows.delete(key);
      while (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
      windows.set(key, { startedAt: t, repeated: 0 });
      const repeated = window?.repeated ?? 0;
      logger[level](repeated > 0 ? { ...fields, repeated } : fields, msg);
      return true;
    },
    suppressed: () => suppressedTotal,
  };
}

/** The first line of an error's message or of a stack-trace string: what a log line may show of a client's mistake. */
export function firstLine(value: unknown): string {
  const text = value instanceof Error ? `${value.name}: ${value.message}` : typeof value === "string" ? value : safeString(value);
  const newline = text.indexOf("\n");
  const line = newline < 0 ? text : text.slice(0, newline);
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** `String(value)` that never throws (a hostile object may have a `toString` that is not a function). */
export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
