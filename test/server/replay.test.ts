/**
 * `npm run replay` and `GET /api/admin/worlds/:id/explain` (issue 12 "Replay and explanation") on a
 * journal the server's own persistence wrote: the world is opened with the server's services and
 * world host (what a room runs), played tick by tick with scripted inputs, and closed.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUARDS, hashWorld, moveInput, submitInput, type Dir } from "../../src/core/index.ts";
import { createServices, loadConfig } from "../../src/server/boot.ts";
import { EXPLAIN_MAX_TICKS } from "../../src/server/http/replay-routes.ts";
import { createLogger } from "../../src/server/logger.ts";
import { runReplayCli } from "../../src/server/replay/cli.ts";
import type { ServerServices } from "../../src/server/services.ts";
import { encodeInputs } from "../../src/server/store.ts";
import { openWorldHost } from "../../src/server/world-host.ts";
import { ADMIN_AUTH, expectError, request } from "../support/http.ts";
import { bootTestServer, writeWorlds, type TestServer } from "../support/server.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const npc = (id: string, x: number, y: number, behaviour: string) => ({ id, name: id, at: [x, y], behaviours: [behaviour] });

/**
 * The player joins at S [1, 1]; crates a and b stand east of it against a wall, and the Aggressive
 * x stands at [3, 2]: pushing east from the spawn fails two deep at the wall, and stepping into x is
 * refused.
 */
const QUAY = { map: ["######", "#S..##", "#....#", "######"], npcs: [npc("a", 2, 1, "Moveable"), npc("b", 3, 1, "Moveable"), npc("x", 3, 2, "Aggressive")] };
/** A world whose room closes after its player left, then opens again (a kept snapshot inside the journal). */
const PIER = { map: ["#####", "#S..#", "#####"] };
/** A world with a long journal (10,001 ticks, fresh base only) for the route's bound. */
const LONG = { map: ["####", "#S.#", "####"] };
const LONG_TICKS = EXPLAIN_MAX_TICKS + 1;

/** Moves of player-1 at ticks 2–5: E (fails at the wall), S, E, E (refused by x). Tick 1 is its join, tick 6 idle. */
const MOVES: Dir[] = ["E", "S", "E", "E"];

let dataDir: string;

/** Opens `services`, runs `use`, and closes them as main.ts does. */
async function withServices<T>(use: (services: ServerServices) => T): Promise<T> {
  const services = await createServices(loadConfig({ DATA_DIR: dataDir, ADMIN_PASSWORD: "replay-admin", LOG_LEVEL: "silent" }), createLogger("silent"));
  try {
    return use(services);
  } finally {
    services.sessionExpiry.stop();
    await services.plugins.host.disable();
    services.store.close();
  }
}

/** Plays the scripted session through the server's world host (journal, snapshots) and closes it. */
function record(services: ServerServices): void {
  const host = openWorldHost(services.worlds.byId.get("quay")!, services.store, services.persistence, services.logger, {}, services.plugins.rules);
  expect(submitInput(host.sim, { type: "join", actorId: "", name: "Ada" }).ok).toBe(true);
  host.step();
  for (const dir of MOVES) {
    expect(submitInput(host.sim, moveInput("player-1", dir)).ok).toBe(true);
    host.step();
  }
  host.step();
  host.close();
  const long = openWorldHost(services.worlds.byId.get("long")!, services.store, { snapshotEveryTicks: 1e9, journalFlushTicks: 1000, journalRetentionTicks: 1e9 }, services.logger, {}, services.plugins.rules);
  for (let i = 0; i < LONG_TICKS; i++) long.step();
  long.flush();
  recordPier(services);
}

/**
 * Pier: player-1 joins and walks (ticks 1–3), then leaves and the room closes before another tick,
 * so the snapshot at tick 3 holds a leave no journal entry records; the world opens again from it,
 * player-2 joins and walks (ticks 4–5), and it closes.
 */
