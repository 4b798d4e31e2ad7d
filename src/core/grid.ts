/**
 * The grid: walls and the occupancy index, both flat typed arrays indexed by `y * width + x`.
 * `occupancy[cell]` holds the occupant's actor slot + 1, or 0 when the cell is free, so a lookup is
 * one array read (the pipeline does several per action).
 */
export interface Grid {
  /** Columns, in cells. */
  readonly width: number;
  /** Rows, in cells. */
  readonly height: number;
  /** 1 where the cell is a wall. */
  readonly walls: Uint8Array;
  /** Occupant slot + 1, or 0 for a free cell. */
  readonly occupancy: Int32Array;
  /** Spawn cells in reading order (row by row, left to right). */
  readonly spawns: readonly number[];
}

export const WALL = "#";
export const FLOOR = ".";
export const SPAWN = "S";

/**
 * Builds a grid from map rows (`#` wall, `.` floor, `S` floor + spawn point).
 * The rows must already be validated (same length, known characters): see src/content/world-file.ts.
 */
export function createGrid(rows: readonly string[]): Grid {
  const height = rows.length;
  const width = rows[0]?.length ?? 0;
  const walls = new Uint8Array(width * height);
  const spawns: number[] = [];
  for (let y = 0; y < height; y++) {
    const row = rows[y]!;
    for (let x = 0; x < width; x++) {
      const ch = row[x];
      if (ch === WALL) walls[y * width + x] = 1;
      else if (ch === SPAWN) spawns.push(y * width + x);
    }
  }
  return { width, height, walls, occupancy: new Int32Array(width * height), spawns };
}

/** True when `[x, y]` lies inside the grid. */
export function inBounds(grid: Grid, x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x < grid.width && y < grid.height;
}

/** The flat cell index of `[x, y]`; the caller checks bounds. */
export function cellOf(grid: Grid, x: number, y: number): number {
  return y * grid.width + x;
}

/** True when `[x, y]` is inside the grid, not a wall and not occupied. */
export function isFreeFloor(grid: Grid, x: number, y: number): boolean {
  if (!inBounds(grid, x, y)) return false;
  const cell = y * grid.width + x;
  return grid.walls[cell] === 0 && grid.occupancy[cell] === 0;
}
