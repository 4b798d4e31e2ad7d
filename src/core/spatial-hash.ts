/**
 * A uniform spatial hash over grid cells: buckets of {@link BUCKET_SIZE}×{@link BUCKET_SIZE} cells,
 * each holding the items standing in it. Moving an item costs O(1) (and nothing unless it crosses
 * a bucket edge); a radius query visits only the buckets the query square overlaps. Used for the
 * world's actors (area of interest) and, by rooms, for observers.
 */

/** Bucket edge, in cells. */
export const BUCKET_SIZE = 8;

export interface SpatialHash<T> extends BucketGrid {
  readonly buckets: Set<T>[];
}

/** A hash covering a `width`×`height` cell grid. */
export function createSpatialHash<T>(width: number, height: number): SpatialHash<T> {
  const grid = bucketGrid(width, height);
  return { ...grid, buckets: Array.from({ length: grid.columns * grid.rows }, () => new Set<T>()) };
}

/** The bucket layout of a hash: {@link BUCKET_SIZE}-cell buckets, `columns` × `rows` of them. */
export interface BucketGrid {
  readonly columns: number;
  readonly rows: number;
}

/** The layout covering a `width`×`height` cell grid. */
export function bucketGrid(width: number, height: number): BucketGrid {
  return { columns: Math.max(1, Math.ceil(width / BUCKET_SIZE)), rows: Math.max(1, Math.ceil(height / BUCKET_SIZE)) };
}

/** Index of the bucket holding cell `[x, y]` (clamped to the grid). */
export function bucketOf(grid: BucketGrid, x: number, y: number): number {
  const bx = Math.min(grid.columns - 1, Math.max(0, Math.floor(x / BUCKET_SIZE)));
  const by = Math.min(grid.rows - 1, Math.max(0, Math.floor(y / BUCKET_SIZE)));
  return by * grid.columns + bx;
}

/**
 * Writes into `out` the bucket columns and rows `[x0, x1, y0, y1]` (inclusive) that the square of
 * half-side `radius` cells around `[x, y]` overlaps. `out` is the caller's scratch, so hot loops
 * allocate nothing.
 */
export function bucketSpan(grid: BucketGrid, x: number, y: number, radius: number, out: Int32Array): void {
  out[0] = Math.max(0, Math.floor((x - radius) / BUCKET_SIZE));
  out[1] = Math.min(grid.columns - 1, Math.floor((x + radius) / BUCKET_SIZE));
  out[2] = Math.max(0, Math.floor((y - radius) / BUCKET_SIZE));
  out[3] = Math.min(grid.rows - 1, Math.floor((y + radius) / BUCKET_SIZE));
}

const span = new Int32Array(4);

export function insertItem<T>(hash: SpatialHash<T>, item: T, x: number, y: number): void {
  hash.buckets[bucketOf(hash, x, y)]!.add(item);
}

export function removeItem<T>(hash: SpatialHash<T>, item: T, x: number, y: number): void {
  hash.buckets[bucketOf(hash, x, y)]!.delete(item);
}

/** Moves an item from `[fromX, fromY]` to `[x, y]`. */
export function moveItem<T>(hash: SpatialHash<T>, item: T, fromX: number, fromY: number, x: number, y: number): void {
  const from = bucketOf(hash, fromX, fromY);
  const to = bucketOf(hash, x, y);
  if (from === to) return;
  hash.buckets[from]!.delete(item);
  hash.buckets[to]!.add(item);
}

/**
 * Calls `visit` for every item in the buckets overlapping the square of half-side `radius` around
 * `[x, y]` (cells). Callers filter by exact distance; the order is bucket order, then insertion.
 */
export function forEachNear<T>(hash: SpatialHash<T>, x: number, y: number, radius: number, visit: (item: T) => void): void {
  bucketSpan(hash, x, y, radius, span);
  const x0 = span[0]!;
  const x1 = span[1]!;
  const y0 = span[2]!;
  const y1 = span[3]!;
  for (let by = y0; by <= y1; by++) {
    for (let bx = x0; bx <= x1; bx++) {
      for (const item of hash.buckets[by * hash.columns + bx]!) visit(item);
    }
  }
}

/**
 * The largest w with w² + dy² ≤ r²: the cells of a disk of radius `r` (cells, Euclidean) in its row
 * `dy` span −w…w. Exact in integers; `|dy|` must be at most `r`.
 */
export function diskHalfWidth(r: number, dy: number): number {
  const rest = r * r - dy * dy;
  let w = Math.floor(Math.sqrt(rest));
  while ((w + 1) * (w + 1) <= rest) w++;
  while (w * w > rest) w--;
  return w;
}

/** True when `[ax, ay]` and `[bx, by]` are within `radius` cells (Euclidean). */
export function withinRadius(ax: number, ay: number, bx: number, by: number, radius: number): boolean {
  const dx = ax - bx;
  const dy = ay - by;
  return dx * dx + dy * dy <= radius * radius;
}