function recordPier(services: ServerServices): void {
  const open = () => openWorldHost(services.worlds.byId.get("pier")!, services.store, services.persistence, services.logger, {}, services.plugins.rules);
  const first = open();
  submitInput(first.sim, { type: "join", actorId: "", name: "Ada" });
  first.step();
  for (const dir of ["E", "E"] as const) {
    submitInput(first.sim, moveInput("player-1", dir));
    first.step();
  }
  submitInput(first.sim, { type: "leave", actorId: "player-1" });
  first.close();
  const second = open();
  submitInput(second.sim, { type: "join", actorId: "", name: "Bo" });
  second.step();
  submitInput(second.sim, moveInput("player-2", "E"));
  second.step();
  second.close();
}

/** Runs the tool in this process; its exit code and what it printed. */
async function replay(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runReplayCli(argv, { DATA_DIR: dataDir, LOG_LEVEL: "silent" }, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** Runs `npm run replay` as a child process. */
function replayProcess(...argv: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn("npm", ["run", "--silent", "replay", "--", ...argv], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

/** Changes one journal row for the length of `run`, then puts it back. */
async function withJournalRow<T>(tick: number, change: { hash?: string; inputs?: Buffer }, run: () => Promise<T>): Promise<T> {
  const db = new BetterSqlite3(join(dataDir, "arbiter.sqlite"));
  const original = db.prepare("SELECT inputs, hash FROM journal WHERE world_id = 'quay' AND tick = ?").get(tick) as { inputs: Buffer; hash: string };
  const write = db.prepare("UPDATE journal SET inputs = ?, hash = ? WHERE world_id = 'quay' AND tick = ?");
  write.run(change.inputs ?? original.inputs, change.hash ?? original.hash, tick);
  try {
    return await run();
  } finally {
    write.run(original.inputs, original.hash, tick);
    db.close();
  }
}

function recordedHash(worldId: string, tick: number): string {
  const db = new BetterSqlite3(join(dataDir, "arbiter.sqlite"), { readonly: true });
  try {
    return (db.prepare("SELECT hash FROM journal WHERE world_id = ? AND tick = ?").get(worldId, tick) as { hash: string }).hash;
  } finally {
    db.close();
  }
}

/** What the explanation of player-1 over ticks 1–6 must say, move by move. */
const EXPECTED_MOVES = [
  {
    tick: 2,
    dir: "E",
    source: "input",
    succeeded: false,
    moved: null,
    reason: "wall",
    stoppedBy: { actorId: "b", refusedId: null, reason: "wall", depth: 2, guard: GUARDS.wall },
    chain: [
      { type: "pushed", actorId: "player-1", targetId: "a", dir: "E", depth: 0 },
      { type: "pushed", actorId: "a", targetId: "b", dir: "E", depth: 1 },
      { type: "blocked", actorId: "b", reason: "wall", depth: 2 },
      { type: "blocked", actorId: "a", reason: "wall", depth: 1 },
      { type: "blocked", actorId: "player-1", reason: "wall", depth: 0 },
    ],
  },
  { tick: 3, dir: "S", source: "input", succeeded: true, moved: { from: [1, 1], to: [1, 2] }, reason: null, stoppedBy: null, chain: [{ type: "moved", actorId: "player-1", fromX: 1, fromY: 1, x: 1, y: 2 }] },
  { tick: 4, dir: "E", source: "input", succeeded: true, moved: { from: [1, 2], to: [2, 2] }, reason: null, stoppedBy: null, chain: [{ type: "moved", actorId: "player-1", fromX: 1, fromY: 2, x: 2, y: 2 }] },
  {
    tick: 5,
    dir: "E",
    source: "input",
    succeeded: false,
    moved: null,
    reason: "aggressive",
    stoppedBy: { actorId: "x", refusedId: "player-1", reason: "aggressive", depth: 0, guard: GUARDS.aggressive },
    chain: [
      { type: "pushed", actorId: "player-1", targetId: "x", dir: "E", depth: 0 },
      { type: "retaliated", actorId: "x", targetId: "player-1", damage: 6 },
      { type: "refused", actorId: "x", byId: "player-1", reason: "aggressive" },
      { type: "blocked", actorId: "player-1", reason: "aggressive", depth: 0 },
    ],
  },
];

beforeAll(async () => {
  dataDir = writeWorlds({ quay: QUAY, long: LONG, pier: PIER });
  await withServices(record);
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm run replay: verify", () => {
  it("replays the recorded session from the world file and verifies every tick", async () => {
    expect(await replay("--world", "quay")).toEqual({ code: 0, out: "6 ticks verified (world quay, ticks 1–6, replayed from the world file at tick 0)\n", err: "" });
  });

  it("as `npm run replay`, a child process: the same line and exit code 0", async () => {
    const run = await replayProcess("--world", "quay", "--from", "2", "--to", "5");
    expect(run).toMatchObject({ code: 0, out: "5 ticks verified (world quay, ticks 1–5, replayed from the world file at tick 0)\n" });
  }, 60_000);

  it("a room that closed and opened again: the replay goes on from the snapshot it wrote, as the server did", async () => {
    expect(await replay("--world", "pier")).toEqual({
      code: 0,
      err: "",
      out: "5 ticks verified (world pier, ticks 1–5, replayed from the world file at tick 0; went on from the snapshot written when its room closed at tick 3)\n",
    });
    expect(await replay("--world", "pier", "--from", "4")).toEqual({ code: 0, err: "", out: "2 ticks verified (world pier, ticks 4–5, replayed from the snapshot kept at tick 3)\n" });
  });

  it("a tampered hash: the divergence at that tick, and no actor differs from the snapshot kept after it", async () => {
    const real = recordedHash("quay", 4);
    const run = await withJournalRow(4, { hash: "0000000000000000" }, () => replay("--world", "quay"));
    expect(run).toEqual({
      code: 1,
      err: "",
      out: [
        "divergence at tick 4 in world quay (ticks 1–3 verified, replayed from the world file at tick 0)",
        `  tick 4: hash ${real}, journal says 0000000000000000`,
        "no actor differs from the snapshot kept at tick 6: the recorded hash of tick 4 is wrong, or the difference did not last",
        "tick 4's inputs and events name: player-1",
        "",
      ].join("\n"),
    });
  });

  it("a tampered input: the divergence at that tick, and the actor that differs, field by field", async () => {
    const run = await withJournalRow(4, { inputs: encodeInputs([moveInput("player-1", "N")]) }, () => replay("--world", "quay", "--json"));
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out);
    expect(report).toMatchObject({ worldId: "quay", baseTick: 0, to: 6, verified: 3, rebasedAt: [] });
    expect(report.divergence).toEqual({
      tick: 4,
      problems: [expect.stringMatching(new RegExp(`^tick 4: hash [0-9a-f]{16}, journal says ${recordedHash("quay", 4)}$`))],
      touched: ["player-1"],
      comparedWith: 6,
      diff: {
        world: [],
        actors: [
          {
            actorId: "player-1",
            fields: [
              { field: "x", replayed: 1, recorded: 2 },
              { field: "y", replayed: 1, recorded: 2 },
              // The replayed player took no damage: no runtime health (absent in JSON).
              { field: "stats.runtime.attributes.health", replayed: undefined, recorded: 94 },
            ],
          },
        ],
      },
    });
  });
});

describe("npm run replay: bad arguments (exit 2, naming the flag)", () => {
  it.each([
    [["--world", "nowhere"], 'replay: --world: no world "nowhere" (have: long, pier, quay)\n'],
    [["--world", "quay", "--from", "abc"], "replay: --from: must be a tick number (a whole number ≥ 1)\n"],
    [["--world", "quay", "--to", "99"], "replay: --to: tick 99 is after the last recorded tick of world quay (6)\n"],
    [["--world", "quay", "--from", "5", "--to", "3"], "replay: --from: tick 5 is after --to 3\n"],
    [["--world", "quay", "--at", "3"], "replay: --fork: --at and --fork go together: --at <tick> --fork <new-world-id>\n"],
    [["--world", "quay", "--at", "3", "--fork", "long"], 'replay: --fork: world "long" exists already (have: long, pier, quay)\n'],
    [["--world", "quay", "--at", "3", "--fork", "no good"], `replay: --fork: "no good" must be 1–64 letters, digits, '-' or '_', starting with a letter or digit\n`],
  ])("%j", async (argv, message) => {
    const run = await replay(...argv);
    expect(run.code).toBe(2);
    expect(run.out).toBe("");
    expect(run.err.startsWith(message)).toBe(true);
  });

  it("an unknown flag, as a child process: exit 2 and the usage", async () => {
    const run = await replayProcess("--world", "quay", "--fast");
    expect(run.code).toBe(2);
    expect(run.err).toContain("replay: Unknown option '--fast'");
    expect(run.err).toContain("usage: npm run replay -- --world <id>");
  }, 60_000);
});

describe("npm run replay: explain", () => {
  it("tells each of player-1's moves, and for the failed push the chain and the guard", async () => {
    const run = await replay("--world", "quay", "--explain", "player-1", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ worldId: "quay", actorId: "player-1", from: 1, to: 6, baseTick: 0, moves: EXPECTED_MOVES, divergence: null });
  });

  it("as text, within --from and --to", async () => {
    const run = await replay("--world", "quay", "--explain", "player-1", "--from", "2", "--to", "3");
    expect(run).toEqual({
      code: 0,
      err: "",
      out: [
        "player-1 in world quay, ticks 2–3 (replayed from the world file at tick 0): 2 moves, 1 failed",
        "tick 2  E  failed: wall  (input)",
        "    player-1 pushed a E (depth 0)",
        "    a pushed b E (depth 1)",
        "    b failed at depth 2: wall",
        "    a failed at depth 1: wall",
        "    player-1 failed at depth 0: wall",
        `  stopped by b at depth 2: ${GUARDS.wall}`,
        "tick 3  S  moved [1, 1] → [1, 2]  (input)",
        "",
      ].join("\n"),
    });
  });
});

describe("npm run replay: fork", () => {
  it("writes a world whose snapshot is the state at that tick, which the server opens", async () => {
    const run = await replay("--world", "quay", "--at", "4", "--fork", "quay-t4");
    const file = join(dataDir, "worlds", "quay-t4.json");
    expect(run).toEqual({ code: 0, err: "", out: `forked world quay at tick 4 into quay-t4: state hash ${recordedHash("quay", 4)}, world file ${file}; the server opens it after a restart\n` });
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ id: "quay-t4", name: "quay (fork of quay at tick 4)", map: QUAY.map });
    expect(existsSync(join(dataDir, "worlds", ".quay-t4.json.tmp"))).toBe(false);
    await withServices((services) => {
      expect(services.store.snapshotsOf("quay-t4").map((s) => [s.snapshot.tick, s.hash])).toEqual([[4, recordedHash("quay", 4)]]);
      const host = openWorldHost(services.worlds.byId.get("quay-t4")!, services.store, services.persistence, services.logger, {}, services.plugins.rules);
      expect(host.sim.world.tick).toBe(4);
      expect(hashWorld(host.sim.world)).toBe(recordedHash("quay", 4));
      expect(Object.fromEntries(host.sim.world.order.map((a) => [a.id, [a.x, a.y]]))).toEqual({ a: [2, 1], b: [3, 1], "player-1": [2, 2], x: [3, 2] });
    });
    const again = await replay("--world", "quay", "--at", "5", "--fork", "quay-t4");
    expect(again).toMatchObject({ code: 2, err: expect.stringContaining('replay: --fork: world "quay-t4" exists already') });
  });
});

