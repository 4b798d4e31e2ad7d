/**
 * Narrative files of the dialogue plugin (plugins/dialogue/narrative.ts; issue 10 "dialogue: talk",
 * seed 003 §1.3): the fallback chain, step by step; validation naming the file and each field path;
 * the shipped `data/narrative/` files; placeholders.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { findLines, loadNarrative, renderLine, type Narrative, type NarrativeFile } from "../../plugins/dialogue/narrative.ts";
import { makeTempDir, removeTempDirs } from "../support/temp-data.ts";

const REPO_DATA_DIR = fileURLToPath(new URL("../../data", import.meta.url));

afterAll(removeTempDirs);

/** A data dir whose `narrative/` holds `files` (`{ "noir.json": content }`): strings as is, the rest as JSON. */
function narrativeDir(files: Record<string, unknown>): string {
  const dataDir = makeTempDir();
  mkdirSync(join(dataDir, "narrative"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dataDir, "narrative", name), typeof content === "string" ? content : JSON.stringify(content));
  return dataDir;
}

const NARRATIVE: Narrative = new Map<string, NarrativeFile>([
  ["default", { talk: { lines: ["default line"], tiers: { friend: ["default friend line"] } } }],
  ["noir", { talk: { lines: ["noir line"], tiers: { stranger: ["noir stranger line"] } } }],
  ["western", { talk: { tiers: { stranger: ["western stranger line"] } } }],
]);

describe("the fallback chain (seed 003 §1.3)", () => {
  it("1. the genre's lines for the tier", () => {
    expect(findLines(NARRATIVE, { action: "talk", genre: "noir", tier: "stranger" })).toEqual({ genre: "noir", tier: "stranger", lines: ["noir stranger line"] });
  });

  it("2. the genre's untiered lines when it has none for the tier", () => {
    expect(findLines(NARRATIVE, { action: "talk", genre: "noir", tier: "friend" })).toEqual({ genre: "noir", tier: null, lines: ["noir line"] });
    expect(findLines(NARRATIVE, { action: "talk", genre: "noir", tier: undefined })).toEqual({ genre: "noir", tier: null, lines: ["noir line"] });
  });

  it("3. default's lines for the tier when the genre has no lines for it and no untiered ones", () => {
    expect(findLines(NARRATIVE, { action: "talk", genre: "western", tier: "friend" })).toEqual({ genre: "default", tier: "friend", lines: ["default friend line"] });
    expect(findLines(NARRATIVE, { action: "talk", genre: "space-opera", tier: "friend" })).toEqual({ genre: "default", tier: "friend", lines: ["default friend line"] });
  });

  it("4. default's untiered lines last", () => {
    expect(findLines(NARRATIVE, { action: "talk", genre: "western", tier: "acquaintance" })).toEqual({ genre: "default", tier: null, lines: ["default line"] });
    expect(findLines(NARRATIVE, { action: "talk", genre: "default", tier: "close_friend" })).toEqual({ genre: "default", tier: null, lines: ["default line"] });
  });

  it("nothing for an action no file has; a tier id is never read off the object's prototype", () => {
    expect(findLines(NARRATIVE, { action: "trade", genre: "noir", tier: "friend" })).toBeUndefined();
    expect(findLines(NARRATIVE, { action: "talk", genre: "western", tier: "constructor" })).toEqual({ genre: "default", tier: null, lines: ["default line"] });
  });
});

describe("narrative files", () => {
  it("a bad file stops loading with one message naming the file and every field path", () => {
    const dataDir = narrativeDir({
      "default.json": { talk: { lines: ["fine"] } },
      "noir.json": { talk: { lines: ["Hello {name}"], tiers: { friend: [] }, mood: "grim" } },
    });
    expect(() => loadNarrative(dataDir)).toThrow(
      new Error(
        [
          `${relative(process.cwd(), join(dataDir, "narrative", "noir.json"))}: invalid narrative file`,
          "  - talk.lines[0]: unknown placeholder {name} (have: {npc}, {player})",
          "  - talk.tiers.friend: Too small: expected array to have >=1 items",
          '  - talk: Unrecognized key: "mood"',
        ].join("\n"),
      ),
    );
  });

  it("a file that is not JSON, or whose name is not a genre id, is named too", () => {
    const dataDir = narrativeDir({ "default.json": "{ talk", "film noir.json": {} });
    expect(() => loadNarrative(dataDir)).toThrow(/default\.json: not valid JSON: /);
    expect(() => loadNarrative(dataDir)).toThrow('film noir.json: invalid narrative file\n  - (file name): "film noir" is not a genre id');
  });

  it("no narrative directory is no content", () => {
    expect(loadNarrative(makeTempDir()).size).toBe(0);
  });

  it("the shipped files load: default has talk lines for every affinity tier, noir falls back for some", () => {
    const shipped = loadNarrative(REPO_DATA_DIR);
    expect([...shipped.keys()]).toEqual(["default", "noir"]);
    const tiers = DEFAULT_STATS_CONFIG.definitions["relationships"]!.axes["affinity"]!.tiers!.map((t) => t.id);
    expect(tiers).toEqual(["stranger", "acquaintance", "friend", "close_friend"]);
    for (const tier of tiers) expect(findLines(shipped, { action: "talk", genre: "default", tier })?.tier).toBe(tier);
    expect(findLines(shipped, { action: "talk", genre: "noir", tier: "acquaintance" })?.genre).toBe("noir");
    expect(findLines(shipped, { action: "talk", genre: "noir", tier: "acquaintance" })?.tier).toBeNull();
  });
});

describe("renderLine", () => {
  it("replaces {npc} and {player}, every time, and leaves replacement patterns in names alone", () => {
    expect(renderLine("{npc} greets {player}. {player}!", { npc: "Old Tom", player: "Sam" })).toBe("Old Tom greets Sam. Sam!");
    expect(renderLine("Hi {player}", { npc: "x", player: "$& $1" })).toBe("Hi $& $1");
  });
});
