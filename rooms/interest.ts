/**
 * Area of interest (issue 4): each client's @colyseus/schema StateView holds the actors within the
 * world's `interestRadius` of its own actor (Euclidean, in cells), plus its own actor with the
 * owner tag that reveals its raw stats. A radius of 0 means everyone sees everything.
 * Hysteresis: an actor enters a view within the radius and leaves it only beyond radius +
 * {@link LEAVE_MARGIN}, so actors pacing along the edge do not churn in and out every tick.
 *
 * Work per tick is proportional to what moved, never to clients × actors. While a tick's events
 * are published, the manager only notes which actors moved (their core slots); once they all are
 * (`EventBus.onTick`), or when its owner asks (a room: before each patch), it settles every view in
 * one pass over the final positions:
 * - an observer whose own actor stepped one cell reads the two crescents of its step from the
 *   grid (what it no longer keeps, what is newly within its radius); one that moved further drops
 *   what it no longer keeps and re-queries the world's spatial hash around itself;
 * - every observer checks the moved actors in the buckets around it (within radius + margin + the
 *   ticks since the last settle: enough to see an actor step in, or step out of what it keeps),
 *   the moved actors having been bucketed once for all observers (a linked list per bucket in two
 *   Int32Arrays);
 * - an actor that jumped (a respawn) leaves the views of observers now too far from it.
 * The hot check is integer-only: membership is one bit in the observer's bitset, indexed by the
 * actor's core slot (`Actor.slot`), and distance is compared squared. The old cell of a respawn
 * is not needed: what an observer keeps is decided by where actors are now.
 */
import type { Client } from "@colyseus/core";
import { $changes, StateView, type ChangeTree, type Ref } from "@colyseus/schema";
import type { Actor, EventBus, World } from "../src/core/index.ts";
import { bucketGrid, bucketOf, bucketSpan, diskHalfWidth, forEachNear, type BucketGrid } from "../src/core/spatial-hash.ts";
import { MovedBuckets } from "./moved-buckets.ts";
import { clearBit, hasBit, removeSlot, setBit, type Observer } from "./observer.ts";
import { OWNER_TAG, setDense, type SyncedActors } from "./schema.ts";
import type { ViewIndex } from "./view-changes.ts";

/** Cells beyond the radius an actor may go before it leaves a view it is in. */
export const LEAVE_MARGIN = 2;

export class InterestManager {
  private readonly observers = new Map<string, Observer>();
  /** Observers by bucket, laid out like the world's spatial hash. */
  private readonly grid: BucketGrid;
  private readonly buckets: Observer[][];
  /** Scratch for {@link bucketSpan}. */
  private readonly span = new Int32Array(4);
  private readonly enterSq: number;
  private readonly keepSq: number;
  /** Observers by their view (the patch's view pass asks which actors a view holds: {@link viewIndex}). */
  private readonly byView = new WeakMap<StateView, Observer>();
  /** Observers by their actor's core slot (checked against `actorId`: slots are reused). */
  private readonly observerBySlot: (Observer | undefined)[] = [];
  /** This tick's moved actors (core slots, a slot may repeat) and respawned ones. */
  private readonly moved: number[] = [];
  private readonly jumped: number[] = [];
  /** Ticks whose moves were noted since the last settle. */
  private ticksNoted = 0;
  /** This tick's moved actors by bucket of their new cell. */
  private readonly movedBuckets: MovedBuckets;

  constructor(
    private readonly world: World,
    private readonly synced: SyncedActors,
    /** Cells; 0 = unlimited. */
    readonly radius: number,
  ) {
    this.grid = bucketGrid(world.grid.width, world.grid.height);
    this.buckets = Array.from({ length: this.grid.columns * this.grid.rows }, () => []);
    this.movedBuckets = new MovedBuckets(this.grid);
    this.enterSq = radius * radius;
    this.keepSq = (radius + LEAVE_MARGIN) * (radius + LEAVE_MARGIN);
  }

  /** Gives `client` a view of its own actor (with the owner tag) and of everything around it. */
  attach(client: Client, actor: Actor): void {
    const own = this.synced.of(actor)!;
    const view = new StateView();
    view.add(own);
    view.add(own, OWNER_TAG);
    const observer: Observer = {
      actorId: actor.id, slot: actor.slot, view, bits: new Uint32Array(this.bitWords()), visible: [], x: actor.x, y: actor.y, bucket: -1, at: -1, moved: false,
    };
    setDense(this.observerBySlot, actor.slot, observer);
    this.byView.set(view, observer);
    setBit(observer, actor.slot);
    observer.visible.push(actor.slot);
    this.observers.set(actor.id, observer);
    this.place(observer);
    if (this.radius === 0) for (const other of this.world.order) this.show(observer, other);
    else this.refresh(observer);
    client.view = view;
  }