describe("GET /api/admin/worlds/:id/explain", () => {
  let server: TestServer;
  const path = (query: string, world = "quay") => `/api/admin/worlds/${world}/explain?${query}`;
  beforeAll(async () => {
    server = await bootTestServer(dataDir);
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
  });

  it("401 without the admin credentials, whatever the query", async () => {
    for (const query of ["actor=player-1&from=1&to=6", "from=abc"]) {
      const reply = await request(server.port, "GET", path(query));
      expectError(reply, 401, "auth/required");
    }
  });

  it("with them, the same explanation as `npm run replay -- --explain --json`", async () => {
    const reply = await request(server.port, "GET", path("actor=player-1&from=1&to=6"), { headers: { authorization: ADMIN_AUTH } });
    expect(reply.status).toBe(200);
    const cli = await replay("--world", "quay", "--explain", "player-1", "--from", "1", "--to", "6", "--json");
    expect(reply.body).toEqual(JSON.parse(cli.out));
    expect(reply.body.moves).toEqual(EXPECTED_MOVES);
    const byDefault = await request(server.port, "GET", path("actor=player-1"), { headers: { authorization: ADMIN_AUTH } });
    expect(byDefault.body).toEqual(reply.body);
  });

  it.each([
    ["from=1&to=6", "actor", "actor: is required: the id of the actor to explain"],
    ["actor=no%20one", "actor", "actor: must be 1–64 letters"],
    ["actor=player-1&from=abc", "from", "from: must be a tick number"],
    ["actor=player-1&from=0", "from", "from: must be a tick number"],
    ["actor=player-1&from=5&to=3", "from", "from: must not be after to"],
    ["actor=player-1&to=7", "to", "to: tick 7 is after the last recorded tick of world quay (6)"],
  ])("400 for %s, naming %s", async (query, _param, fragment) => {
    const reply = await request(server.port, "GET", path(query), { headers: { authorization: ADMIN_AUTH } });
    expectError(reply, 400, "request/invalid", fragment);
  });

  it(`at most ${EXPLAIN_MAX_TICKS} ticks replayed per request: the range (to) or its distance from the nearest kept state (from)`, async () => {
    const tooLong = await request(server.port, "GET", path(`actor=player-1&from=1&to=${LONG_TICKS}`, "long"), { headers: { authorization: ADMIN_AUTH } });
    expectError(tooLong, 400, "request/invalid", `to: ticks 1–${LONG_TICKS} are ${LONG_TICKS} ticks; at most ${EXPLAIN_MAX_TICKS} per request`);
    const farBack = await request(server.port, "GET", path(`actor=player-1&from=${LONG_TICKS}&to=${LONG_TICKS}`, "long"), { headers: { authorization: ADMIN_AUTH } });
    expectError(farBack, 400, "request/invalid", `from: the nearest kept state before tick ${LONG_TICKS} is at tick 0, so ticks 1–${LONG_TICKS} would be replayed (${LONG_TICKS}); at most ${EXPLAIN_MAX_TICKS} per request`);
    const byDefault = await request(server.port, "GET", path("actor=player-1", "long"), { headers: { authorization: ADMIN_AUTH } });
    expectError(byDefault, 400, "request/invalid", `from: the nearest kept state before tick 2 is at tick 0, so ticks 1–${LONG_TICKS} would be replayed`);
    const within = await request(server.port, "GET", path(`actor=player-1&from=2&to=${EXPLAIN_MAX_TICKS}`, "long"), { headers: { authorization: ADMIN_AUTH } });
    expect(within.status).toBe(200);
    expect(within.body).toMatchObject({ worldId: "long", from: 2, to: EXPLAIN_MAX_TICKS, baseTick: 0, moves: [], divergence: null });
  });

  it("404 for a world that is not known", async () => {
    const reply = await request(server.port, "GET", path("actor=player-1", "atlantis"), { headers: { authorization: ADMIN_AUTH } });
    expectError(reply, 404, "world/not-found", 'no world "atlantis"');
  });
});
