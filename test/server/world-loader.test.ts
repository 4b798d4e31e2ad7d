import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadWorlds } from "../../src/server/world-loader.ts";
import { expectArbiterError } from "../support/errors.ts";
import { makeDataDir, makeTempDir, removeTempDirs, worldJson } from "../support/temp-data.ts";

const REPO_DATA_DIR = fileURLToPath(new URL("../../data", import.meta.url));

const onWall = { id: "crate", name: "Crate", at: [0, 0], behaviours: ["Moveable"] };

afterEach(removeTempDirs);

/** A data dir with one valid world file per id. */
const validWorlds = (...ids: string[]) => makeDataDir(Object.fromEntries(ids.map((id) => [`${id}.json`, worldJson(id)])));

describe("loadWorlds: valid files", () => {
  it("loads every world file by id", () => {
    const worlds = loadWorlds(validWorlds("quay", "alley"));
    expect([...worlds.byId.keys()].sort()).toEqual(["alley", "quay"]);
    expect(worlds.byId.get("quay")).toMatchObject({ id: "quay", tickRate: 20, npcs: [] });
  });

  it("picks docks as the default world when there is one", () => {
    expect(loadWorlds(validWorlds("alley", "docks", "zoo")).defaultId).toBe("docks");
  });

  it("without docks, picks the first world by id", () => {
    expect(loadWorlds(validWorlds("zoo", "quay", "alley")).defaultId).toBe("alley");
  });

  it("honours DEFAULT_WORLD", () => {
    expect(loadWorlds(validWorlds("alley", "docks", "zoo"), "zoo").defaultId).toBe("zoo");
  });

  it("rejects an unknown DEFAULT_WORLD with world/not-found", () => {
    const error = expectArbiterError(() => loadWorlds(validWorlds("alley", "docks"), "atlantis"), "world/not-found");
    expect(error.message).toContain("DEFAULT_WORLD");
    expect(error.message).toContain("atlantis");
  });

  it("ignores files that are not *.json", () => {
    const dataDir = validWorlds("docks");
    writeFileSync(join(dataDir, "worlds", "notes.txt"), "not a world");
    expect([...loadWorlds(dataDir).byId.keys()]).toEqual(["docks"]);
  });
});

describe("loadWorlds: bad files stop loading with world/bad-file", () => {
  it("names the file of invalid JSON", () => {
    const error = expectArbiterError(() => loadWorlds(makeDataDir({ "docks.json": "{ \"id\": \"docks\", " })), "world/bad-file");
    expect(error.message).toContain(join("worlds", "docks.json"));
    expect(error.message).toContain("not valid JSON");
  });

  it("names the file and the id field when the id differs from the file name", () => {
    const error = expectArbiterError(() => loadWorlds(makeDataDir({ "docks.json": worldJson("harbour") })), "world/bad-file");
    expect(error.message).toContain(join("worlds", "docks.json"));
    expect(error.message).toMatch(/id: "harbour" must match the file name "docks"/);
  });

  it("names the file, the field path and the problem of an invalid world", () => {
    const error = expectArbiterError(() => loadWorlds(makeDataDir({ "docks.json": worldJson("docks", { npcs: [onWall] }) })), "world/bad-file");
    expect(error.message).toContain(join("worlds", "docks.json"));
    expect(error.message).toContain("npcs[0].at: [0, 0] is a wall");
  });

  it("reports the problems of two bad files together", () => {
    const dataDir = makeDataDir({
      "alley.json": worldJson("alley", { tickRate: 0 }),
      "docks.json": worldJson("docks", { npcs: [onWall] }),
      "quay.json": worldJson("quay"),
    });
    const error = expectArbiterError(() => loadWorlds(dataDir), "world/bad-file");
    expect(error.message).toContain(join("worlds", "alley.json"));
    expect(error.message).toContain("tickRate: ");
    expect(error.message).toContain(join("worlds", "docks.json"));
    expect(error.message).toContain("npcs[0].at: [0, 0] is a wall");
    expect(error.message).not.toContain("quay.json");
  });

  it("rejects a worlds directory without world files", () => {
    const error = expectArbiterError(() => loadWorlds(makeDataDir({})), "world/bad-file");
    expect(error.message).toContain("no world files");
  });

  it("rejects a data dir without a worlds directory", () => {
    const dataDir = makeTempDir();
    mkdirSync(join(dataDir, "elsewhere"));
    const error = expectArbiterError(() => loadWorlds(dataDir), "world/bad-file");
    expect(error.message).toContain(join(dataDir, "worlds"));
  });
});

describe("the shipped worlds (data/worlds)", () => {
  it("all load, and docks is the default", () => {
    const worlds = loadWorlds(REPO_DATA_DIR);
    const files = readdirSync(join(REPO_DATA_DIR, "worlds")).filter((f) => f.endsWith(".json"));
    expect(worlds.byId.size).toBe(files.length);
    expect(worlds.defaultId).toBe("docks");
  });

  it("docks is at least 40×25 cells with a dozen NPCs, all three behaviours and some wanderers", () => {
    const docks = loadWorlds(REPO_DATA_DIR).byId.get("docks")!;
    expect(docks.map[0]!.length).toBeGreaterThanOrEqual(40);
    expect(docks.map.length).toBeGreaterThanOrEqual(25);
    expect(docks.npcs.length).toBeGreaterThanOrEqual(12);
    expect(new Set(docks.npcs.flatMap((n) => n.behaviours))).toEqual(new Set(["Moveable", "Frightened", "Aggressive"]));
    expect(docks.npcs.filter((n) => n.ai === "wander").length).toBeGreaterThan(0);
  });
});
