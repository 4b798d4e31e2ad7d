/** The rate-limited log (issue 8 §6): one line per key and interval, with the count left out. */
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { shapeOf } from "../../src/server/colyseus-logger.ts";
import { createLogLimiter, firstLine, safeString } from "../../src/server/log-limiter.ts";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: "info" }, sink) };
}

describe("log limiter", () => {
  it("logs a key once per interval and carries the count it left out on the next line", () => {
    const { lines, logger } = capture();
    let now = 0;
    const limiter = createLogLimiter(logger, { intervalMs: 1000, now: () => now });
    const results = [0, 10, 500, 999, 1000, 1500, 2600].map((t) => {
      now = t;
      return limiter.log("warn", "k", { client: "c1" }, "bad frame");
    });
    expect(results).toEqual([true, false, false, false, true, false, true]);
    expect(lines.map((l) => [l.msg, l.repeated])).toEqual([
      ["bad frame", undefined],
      ["bad frame", 3],
      ["bad frame", 1],
    ]);
    expect(limiter.suppressed()).toBe(4);
  });

  it("remembers at most maxKeys keys, forgetting the oldest", () => {
    const { lines, logger } = capture();
    const limiter = createLogLimiter(logger, { intervalMs: 1000, maxKeys: 2, now: () => 0 });
    for (const key of ["a", "b", "c", "a"]) limiter.log("info", key, {}, key);
    expect(lines.map((l) => l.msg)).toEqual(["a", "b", "c", "a"]);
  });

  it("shows only the first line of an error or a stack-trace string, and never throws on hostile values", () => {
    expect(firstLine(new RangeError("Max payload size exceeded"))).toBe("RangeError: Max payload size exceeded");
    expect(firstLine("Error: bad\n    at x (y.js:1:2)")).toBe("Error: bad");
    expect(safeString({ toString: 0 })).toBe("[object Object]");
    expect(shapeOf("decode.utf8Read(): Invalid byte 163 at offset 9 (0xA3)")).toBe("decode.utf#Read(): Invalid byte # at offset # (#)");
  });
});