  /**
   * What the patch's view pass needs (rooms/view-changes.ts): the actor a changed tree belongs to
   * (a state no longer its slot's belongs to none), and each view's observer (bitset and own slot).
   */
  viewIndex(): ViewIndex {
    return {
      placeOf: (tree) => {
        // The tree itself, or the actor state above it (owner object → its maps: two levels at most).
        let ref: unknown = tree.ref;
        for (let depth = 0; depth < 4 && ref !== undefined; depth++) {
          const id = (ref as { id?: unknown }).id;
          const actor = typeof id === "string" ? this.world.byId.get(id) : undefined;
          if (actor !== undefined && this.synced.of(actor) === ref) return depth === 0 ? actor.slot : -2 - actor.slot;
          ref = (ref as { [$changes]?: ChangeTree })[$changes]?.parentRef;
        }
        return -1;
      },
      viewerOf: (view) => this.byView.get(view),
      actors: this.synced.map,
      stateAt: (slot) => this.synced.at(slot),
    };
  }

  /** Adds `ref` (a child created under `actorId`'s own state, e.g. an inventory map) to its owner's view. */
  grant(actorId: string, ref: Ref): void {
    this.observers.get(actorId)?.view.add(ref, OWNER_TAG);
  }

  detach(actorId: string): void {
    const observer = this.observers.get(actorId);
    if (!observer) return;
    this.unplace(observer);
    this.observers.delete(actorId);
    if (this.observerBySlot[observer.slot] === observer) this.observerBySlot[observer.slot] = undefined;
    observer.view.dispose?.();
  }

  /** A new actor appeared: the observers that can see its cell get it. */
  actorAdded(actor: Actor): void {
    if (this.radius === 0) {
      for (const observer of this.observers.values()) if (observer.slot !== actor.slot) this.show(observer, actor);
      return;
    }
    this.checkNear(actor, actor.x, actor.y, this.radius);
  }

  /**
   * An actor left the world (`removeActor` returned it; its slot may be reused from now on):
   * forget it. The map deletion reaches every view that had it.
   */
  actorRemoved(actor: Actor): void {
    const { slot } = actor;
    for (const observer of this.observers.values()) {
      if (!hasBit(observer, slot)) continue;
      clearBit(observer, slot);
      removeSlot(observer.visible, slot);
    }
  }

  /**
   * Follows a world's moves and respawns on its event bus and returns the unsubscribe function.
   * Views are settled once all of a tick's events are published, or, with `deferSettle`, only when
   * the owner calls {@link settle} (a room settles right before each patch: under patch pacing the
   * ticks between two patches need no settled views, and an actor that came and went between them
   * costs no view entry).
   */
  subscribe(bus: EventBus, options: { deferSettle?: boolean } = {}): () => void {
    if (this.radius === 0) return () => {}; // everyone already sees everyone
    const defer = options.deferSettle === true;
    // A whole-tick subscriber (the bus's `onTick`, made for dispatchers of their own): one pass over
    // the tick's events, then the settle. A handler per move cost ~15% more area-of-interest time in
    // the sync bench (interest ÷ stock 0.44 vs 0.51–0.55, same runs), all of it call overhead.
    return bus.onTick((result) => {
      this.ticksNoted++;
      for (const event of result.events) {
        if (event.type === "moved") this.note(event.actorId, false);
        else if (event.type === "respawned") this.note(event.actorId, true);
      }
      if (!defer) this.settle();
    });
  }

  private note(actorId: string, jumped: boolean): void {
    const actor = this.world.byId.get(actorId);
    if (actor === undefined || this.synced.of(actor) === undefined) return;
    this.moved.push(actor.slot);
    if (jumped) this.jumped.push(actor.slot);
    const own = this.observerBySlot[actor.slot];
    if (own !== undefined && own.actorId === actorId) own.moved = true;
  }

