// The fuzz world: a small generated map the fuzzer knows cell by cell, so it can check the final
// state (no actor on a wall, no two on one cell, every NPC still there) without trusting the server.
//
// 32×16 cells: a border wall, a row of 14 spawn points along the top (y = 1, every other column
// from x = 2 to 28), pillars every 6 columns on rows 5 and 10, Moveable crates to push, wandering
// Frightened gulls, a Frightened cat and one Aggressive guard in the bottom-right corner.
// `interestRadius: 0` means every client sees every actor (README, "World files").
import { mkdirSync, writeFileSync } from "node:fs";
import { copyShippedContent } from "../content.mjs";
import { join } from "node:path";

export const FUZZ_WORLD_ID = "fuzz";
const WIDTH = 32;
const HEIGHT = 16;

/** True where the generated map has a wall; x = column, y = row (cells). */
function isWallCell(x, y) {
  if (x === 0 || y === 0 || x === WIDTH - 1 || y === HEIGHT - 1) return true;
  return (y === 5 || y === 10) && x % 6 === 3;
}

function isSpawnCell(x, y) {
  return y === 1 && x >= 2 && x <= WIDTH - 3 && x % 2 === 0;
}

/** NPCs on rows 3, 7, 12 and 13, away from the spawn row. */
function planNpcs() {
  const npcs = [];
  for (let i = 0; i < 8; i++) npcs.push({ id: `crate-${i + 1}`, name: "Crate", at: [4 + i * 3, 7], behaviours: ["Moveable"] });
  for (let i = 0; i < 4; i++) npcs.push({ id: `gull-${i + 1}`, name: "Gull", at: [5 + i * 6, 3], behaviours: ["Frightened"], ai: "wander" });
  npcs.push({ id: "cat", name: "Cat", at: [10, 12], behaviours: ["Frightened", "Moveable"] });
  npcs.push({ id: "guard", name: "Guard", at: [WIDTH - 3, HEIGHT - 3], behaviours: ["Aggressive"] });
  return npcs;
}

/**
 * The world file and what the checker needs: { file, isWall(x, y) → boolean, npcIds: string[],
 * spawns: number, width, height } (cells). Deterministic: no seed of its own.
 */
export function buildFuzzWorld() {
  const map = [];
  let spawns = 0;
  for (let y = 0; y < HEIGHT; y++) {
    let row = "";
    for (let x = 0; x < WIDTH; x++) {
      if (isWallCell(x, y)) row += "#";
      else if (isSpawnCell(x, y)) (row += "S"), spawns++;
      else row += ".";
    }
    map.push(row);
  }
  const npcs = planNpcs();
  const file = { id: FUZZ_WORLD_ID, name: "Fuzz target", tickRate: 20, seed: 8, interestRadius: 0, map, npcs };
  const isWall = (x, y) => x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT || map[y][x] === "#";
  return { file, isWall, npcIds: npcs.map((n) => n.id), spawns, width: WIDTH, height: HEIGHT };
}

/** Writes `<dataDir>/worlds/fuzz.json` and copies the shipped content (templates, items, narrative). */
export function writeFuzzWorld({ dataDir, repoRoot, world }) {
  mkdirSync(join(dataDir, "worlds"), { recursive: true });
  copyShippedContent(repoRoot, dataDir);
  writeFileSync(join(dataDir, "worlds", `${FUZZ_WORLD_ID}.json`), JSON.stringify(world.file, null, 1));
}
