// Worlds for a load test. One room runs per world, so `--rooms N` needs N worlds: the runner writes
// them into a temporary DATA_DIR for the server it starts.
//
// - By default each world is generated: an open map sized for its share of clients (about 14 cells
//   per client, at least 48×48; 1000 clients → 120×120), spawn rows on every fourth row (one spawn
//   on every other column, so there are always more spawn points than clients), single-cell pillars
//   to push against, Moveable crates (one per 10 clients) and wandering Frightened gulls (one per
//   50). No Aggressive NPC: their retaliation would down bots, and a downed bot's move is an error.
// - With `--world ID`, the shipped `data/worlds/ID.json` is copied, as is, or N times with ids
//   ID-1..ID-N. The docks world has 77 spawn points, so it holds at most 77 clients per room.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { copyShippedContent } from "../content.mjs";
import { join } from "node:path";

const CELLS_PER_CLIENT = 14;
const MIN_SIDE = 48;

/** World ids the clients join, client i going to ids[i % ids.length]; undefined = the default world. */
export function planWorldIds({ rooms, world, endpoint }) {
  if (rooms === 1 && world !== undefined) return [world];
  if (rooms === 1 && endpoint !== undefined) return [undefined];
  const prefix = world ?? "lt";
  return Array.from({ length: rooms }, (_, i) => `${prefix}-${i + 1}`);
}

/**
 * Writes `<dataDir>/worlds/*.json` (and the shipped content: templates, items, narrative) for the given ids.
 * Returns { ids, side, spawns } where side is the generated map's side in cells (0 for copies).
 */
export function writeWorlds({ dataDir, ids, clients, world, repoRoot }) {
  mkdirSync(join(dataDir, "worlds"), { recursive: true });
  copyShippedContent(repoRoot, dataDir);
  if (world !== undefined) return copyShippedWorld({ dataDir, ids, world, repoRoot });
  const perRoom = Math.ceil(clients / ids.length);
  let generated;
  ids.forEach((id, i) => {
    generated = generateWorld({ id, clients: perRoom, seed: 1000 + i });
    writeFileSync(join(dataDir, "worlds", `${id}.json`), JSON.stringify(generated.file));
  });
  return { ids, side: generated.side, spawns: generated.spawns };
}

function copyShippedWorld({ dataDir, ids, world, repoRoot }) {
  const source = join(repoRoot, "data", "worlds", `${world}.json`);
  if (!existsSync(source)) throw new Error(`--world: no shipped world ${source}`);
  const file = JSON.parse(readFileSync(source, "utf8"));
  for (const id of ids) writeFileSync(join(dataDir, "worlds", `${id}.json`), JSON.stringify({ ...file, id }));
  const spawns = file.map.join("").split("S").length - 1;
  return { ids, side: 0, spawns };
}

/** Side of the square generated map for this many clients in one room. */
export function sideFor(clients) {
  const side = Math.max(MIN_SIDE, Math.ceil(Math.sqrt(clients * CELLS_PER_CLIENT)));
  return side + (side % 2);
}

/** True for the cells that are spawn points on a generated map (shared with the bare server). */
export function isSpawnCell(x, y, side) {
  return y % 4 === 2 && x % 2 === 1 && x < side - 1 && y < side - 1;
}

/** A generated world file: { file, side, spawns }. Deterministic for the same arguments. */
export function generateWorld({ id, clients, seed }) {
  const side = sideFor(clients);
  const isWall = (x, y) => x === 0 || y === 0 || x === side - 1 || y === side - 1 || (x % 12 === 6 && y % 12 === 0);
  const map = [];
  let spawns = 0;
  for (let y = 0; y < side; y++) {
    let row = "";
    for (let x = 0; x < side; x++) {
      if (isWall(x, y)) row += "#";
      else if (isSpawnCell(x, y, side)) (row += "S"), spawns++;
      else row += ".";
    }
    map.push(row);
  }
  const npcs = placeNpcs({ side, isWall, crates: Math.max(5, Math.round(clients / 10)), gulls: Math.max(2, Math.round(clients / 50)) });
  const file = { id, name: `Load test ${id} (${side}×${side})`, tickRate: 20, seed, map, npcs };
  return { file, side, spawns };
}

/** Crates and gulls on the rows between spawn rows (y % 4 === 0), spread by a fixed stride. */
function placeNpcs({ side, isWall, crates, gulls }) {
  const cells = [];
  for (let y = 4; y < side - 1; y += 4) {
    for (let x = 1; x < side - 1; x++) if (!isWall(x, y)) cells.push([x, y]);
  }
  const total = Math.min(crates + gulls, cells.length);
  const stride = Math.max(1, Math.floor(cells.length / total));
  const npcs = [];
  for (let i = 0; i < total; i++) {
    const at = cells[(i * stride + (stride >= 3 ? i % 3 : 0)) % cells.length];
    npcs.push(i < crates
      ? { id: `crate-${i + 1}`, name: "Crate", at, behaviours: ["Moveable"] }
      : { id: `gull-${i + 1 - crates}`, name: "Gull", at, behaviours: ["Frightened"], ai: "wander" });
  }
  return npcs;
}
