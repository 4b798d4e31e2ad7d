// What the soak's bots know of their world, and how they walk to an NPC to interact with it.
//
// The world file (data/worlds/<id>.json) gives the static map and the NPCs that have interaction
// slots (`npcs[].plugins.interactions.slots`). A bot that visits such an NPC follows a distance
// field: a breadth-first search over the map's open cells from the 4 cells next to the NPC, so
// each step goes to a neighbour one cell closer. Actors are not obstacles in the field: a bot walks
// into whoever stands in its way and pushes them (or is refused), as players do.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const STEPS = [["N", 0, -1], ["E", 1, 0], ["S", 0, 1], ["W", -1, 0]];

/**
 * The world's map and slot NPCs: { map, spawns, slotNpcs: [{ id, at: [x, y], slots: [{ slotId,
 * interactionId }] }] }, or null when the repository has no such world file (a world of a server
 * given with --endpoint).
 */
export function readWorldInfo(repoRoot, worldId) {
  const path = join(repoRoot, "data", "worlds", `${worldId}.json`);
  if (!existsSync(path)) return null;
  const file = JSON.parse(readFileSync(path, "utf8"));
  const slotNpcs = (file.npcs ?? [])
    .filter((npc) => npc.plugins?.interactions?.slots?.length)
    .map((npc) => ({ id: npc.id, at: npc.at, slots: npc.plugins.interactions.slots.map(({ slotId, interactionId }) => ({ slotId, interactionId })) }));
  return { map: file.map, spawns: file.map.join("").split("S").length - 1, slotNpcs };
}

/** Whether [x, y] is 4-adjacent to [tx, ty]. */
export function isAdjacent(x, y, tx, ty) {
  return Math.abs(x - tx) + Math.abs(y - ty) === 1;
}

/** Steps from every open cell to the nearest open cell next to [tx, ty] (-1: unreachable). */
export function distanceField(map, [tx, ty]) {
  const width = map[0].length;
  const height = map.length;
  const open = (x, y) => x >= 0 && y >= 0 && x < width && y < height && map[y][x] !== "#";
  const field = new Int32Array(width * height).fill(-1);
  const queue = [];
  for (const [, dx, dy] of STEPS) {
    if (open(tx + dx, ty + dy)) {
      field[(ty + dy) * width + tx + dx] = 0;
      queue.push([tx + dx, ty + dy]);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const [x, y] = queue[head];
    const d = field[y * width + x];
    for (const [, dx, dy] of STEPS) {
      const nx = x + dx;
      const ny = y + dy;
      if ((nx !== tx || ny !== ty) && open(nx, ny) && field[ny * width + nx] === -1) {
        field[ny * width + nx] = d + 1;
        queue.push([nx, ny]);
      }
    }
  }
  return { width, height, field };
}

/** The direction one cell closer on the field (random among equals); undefined when there or lost. */
export function stepToward({ width, height, field }, x, y) {
  if (x < 0 || y < 0 || x >= width || y >= height) return undefined;
  const here = field[y * width + x];
  if (here <= 0) return undefined;
  const closer = STEPS.filter(([, dx, dy]) => {
    const nx = x + dx;
    const ny = y + dy;
    return nx >= 0 && ny >= 0 && nx < width && ny < height && field[ny * width + nx] === here - 1;
  });
  return closer.length ? closer[Math.floor(Math.random() * closer.length)][0] : undefined;
}

/** Distance fields cached per NPC and position (an NPC that moves gets a new one). */
export function createFieldCache(map) {
  const fields = new Map();
  return (npcId, at) => {
    const key = `${npcId}@${at[0]},${at[1]}`;
    let field = fields.get(key);
    if (!field) {
      if (fields.size > 256) fields.clear();
      field = distanceField(map, at);
      fields.set(key, field);
    }
    return field;
  };
}
