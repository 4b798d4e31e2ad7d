/**
 * The four grid directions. Coordinates are `[x, y]` in cells, origin top-left:
 * N is y−1, S is y+1, E is x+1, W is x−1 (issue "Playable authoritative world server", world files).
 */
export const DIRECTIONS = ["N", "E", "S", "W"] as const;
export type Dir = (typeof DIRECTIONS)[number];

const DX: Record<Dir, number> = { N: 0, E: 1, S: 0, W: -1 };
const DY: Record<Dir, number> = { N: -1, E: 0, S: 1, W: 0 };
const LEFT: Record<Dir, Dir> = { N: "W", E: "N", S: "E", W: "S" };
const RIGHT: Record<Dir, Dir> = { N: "E", E: "S", S: "W", W: "N" };

/** Column offset of one step towards `dir`, in cells. */
export function dxOf(dir: Dir): number {
  return DX[dir];
}

/** Row offset of one step towards `dir`, in cells. */
export function dyOf(dir: Dir): number {
  return DY[dir];
}

/** The direction 90° to the left of `dir`, as seen by an actor facing `dir` (E → N). */
export function leftOf(dir: Dir): Dir {
  return LEFT[dir];
}

/** The direction 90° to the right of `dir`, as seen by an actor facing `dir` (E → S). */
export function rightOf(dir: Dir): Dir {
  return RIGHT[dir];
}

/** Narrows an unknown value to a {@link Dir}. */
export function isDir(value: unknown): value is Dir {
  return value === "N" || value === "E" || value === "S" || value === "W";
}
