// What one worker thread's bots count, shared by both kinds of bot (thin-bot.mjs, probe-bot.mjs)
// so that their figures mean the same thing, and how a bot walks (the same for both kinds, so a
// thin bot loads the server like a probe does).
//
// Counters of the current second (`second`) are flushed by worker.mjs once per second; `totals`
// (join errors, error codes, close codes, SDK logs, join times) travel once, at the end.

export const DIRS = ["N", "E", "S", "W"];
/** Chance that a bot keeps its direction from one move to the next: it walks into others and pushes. */
const KEEP_DIRECTION = 0.7;

export function freshSecond() {
  return { joins: 0, joinFailures: 0, movesOut: 0, msgsIn: 0, bytesIn: 0, patches: 0, moved: 0, blocked: 0, displaced: 0, errors: 0, disconnects: 0 };
}

export function count(map, key) {
  map[key] = (map[key] ?? 0) + 1;
}

/**
 * The tally of one worker: { second, latencies, connected, totals } plus the events bots report.
 * joinMs: ms from starting a join (seat request) to the room's JOIN_ROOM frame.
 */
export function createTally() {
  const tally = {
    second: freshSecond(),
    latencies: [],
    connected: 0,
    totals: { joinErrors: {}, errorCodes: {}, disconnectCodes: {}, clientLogs: {}, joinMs: [] },
    /** A join completed; a connection that closed before the bot saw its join counts as joined and left. */
    joined(bot, joinMs) {
      tally.second.joins++;
      tally.totals.joinMs.push(joinMs);
      if (bot.state === "left") return;
      tally.connected++;
      bot.state = "joined";
    },
    joinFailed(bot, reason) {
      tally.second.joinFailures++;
      count(tally.totals.joinErrors, String(reason).slice(0, 160));
      bot.state = "failed";
    },
    /** An `error` message (its namespaced code) or a room-level ERROR frame. */
    error(code) {
      tally.second.errors++;
      count(tally.totals.errorCodes, String(code));
    },
    /** The connection closed; unexpected unless the bot was leaving. */
    closed(bot, code) {
      if (bot.state === "joined") tally.connected--;
      bot.state = "left";
      if (bot.leaving) return;
      tally.second.disconnects++;
      count(tally.totals.disconnectCodes, String(code));
    },
    /** One frame from the server: every frame counts as a message, its bytes as bytes in. */
    received(bytes) {
      tally.second.msgsIn++;
      tally.second.bytesIn += bytes;
    },
  };
  return tally;
}

/** The bot's next direction: kept 70% of the time, else one of the four at random. */
export function nextDirection(bot) {
  if (Math.random() >= KEEP_DIRECTION) bot.dir = DIRS[Math.floor(Math.random() * 4)];
  return bot.dir;
}

/** When the bot moves next: every 1/rate s, ±25% jitter, so bots do not move in lockstep. */
export function scheduleNextMove(bot, now, rate) {
  bot.nextMoveAt = now + (1000 / rate) * (0.75 + Math.random() * 0.5);
}
