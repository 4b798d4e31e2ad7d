/**
 * A tick's moved actors, linked per bucket of the cell each moved to (the area of interest's
 * settle pass, rooms/interest.ts): `head[bucket]` is the first actor slot in a bucket, `next[slot]`
 * the one after it, −1 ends a list. Filled once per tick for all observers, then emptied, touching
 * only the buckets it used.
 */
import type { Actor } from "../src/core/index.ts";
import { bucketOf, type BucketGrid } from "../src/core/spatial-hash.ts";

export class MovedBuckets {
  readonly head: Int32Array;
  next = new Int32Array(0);
  /** Per slot, the fill that last listed it (a slot moved twice in a tick is listed once). */
  private listedAt = new Int32Array(0);
  private stamp = 0;
  private readonly used: number[] = [];

  constructor(private readonly grid: BucketGrid) {
    this.head = new Int32Array(grid.columns * grid.rows).fill(-1);
  }

  /** Links each slot of `moved` (once) into the bucket of its actor's cell in `actors` (by slot). */
  fill(moved: readonly number[], actors: readonly (Actor | undefined)[]): void {
    if (this.next.length < actors.length) {
      this.next = new Int32Array(actors.length * 2);
      this.listedAt = new Int32Array(actors.length * 2);
    }
    const { head, next, grid } = this;
    const stamp = ++this.stamp;
    for (let i = 0; i < moved.length; i++) {
      const slot = moved[i]!;
      if (this.listedAt[slot] === stamp) continue;
      this.listedAt[slot] = stamp;
      const actor = actors[slot];
      if (actor === undefined) continue; // left since it moved
      const bucket = bucketOf(grid, actor.x, actor.y);
      if (head[bucket] === -1) this.used.push(bucket);
      next[slot] = head[bucket]!;
      head[bucket] = slot;
    }
  }

  /** Empties the buckets the last {@link fill} used. */
  clear(): void {
    for (const bucket of this.used) this.head[bucket] = -1;
    this.used.length = 0;
  }
}
