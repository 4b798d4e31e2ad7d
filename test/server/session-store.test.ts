import { readFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { createMigrator } from "../../src/server/migrate.ts";
import { MIGRATIONS } from "../../src/server/migrations/index.ts";
import { createSessionStore, type SessionStore } from "../../src/server/session-store.ts";
import { openStore, type Store } from "../../src/server/store.ts";
import type { Character } from "../../src/sessions/types.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "legacy-sessions.sql");

const opened: Store[] = [];

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  removeTempDirs();
});

async function open(path = join(makeTempDir(), "arbiter.sqlite")): Promise<Store> {
  const store = await openStore(path);
  opened.push(store);
  return store;
}

/** A database file built by `test/fixtures/legacy-sessions.sql`, as an older deployment left it. */
function legacyDatabase(): string {
  const path = join(makeTempDir(), "legacy.sqlite");
  const db = new BetterSqlite3(path);
  db.exec(readFileSync(FIXTURE, "utf8"));
  db.close();
  return path;
}

/** A session store with a fake clock (one second per call) and sequential ids; only `docks` is loaded. */
function sessionsOver(db: Database): SessionStore {
  let clock = Date.UTC(2026, 0, 1);
  let ids = 0;
  return createSessionStore(db, {
    now: () => new Date((clock += 1000)).toISOString(),
    newId: () => `session-${++ids}`,
    statsConfigFor: (worldId) => (worldId === "docks" ? DEFAULT_STATS_CONFIG : undefined),
  });
}

const schemaOf = (db: Database): unknown[] => db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
const appliedMigrations = (db: Database): string[] => db.prepare("SELECT name FROM schema_migrations ORDER BY name").pluck().all() as string[];
const rowOf = (db: Database, id: string) => db.prepare("SELECT * FROM sessions WHERE id = ?").get(id) as Record<string, unknown> | undefined;

const ANN: Character = {
  template: "dock-hand",
  name: "Ann",
  traits: ["hard-working"],
  stats: { combat_skills: { strength: 60, agility: 45, defense: 40 } },
  customizations: { combat_skills: { strength: 5 } },
};

describe("sessions on a fresh database", () => {
  it("create gives a new session, and get returns it unchanged", async () => {
    const sessions = sessionsOver((await open()).db);
    const created = sessions.create({ playerName: "Ann", worldId: "docks", character: ANN });
    expect(created).toEqual({
      id: "session-1",
      playerName: "Ann",
      worldId: "docks",
      character: ANN,
      stats: { runtime: {}, relationships: {} },
      flags: {},
      pluginState: {},
      position: null,
      userId: null,
      createdAt: "2026-01-01T00:00:01.000Z",
      updatedAt: "2026-01-01T00:00:01.000Z",
    });
    expect(sessions.get("session-1")).toEqual(created);
    expect(sessions.create({ playerName: "Bo", worldId: "docks", character: ANN }).id).toBe("session-2");
  });

  it("a session belongs to the user it was created for; one from before accounts is claimed once", async () => {
    const sessions = sessionsOver((await open()).db);
    expect(sessions.create({ playerName: "Ann", worldId: "docks", character: ANN, userId: "user-a" }).userId).toBe("user-a");
    const legacy = sessions.create({ playerName: "Bo", worldId: "docks", character: ANN });
    expect(sessions.claim(legacy.id, "user-b")).toBe(true);
    expect(sessions.claim(legacy.id, "user-c")).toBe(false);
    expect(sessions.claim("session-1", "user-c")).toBe(false);
    expect(sessions.claim("no-such-session", "user-c")).toBe(false);
    expect([sessions.get("session-1")!.userId, sessions.get(legacy.id)!.userId]).toEqual(["user-a", "user-b"]);
  });

  it("update changes the name and replaces the flags, and never touches stats", async () => {
    const store = await open();
    const sessions = sessionsOver(store.db);
    const { id } = sessions.create({ playerName: "Ann", worldId: "docks", character: ANN });
    sessions.saveProgress(id, { worldId: "docks", position: [3, 1], runtime: { attributes: { health: 65 } } });
    const statsBefore = rowOf(store.db, id)!.stats;
    expect(sessions.update(id, { flags: { tutorialDone: true, gold: 3 } })).toMatchObject({ playerName: "Ann", flags: { tutorialDone: true, gold: 3 } });
    const updated = sessions.update(id, { playerName: "Annie", flags: { chapter: "two" } })!;
    expect(updated).toMatchObject({ playerName: "Annie", flags: { chapter: "two" }, stats: { runtime: { attributes: { health: 65 } }, relationships: {} }, position: [3, 1] });
    expect(updated.updatedAt > updated.createdAt).toBe(true);
    expect(rowOf(store.db, id)!.stats).toBe(statsBefore);
    expect(sessions.get(id)).toEqual(updated);
  });

  it("saveProgress records the world, position and runtime stats, keeping relationships", async () => {
    const store = await open();
    const sessions = sessionsOver(store.db);
    const { id } = sessions.create({ playerName: "Ann", worldId: "docks", character: ANN });
    store.db.prepare("UPDATE sessions SET stats = ? WHERE id = ?").run(JSON.stringify({ runtime: {}, relationships: { "npc:orc": { affinity: 70 } } }), id);
    const saved = sessions.saveProgress(id, { worldId: "quay", position: [5, 2], runtime: { attributes: { stamina: 20 } } });
    expect(saved).toMatchObject({ worldId: "quay", position: [5, 2], stats: { runtime: { attributes: { stamina: 20 } }, relationships: { "npc:orc": { affinity: 70 } } } });
    expect(sessions.get(id)).toEqual(saved);
    expect(sessions.saveProgress(id, { worldId: "quay", position: null, runtime: {} })?.position).toBeNull();
  });

  it("saveProgress replaces the plugin state when given and keeps it when not", async () => {
    const store = await open();
    const sessions = sessionsOver(store.db);
    const { id } = sessions.create({ playerName: "Ann", worldId: "docks", character: ANN });
    const inventory = { items: { gold: 12, apple: 2 }, equipped: { hand: "knife" } };
    sessions.saveProgress(id, { worldId: "docks", position: [1, 1], runtime: {}, pluginState: { items: inventory } });
    expect(sessions.get(id)!.pluginState).toEqual({ items: inventory });
    sessions.saveProgress(id, { worldId: "docks", position: [2, 1], runtime: {} });
    expect(sessions.get(id)).toMatchObject({ position: [2, 1], pluginState: { items: inventory } });
    sessions.saveProgress(id, { worldId: "docks", position: [2, 1], runtime: {}, pluginState: {} });
    expect(sessions.get(id)!.pluginState).toEqual({});
  });

  it("delete removes a session; unknown ids give undefined or false and change nothing", async () => {
    const store = await open();
    const sessions = sessionsOver(store.db);
    const { id } = sessions.create({ playerName: "Ann", worldId: "docks", character: ANN });
    const other = sessions.create({ playerName: "Bo", worldId: "docks", character: ANN });
    expect(sessions.delete(id)).toBe(true);
    expect(sessions.get(id)).toBeUndefined();
    expect(sessions.delete(id)).toBe(false);
    expect(sessions.update(id, { playerName: "Ghost" })).toBeUndefined();
    expect(sessions.update(id, {})).toBeUndefined();
    expect(sessions.saveProgress(id, { worldId: "docks", position: [1, 1], runtime: {} })).toBeUndefined();
    expect(store.db.prepare("SELECT id FROM sessions").pluck().all()).toEqual([other.id]);
    expect(sessions.get(other.id)).toEqual(other);
  });
});

