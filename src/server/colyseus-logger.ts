/**
 * Colyseus's own log output as pino JSON lines (issue 8 §6). Colyseus logs through a replaceable
 * `logger` (the server's `logger` option, `setLogger` in @colyseus/core); most of what it logs is
 * a client's mistake: a frame over the size limit, truncated MessagePack, a flood. It logs each as a
 * multi-line stack trace (`debugAndPrintError`), so a client could fill the disk with them.
 *
 * Here each call becomes one line: the first line of its text (an error's `name: message`, never a
 * stack), at most once per interval per kind of text (numbers aside, {@link shapeOf}), with
 * `repeated` counting the ones left out (src/server/log-limiter.ts). `source: "colyseus"` tells these lines apart.
 */
import { firstLine, type LogLimiter } from "./log-limiter.ts";
import type { Logger } from "./logger.ts";

/** The shape Colyseus 0.18 calls (`@colyseus/core` Logger.ts). */
export interface ColyseusLogger {
  debug(...args: unknown[]): void;
  trace(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/**
 * Routes the process's `console` through the same limited JSON lines (`source: "console"`): some
 * libraries print straight to it, e.g. @colyseus/schema's `decode.utf8Read(): Invalid byte …` for a
 * client's malformed message type. For the server process only (main.ts), never in tests.
 */
export function captureConsole(logger: Logger, limiter: LogLimiter): void {
  const sink = createColyseusLogger(logger, limiter, "console");
  console.log = sink.info;
  console.info = sink.info;
  console.warn = sink.warn;
  console.error = sink.error;
  console.debug = sink.debug;
  console.trace = sink.trace;
}

/**
 * The rate-limit key of a line: its text with numbers (decimal and hex) blanked and cut to 80
 * characters, so `Invalid byte 163 at offset 9` and `… 201 at offset 4` count as one kind.
 */
export function shapeOf(line: string): string {
  return line.replace(/0x[0-9a-f]+|\d+/gi, "#").slice(0, 80);
}

export function createColyseusLogger(logger: Logger, limiter: LogLimiter, source = "colyseus"): ColyseusLogger {
  const FIELDS = { source };
  const text = (args: unknown[]) => args.map(firstLine).join(" ");
  const limited = (level: "info" | "warn" | "error") => (...args: unknown[]) => {
    const line = text(args);
    limiter.log(level, `${source}:${level}:${shapeOf(line)}`, FIELDS, line);
  };
  return {
    debug: (...args) => logger.debug(FIELDS, text(args)),
    trace: (...args) => logger.trace(FIELDS, text(args)),
    info: limited("info"),
    warn: limited("warn"),
    error: limited("error"),
  };
}
