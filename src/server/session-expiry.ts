/**
 * Expiry of idle sessions (issue 8 §4; seed 003 asks for a session timeout). Sessions are anonymous
 * today: whoever holds the id owns it, so one that nobody has used for `SESSION_TTL_HOURS` (default
 * 168, a week) is deleted. "Used" is the session's `updatedAt`: created, renamed, or progress saved
 * (on leaving a world and with every world snapshot while connected). Connected sessions are never
 * deleted, however old.
 *
 * The job runs once at start-up and then every {@link SessionExpiryOptions.everyMs}; a failure is
 * logged and the next run tries again (it never ends the process).
 */
import type { Logger } from "./logger.ts";
import type { SessionStore } from "./session-store.ts";

export interface SessionExpiryOptions {
  /** Idle time after which a session is deleted, in hours. */
  ttlHours: number;
  /** Interval between runs, in ms (default 10 minutes). */
  everyMs?: number;
  /** The current time in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

export interface SessionExpiry {
  /** Deletes the sessions idle at `nowMs`; returns how many (0 after a logged failure). */
  run(nowMs?: number): number;
  /** Stops the periodic runs. */
  stop(): void;
}

export interface SessionExpiryDeps {
  sessions: SessionStore;
  /** Ids of the sessions connected to a world now (never deleted). */
  connected: () => Iterable<string>;
  logger: Logger;
}

export function startSessionExpiry(deps: SessionExpiryDeps, options: SessionExpiryOptions): SessionExpiry {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlHours * 3_600_000;
  const run = (nowMs = now()): number => {
    try {
      const deleted = deps.sessions.deleteIdle(new Date(nowMs - ttlMs).toISOString(), deps.connected());
      if (deleted > 0) deps.logger.info({ deleted, ttlHours: options.ttlHours }, "expired idle sessions");
      return deleted;
    } catch (err) {
      deps.logger.error({ err }, "session expiry failed; the next run tries again");
      return 0;
    }
  };
  const timer = setInterval(run, options.everyMs ?? 600_000);
  timer.unref();
  return { run, stop: () => clearInterval(timer) };
}