describe("legacy sessions (fixture database of an older deployment)", () => {
  it("opens with its migrations up to date", async () => {
    const store = await open(legacyDatabase());
    expect(appliedMigrations(store.db)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it("migrates legacy relationships into stats on first access and clears the legacy column", async () => {
    const store = await open(legacyDatabase());
    const sessions = sessionsOver(store.db);
    const migrated = sessions.get("legacy-1")!;
    expect(migrated.stats).toEqual({
      runtime: { attributes: { health: 65 } },
      relationships: { "npc:harbour-master": { affinity: 75, trust: 61 }, "npc:orc": { affinity: 100, trust: 0 } },
    });
    expect(migrated).toMatchObject({ playerName: "Ann", flags: { tutorialDone: true }, position: [3, 1], updatedAt: "2025-11-22T18:30:00.000Z" });
    expect(rowOf(store.db, "legacy-1")!.relationships).toBeNull();
    expect(JSON.parse(rowOf(store.db, "legacy-1")!.stats as string)).toEqual(migrated.stats);
    expect(sessions.get("legacy-1")).toEqual(migrated);
  });

  it("migrates a legacy column that is not JSON to no relationships", async () => {
    const store = await open(legacyDatabase());
    expect(sessionsOver(store.db).get("legacy-3")!.stats).toEqual({ runtime: {}, relationships: {} });
    expect(rowOf(store.db, "legacy-3")!.relationships).toBeNull();
  });

  it("leaves the legacy column when stats already hold relationships, or the world is not loaded", async () => {
    const store = await open(legacyDatabase());
    const sessions = sessionsOver(store.db);
    expect(sessions.get("legacy-2")!.stats.relationships).toEqual({ "npc:orc": { affinity: 30 } });
    expect(rowOf(store.db, "legacy-2")!.relationships).toBe('{"orc":{"affinity":99}}');
    expect(sessions.get("legacy-4")!.stats).toEqual({ runtime: {}, relationships: {} });
    expect(rowOf(store.db, "legacy-4")!.relationships).toBe('{"orc":{"affinity":50}}');
  });

  it("migrates before saving progress, so the legacy relationships are not lost", async () => {
    const store = await open(legacyDatabase());
    const saved = sessionsOver(store.db).saveProgress("legacy-1", { worldId: "docks", position: [4, 1], runtime: {} })!;
    expect(saved.stats).toEqual({ runtime: {}, relationships: { "npc:harbour-master": { affinity: 75, trust: 61 }, "npc:orc": { affinity: 100, trust: 0 } } });
    expect(rowOf(store.db, "legacy-1")!.relationships).toBeNull();
  });

  it("ends with the schema of a fresh database, also after migrating down to 0 and up again", async () => {
    const fresh = await open();
    const upgraded = await open(legacyDatabase());
    expect(schemaOf(upgraded.db)).toEqual(schemaOf(fresh.db));
    const migrator = createMigrator(upgraded.db);
    await migrator.down({ to: 0 });
    expect(appliedMigrations(upgraded.db)).toEqual([]);
    expect(schemaOf(upgraded.db).map((row) => (row as { name: string }).name)).not.toContain("sessions");
    await migrator.up();
    expect(appliedMigrations(upgraded.db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(schemaOf(upgraded.db)).toEqual(schemaOf(fresh.db));
  });
});
