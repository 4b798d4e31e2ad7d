/** The server's logger: pino, JSON lines on stdout, level from `LOG_LEVEL`. */
import { pino, type Logger } from "pino";
import type { LogLevel } from "./config.ts";

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({ name: "arbiter", level });
}
