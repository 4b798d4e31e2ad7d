#!/usr/bin/env node
// A bot script for the stock @colyseus/loadtest terminal UI, for those who like its live view:
//
//   npm run loadtest:stock -- --numClients 50 [--endpoint ws://127.0.0.1:2567] [--world docks] [--delay 20]
//
// @colyseus/loadtest 0.17.8 (the newest) bundles @colyseus/sdk 0.17, whose schema 4 decoder fails
// on Arbiter's schema 5 state with "definition mismatch"; package.json's `overrides` pins the SDK
// under it to 0.18.4, the version this file imports too (one module, so the tool's counters see our
// joins). Its API in 0.17 is `cli(main)`: main runs once per client with { endpoint, roomName,
// clientId } and returns once the client is set up. It needs a TTY; for headless runs and reports
// use `npm run loadtest`. Loopback endpoints only; each bot walks at 3 moves per second.
import { Client } from "@colyseus/sdk";
import { signInAnonymously } from "./sign-in.mjs";
import { cli } from "@colyseus/loadtest";
import { parseArgs } from "node:util";

const DIRS = ["N", "E", "S", "W"];
const MOVES_PER_SECOND = 3;

const { values } = parseArgs({ options: { world: { type: "string" }, endpoint: { type: "string", default: "ws://localhost:2567" } }, strict: false });
const host = new URL(String(values.endpoint)).hostname;
if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/.test(host)) {
  console.error(`loadtest:stock: ${host} is not a loopback address; the load test only targets this machine`);
  process.exit(2);
}
if (!process.stdout.isTTY) {
  console.error("loadtest:stock: @colyseus/loadtest draws a terminal UI and needs a TTY; for headless runs use `npm run loadtest`");
  process.exit(2);
}

/** One player token for every client of this run (sign-in.mjs; issue 12: joins need one). */
let token;

cli(async (options) => {
  const client = new Client(options.endpoint);
  token ??= signInAnonymously(options.endpoint);
  client.auth.token = await token;
  const joinOptions = { name: `stock-${options.clientId}`, ...(values.world ? { worldId: String(values.world) } : {}) };
  const room = await client.joinOrCreate(options.roomName, joinOptions);
  let actorId;
  let dir = DIRS[options.clientId % 4];
  room.onMessage("welcome", (m) => {
    actorId = m.actorId;
    console.log(`${room.sessionId} joined ${m.worldId} as ${m.actorId}`);
  });
  room.onMessage("error", (m) => console.error(`${room.sessionId}: ${m.code}: ${m.message}`));
  const timer = setInterval(() => {
    const me = actorId && room.state.actors?.get(actorId);
    if (!me || me.downed) return;
    if (Math.random() < 0.3) dir = DIRS[Math.floor(Math.random() * 4)];
    room.send("move", { dir });
  }, 1000 / MOVES_PER_SECOND);
  room.onLeave((code) => {
    clearInterval(timer);
    console.log(`${room.sessionId} left (${code})`);
  });
});
