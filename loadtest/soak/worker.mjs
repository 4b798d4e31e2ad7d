// One worker thread of the soak: drives its share of the bots (bot.mjs) until told to stop. Plain
// .mjs on purpose: tsx's loader hooks do not reach worker threads on Node 20.
//
// Protocol with soak.mjs: → { type: "ready" }; ← { type: "start", t0 }; → one { type: "second", k,
// connected, counts, tables } per second k after t0 (what happened in that second: counters, and
// tables of codes and messages); ← { type: "stop" }; every bot leaves; → { type: "done" } after a
// last "second". The soak terminates a worker that overstays.
import { parentPort, workerData } from "node:worker_threads";
import { DIRS } from "../runner/bot-tally.mjs";
import { createSoakDriver } from "./bot.mjs";

const { endpoint, token, plan, rate, reconnectEveryMs, world } = workerData;
const SCHEDULER_MS = 20;

let second = freshSecond();
const tally = {
  add(key) {
    second.counts[key] = (second.counts[key] ?? 0) + 1;
  },
  note(table, key) {
    const t = (second.tables[table] ??= {});
    t[key] = (t[key] ?? 0) + 1;
  },
};
// The SDK logs problems with console: count them for the report instead of flooding the terminal.
for (const level of ["log", "info", "warn", "error"]) {
  console[level] = (...args) => tally.note("clientLogs", args.map(String).join(" ").slice(0, 120));
}

const driver = createSoakDriver({ endpoint, token, rate, reconnectEveryMs, world, tally });
const bots = plan.map(({ index, worldId, joinAt }) => ({ index, name: `soak-${index}`, worldId, joinAt, state: "waiting", dir: DIRS[index % 4], nextMoveAt: 0, dropAt: Infinity }));
let timer;

/** A bug of the soak's own (an exception in a bot's turn): counted and reported, the run goes on. */
function fault(e) {
  tally.note("botFaults", String(e?.stack ?? e).split("\n").slice(0, 2).join(" ").slice(0, 200));
}
process.on("unhandledRejection", fault);

function freshSecond() {
  return { counts: {}, tables: {} };
}

function flush(k) {
  const connected = bots.filter((bot) => bot.state === "joined").length;
  parentPort.postMessage({ type: "second", k, connected, ...second });
  second = freshSecond();
}

/** Runs the bots from t0 on: joins at their times, turns, drops and reconnections; one flush a second. */
function start(t0) {
  let k = 0;
  for (const bot of bots) bot.joinAt += t0;
  timer = setInterval(() => {
    const now = Date.now();
    while (now >= t0 + (k + 1) * 1000) flush(k++);
    for (const bot of bots) {
      try {
        if (bot.state === "waiting" && now >= bot.joinAt) driver.join(bot).catch(fault);
        else if (bot.state === "dropped" && now >= bot.reconnectAt) driver.reconnect(bot).catch(fault);
        else if (bot.state === "joined" && now >= bot.dropAt) driver.drop(bot);
        else if (bot.state === "joined" && now >= bot.nextMoveAt) driver.act(bot, now);
      } catch (e) {
        fault(e);
      }
    }
  }, SCHEDULER_MS);
  return () => k;
}

let currentSecond;
parentPort.on("message", async (message) => {
  if (message.type === "start") currentSecond = start(message.t0);
  if (message.type === "stop") {
    clearInterval(timer);
    await Promise.all(bots.map((bot) => driver.leave(bot)));
    flush(currentSecond?.() ?? 0);
    parentPort.postMessage({ type: "done" });
  }
});
parentPort.postMessage({ type: "ready" });
