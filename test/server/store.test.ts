import { copyFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Database } from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { SNAPSHOT_VERSION, type JournalEntry, type WorldSnapshot } from "../../src/core/index.ts";
import { createMigrator } from "../../src/server/migrate.ts";
import { MIGRATIONS } from "../../src/server/migrations/index.ts";
import { encodeInputs, openStore, SNAPSHOTS_KEPT, type Store } from "../../src/server/store.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";

const opened: Store[] = [];

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  removeTempDirs();
});

/** Opens a store on `path` (default: a new temp file, in a directory not yet created). */
async function open(path = join(makeTempDir(), "db", "arbiter.sqlite")): Promise<Store> {
  const store = await openStore(path);
  opened.push(store);
  return store;
}

function snapshotAt(tick: number, worldId = "docks"): WorldSnapshot {
  return {
    version: SNAPSHOT_VERSION,
    worldId,
    tick,
    rng: tick * 7,
    nextPlayerNo: 2,
    actors: [{ id: "crate", kind: "npc", name: "Crate", x: 3, y: 1, behaviours: ["Moveable"], ai: null, initiative: 0, stats: { base: {}, runtime: {}, modifiers: [] }, home: [3, 1], respawnAt: -1 }],
  };
}

const hashOf = (tick: number): string => tick.toString(16).padStart(16, "0");

function entry(tick: number): JournalEntry {
  return { tick, inputs: [{ type: "act", actorId: "p1", kind: "move", payload: { dir: "E" } }], hash: hashOf(tick) };
}

const appliedMigrations = (db: Database): string[] => db.prepare("SELECT name FROM schema_migrations ORDER BY name").pluck().all() as string[];

const schemaOf = (db: Database): unknown[] => db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();

const ticksIn = (store: Store, worldId: string): number[] => store.journalAfter(worldId, -1).map((e) => e.tick);