  /**
   * Brings every view up to date with the positions now, after the moves noted since the last
   * settle (see the module header). An actor moves at most one cell a tick, so what a view keeps
   * is found within radius + margin + the ticks since then.
   */
  settle(): void {
    const ticks = Math.max(1, this.ticksNoted);
    this.ticksNoted = 0;
    if (this.moved.length === 0) return;
    const { slots } = this.world;
    // A slot noted since may have lost its actor (a leave between two ticks): nothing to settle for it.
    this.movedBuckets.fill(this.moved, slots);
    const reach = this.radius + LEAVE_MARGIN + ticks;
    for (const observer of this.observers.values()) {
      if (observer.moved) {
        observer.moved = false;
        const actor = slots[observer.slot]!;
        const fromX = observer.x;
        const fromY = observer.y;
        observer.x = actor.x;
        observer.y = actor.y;
        this.unplace(observer);
        this.place(observer);
        if (Math.abs(actor.x - fromX) + Math.abs(actor.y - fromY) === 1) this.advance(observer, fromX, fromY, reach);
        else this.refresh(observer);
      } else this.checkMoved(observer, reach);
    }
    for (const slot of this.jumped) {
      const actor = slots[slot];
      if (actor !== undefined) this.dropFar(actor);
    }
    this.movedBuckets.clear();
    this.moved.length = 0;
    this.jumped.length = 0;
  }

  /** Shows `observer` the moved actors that came within its radius, and hides those now beyond what it keeps. */
  private checkMoved(observer: Observer, reach: number): void {
    const { span, grid } = this;
    const { head, next } = this.movedBuckets;
    const { slots } = this.world;
    bucketSpan(grid, observer.x, observer.y, reach, span);
    const x0 = span[0]!;
    const x1 = span[1]!;
    const y1 = span[3]!;
    for (let by = span[2]!; by <= y1; by++) {
      for (let bx = x0; bx <= x1; bx++) {
        for (let slot = head[by * grid.columns + bx]!; slot >= 0; slot = next[slot]!) {
          if (slot === observer.slot) continue;
          const actor = slots[slot]!;
          const dx = observer.x - actor.x;
          const dy = observer.y - actor.y;
          const d = dx * dx + dy * dy;
          if (!hasBit(observer, slot)) {
            if (d <= this.enterSq) this.show(observer, actor);
          } else if (d > this.keepSq) this.hide(observer, actor);
        }
      }
    }
  }

  /** Hides a jumped actor from every observer that keeps it but is now too far from it. */
  private dropFar(actor: Actor): void {
    for (const observer of this.observers.values()) {
      if (observer.slot === actor.slot || !hasBit(observer, actor.slot)) continue;
      const dx = observer.x - actor.x;
      const dy = observer.y - actor.y;
      if (dx * dx + dy * dy > this.keepSq) this.hide(observer, actor);
    }
  }

  /** The actor ids in `actorId`'s view, own actor included; undefined for an unknown observer. */
  visibleIds(actorId: string): string[] | undefined {
    const observer = this.observers.get(actorId);
    if (!observer) return undefined;
    return observer.visible.map((slot) => this.world.slots[slot]!.id);
  }

  /**
   * Shows `actor` (now at its current cell) to the observers within `reach` of `[cx, cy]` that
   * see it, and hides it from those that no longer keep it.
   */
  private checkNear(actor: Actor, cx: number, cy: number, reach: number): void {
    const { slot } = actor;
    const word = slot >>> 5;
    const mask = 1 << (slot & 31);
    const x = actor.x;
    const y = actor.y;
    const { span, grid } = this;
    bucketSpan(grid, cx, cy, reach, span);
    const x0 = span[0]!;
    const x1 = span[1]!;
    const y1 = span[3]!;
    for (let by = span[2]!; by <= y1; by++) {
      for (let bx = x0; bx <= x1; bx++) {
        const bucket = this.buckets[by * grid.columns + bx]!;
        for (let i = 0; i < bucket.length; i++) {
          const observer = bucket[i]!;
          if (observer.slot === slot) continue;
          const dx = observer.x - x;
          const dy = observer.y - y;
          const d = dx * dx + dy * dy;
          const visible = word < observer.bits.length && (observer.bits[word]! & mask) !== 0;
          if (!visible) {
            if (d <= this.enterSq) this.show(observer, actor);
          } else if (d > this.keepSq) this.hide(observer, actor);
        }
      }
    }
  }