describe("openStore", () => {
  it("creates the database in WAL mode", async () => {
    const store = await open();
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
  });

  it("lists the applied migrations in schema_migrations", async () => {
    const store = await open();
    expect(appliedMigrations(store.db)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it("is idempotent: opening an existing database again applies nothing and keeps its data", async () => {
    const path = join(makeTempDir(), "arbiter.sqlite");
    const first = await open(path);
    first.appendJournal("docks", [entry(1)]);
    const schema = schemaOf(first.db);
    first.close();
    const second = await open(path);
    expect(appliedMigrations(second.db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(schemaOf(second.db)).toEqual(schema);
    expect(second.journalAfter("docks", 0)).toEqual([entry(1)]);
  });
});

describe("the journal", () => {
  it("round-trips entries in tick order, inputs preserved", async () => {
    const store = await open();
    const inputs: JournalEntry["inputs"] = [
      { type: "join", actorId: "p1", name: "Ann \"the pusher\" Ö" },
      { type: "act", actorId: "p1", kind: "move", payload: { dir: "N" } },
      { type: "leave", actorId: "p2" },
    ];
    store.appendJournal("docks", [entry(3), { tick: 1, inputs, hash: hashOf(1) }]);
    store.appendJournal("docks", [entry(2)]);
    expect(store.journalAfter("docks", 0)).toEqual([{ tick: 1, inputs, hash: hashOf(1) }, entry(2), entry(3)]);
  });

  it("stores inputs as MessagePack blobs, numbers bit for bit (migration 0003)", async () => {
    const store = await open();
    const inputs: JournalEntry["inputs"] = [
      { type: "modify", actorId: "p1", modifier: { stat: "attributes.health", op: "multiply", value: 0.1 + 0.2, duration: { ticks: 3 }, stacking: "refresh", source: "potion" } },
      { type: "set-stats", actorId: "crate", values: { attributes: { health: 12 } } },
    ];
    store.appendJournal("docks", [{ tick: 1, inputs, hash: hashOf(1) }]);
    const stored = store.db.prepare("SELECT typeof(inputs) FROM journal WHERE tick = 1").pluck().get();
    expect(stored).toBe("blob");
    expect(store.journalAfter("docks", 0)).toEqual([{ tick: 1, inputs, hash: hashOf(1) }]);
  });

  it("reads JSON rows written before migration 0003 after upgrading", async () => {
    const store = await open();
    const migrator = createMigrator(store.db);
    await migrator.down({ to: "0002-sessions" });
    store.db.prepare("INSERT INTO journal (world_id, tick, inputs, hash) VALUES (?, ?, ?, ?)").run("docks", 7, JSON.stringify(entry(7).inputs), hashOf(7));
    await migrator.up();
    store.appendJournal("docks", [entry(8)]);
    expect(store.journalAfter("docks", 0)).toEqual([entry(7), entry(8)]);
  });

  it("reads moves journaled before action kinds as act inputs of kind move, JSON and MessagePack rows alike", async () => {
    const store = await open();
    const legacy = [{ type: "move", actorId: "p1", dir: "E" }];
    const insert = store.db.prepare("INSERT INTO journal (world_id, tick, inputs, hash) VALUES (?, ?, ?, ?)");
    insert.run("docks", 1, JSON.stringify(legacy), hashOf(1));
    insert.run("docks", 2, encodeInputs(legacy as unknown as JournalEntry["inputs"]), hashOf(2));
    expect(store.journalAfter("docks", 0)).toEqual([entry(1), entry(2)]);
  });

  it("returns only entries after the given tick, of the given world", async () => {
    const store = await open();
    store.appendJournal("docks", [entry(1), entry(2), entry(3)]);
    store.appendJournal("quay", [entry(2)]);
    expect(store.journalAfter("docks", 1).map((e) => e.tick)).toEqual([2, 3]);
    expect(store.journalAfter("quay", 0)).toEqual([entry(2)]);
    expect(store.journalAfter("alley", 0)).toEqual([]);
  });

  it("pruneJournal deletes only the world's entries older than the given tick", async () => {
    const store = await open();
    store.appendJournal("docks", [1, 2, 3, 4, 5].map(entry));
    store.appendJournal("quay", [1, 2].map(entry));
    store.pruneJournal("docks", 3);
    expect(ticksIn(store, "docks")).toEqual([3, 4, 5]);
    expect(ticksIn(store, "quay")).toEqual([1, 2]);
  });
});

describe("snapshots", () => {
  it(`keeps only the newest ${SNAPSHOTS_KEPT} of a world, and latestSnapshot returns the newest`, async () => {
    const store = await open();
    for (const tick of [600, 1800, 1200, 3000, 2400]) store.saveSnapshot("docks", snapshotAt(tick), hashOf(tick));
    store.saveSnapshot("quay", snapshotAt(5, "quay"), hashOf(5));
    const ticks = store.db.prepare("SELECT tick FROM world_snapshots WHERE world_id = ? ORDER BY tick").pluck().all("docks");
    expect(ticks).toEqual([1800, 2400, 3000]);
    expect(store.latestSnapshot("docks")).toEqual({ snapshot: snapshotAt(3000), hash: hashOf(3000) });
    expect(store.latestSnapshot("quay")).toEqual({ snapshot: snapshotAt(5, "quay"), hash: hashOf(5) });
  });

  it("latestSnapshot of a world never snapshotted is undefined", async () => {
    const store = await open();
    expect(store.latestSnapshot("docks")).toBeUndefined();
  });
});

describe("migrations", () => {
  it("a fresh database and an upgraded one end identical (down to 0, then up)", async () => {
    const fresh = await open();
    const upgraded = await open();
    const migrator = createMigrator(upgraded.db);
    await migrator.down({ to: 0 });
    expect(appliedMigrations(upgraded.db)).toEqual([]);
    expect(schemaOf(upgraded.db).map((row) => (row as { name: string }).name)).not.toContain("journal");
    await migrator.up();
    expect(appliedMigrations(upgraded.db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(schemaOf(upgraded.db)).toEqual(schemaOf(fresh.db));
  });
});

describe("player bindings (crash recovery of sessions' progress)", () => {
  const insertSession = (db: Database, id: string): void => {
    db.prepare("INSERT INTO sessions (id, player_name, world_id, character, stats, flags, created_at, updated_at) VALUES (?, 'Ada', 'docks', '{}', '{}', '{}', 't', 't')").run(id);
  };

  it("binds player actors to sessions per world, and unbinds one, a world, or a deleted session's", async () => {
    const store = await open();
    for (const id of ["s1", "s2", "s3"]) insertSession(store.db, id);
    store.bindPlayer("docks", "p1", "s1");
    store.bindPlayer("docks", "p2", "s2");
    store.bindPlayer("yard", "p1", "s3");
    expect(store.boundPlayers("docks")).toEqual(new Map([["p1", "s1"], ["p2", "s2"]]));
    store.unbindPlayer("docks", "p1");
    expect(store.boundPlayers("docks")).toEqual(new Map([["p2", "s2"]]));
    store.db.prepare("DELETE FROM sessions WHERE id = 's3'").run();
    expect(store.boundPlayers("yard")).toEqual(new Map());
    store.unbindWorld("docks");
    expect(store.boundPlayers("docks")).toEqual(new Map());
  });
});

describe("WAL checkpoints off the event loop", () => {
  it("after a snapshot the checkpointer thread copies the WAL into the database file", async () => {
    const path = join(makeTempDir(), "db", "arbiter.sqlite");
    const store = await open(path);
    store.appendJournal("docks", [{ tick: 1, inputs: [], hash: "h1" }]);
    store.saveSnapshot("docks", snapshotAt(1), "hash-1");
    await store.checkpointed();
    // The database file alone, without its WAL, holds the snapshot: the checkpoint copied it there.
    const copy = join(makeTempDir(), "copy.sqlite");
    copyFileSync(path, copy);
    const alone = new BetterSqlite3(copy, { readonly: true });
    try {
      expect(alone.prepare("SELECT hash FROM world_snapshots WHERE world_id = 'docks'").pluck().all()).toEqual(["hash-1"]);
    } finally {
      alone.close();
    }
  });
});