  /**
   * An observer that stepped one cell from `[fromX, fromY]`. Before the step everything it kept was
   * within radius + margin of `[fromX, fromY]`, and everything within the radius was kept (the
   * invariant every settle keeps). So, besides the actors that moved (checked as for every
   * observer, over one more cell of reach for the step):
   * - what it must drop stands on the back crescent, the cells within radius + margin of the old
   *   cell but not of the new one;
   * - what it must add stands on the front crescent, the cells within the radius of the new cell
   *   but not of the old one.
   * Both crescents are read from the grid's occupancy, a row at a time: each is at most two runs of
   * cells per row, so a step costs its crescents, not the disk.
   */
  private advance(observer: Observer, fromX: number, fromY: number, reach: number): void {
    this.checkMoved(observer, reach + 1);
    const keep = this.radius + LEAVE_MARGIN;
    this.scanCrescent(observer, fromX, fromY, observer.x, observer.y, keep, false);
    this.scanCrescent(observer, observer.x, observer.y, fromX, fromY, this.radius, true);
  }

  /**
   * The occupants of the cells within `r` of `[ax, ay]` but not of `[bx, by]` (one step apart):
   * shown to `observer` when `show` (those it lacks), else hidden (those it keeps).
   */
  private scanCrescent(observer: Observer, ax: number, ay: number, bx: number, by: number, r: number, show: boolean): void {
    const { grid, slots } = this.world;
    const y0 = Math.max(0, ay - r);
    const y1 = Math.min(grid.height - 1, ay + r);
    for (let cy = y0; cy <= y1; cy++) {
      const aw = diskHalfWidth(r, cy - ay);
      const bw = Math.abs(cy - by) <= r ? diskHalfWidth(r, cy - by) : -1;
      const x0 = Math.max(0, ax - aw);
      const x1 = Math.min(grid.width - 1, ax + aw);
      // [x0, x1] minus [bx − bw, bx + bw]: a run left of it and a run right of it (either may be empty).
      const skip0 = bw >= 0 ? bx - bw : x1 + 1;
      const skip1 = bw >= 0 ? bx + bw : x1;
      const row = cy * grid.width;
      for (let run = 0; run < 2; run++) {
        const from = run === 0 ? x0 : Math.max(x0, skip1 + 1);
        const to = run === 0 ? Math.min(x1, skip0 - 1) : x1;
        for (let cx = from; cx <= to; cx++) {
          const occupant = grid.occupancy[row + cx]! - 1;
          if (occupant < 0 || occupant === observer.slot || hasBit(observer, occupant) !== !show) continue;
          if (show) this.show(observer, slots[occupant]!);
          else this.hide(observer, slots[occupant]!);
        }
      }
    }
  }

  /** Hides what `observer` keeps beyond radius + margin of its cell. */
  private dropBeyondKeep(observer: Observer): void {
    const { slots } = this.world;
    const visible = observer.visible;
    for (let i = visible.length - 1; i >= 0; i--) {
      const slot = visible[i]!;
      if (slot === observer.slot) continue;
      const actor = slots[slot]!;
      const dx = observer.x - actor.x;
      const dy = observer.y - actor.y;
      if (dx * dx + dy * dy > this.keepSq) this.hide(observer, actor);
    }
  }

  private refresh(observer: Observer): void {
    this.dropBeyondKeep(observer);
    forEachNear(this.world.spatial, observer.x, observer.y, this.radius, (actor) => {
      if (hasBit(observer, actor.slot)) return;
      const dx = observer.x - actor.x;
      const dy = observer.y - actor.y;
      if (dx * dx + dy * dy <= this.enterSq) this.show(observer, actor);
    });
  }

  private show(observer: Observer, actor: Actor): void {
    const state = this.synced.of(actor);
    if (!state || hasBit(observer, actor.slot)) return;
    setBit(observer, actor.slot);
    observer.visible.push(actor.slot);
    observer.view.add(state);
  }

  private hide(observer: Observer, actor: Actor): void {
    clearBit(observer, actor.slot);
    removeSlot(observer.visible, actor.slot);
    const state = this.synced.of(actor);
    if (state) observer.view.remove(state);
  }

  private place(observer: Observer): void {
    const bucket = this.buckets[(observer.bucket = bucketOf(this.grid, observer.x, observer.y))]!;
    observer.at = bucket.length;
    bucket.push(observer);
  }

  private unplace(observer: Observer): void {
    const bucket = this.buckets[observer.bucket]!;
    const last = bucket.pop()!;
    if (last !== observer) {
      bucket[observer.at] = last;
      last.at = observer.at;
    }
    observer.bucket = -1;
  }

  private bitWords(): number {
    return (this.world.slots.length >>> 5) + 1;
  }
}
