/**
 * Area of interest (issue 4): each client's @colyseus/schema StateView holds the actors within the
 * world's `interestRadius` of its own actor (Euclidean, in cells), plus its own actor with the
 * owner tag that reveals its raw stats. A radius of 0 means everyone sees everything.
 * Hysteresis: an actor enters a view within the radius and leaves it only beyond radius +
 * {@link LEAVE_MARGIN}, so actors pacing along the edge do not churn in and out every tick.
 *
 * Work per tick is proportional to what moved, never to clients × actors:
 * - an observer whose own actor moved drops what it no longer keeps and re-queries the world's
 *   spatial hash around itself;
 * - every other moved actor is checked only against the observers near it, found through a
 *   second spatial hash of observers (flat arrays per bucket, swap-removed).
 * The hot check is integer-only: membership is one bit in the observer's bitset, indexed by the
 * actor's core slot (`Actor.slot`), and distance is compared squared. Runs before the tick's
 * positions are mirrored, so the synced state still holds the old cells.
 */
import type { Client } from "@colyseus/core";
import { StateView, type Ref } from "@colyseus/schema";
import type { Actor, EventBus, World } from "../src/core/index.ts";
import { bucketGrid, bucketOf, bucketSpan, forEachNear, type BucketGrid } from "../src/core/spatial-hash.ts";
import { OWNER_TAG, type SyncedActors } from "./schema.ts";

/** Cells beyond the radius an actor may go before it leaves a view it is in. */
export const LEAVE_MARGIN = 2;

interface Observer {
  readonly actorId: string;
  readonly slot: number;
  readonly view: StateView;
  /** Bit `s` set = the actor in core slot `s` is in the view. Grows with the world's slots. */
  bits: Uint32Array;
  /** The same set as a list of slots, for the observer's own refresh. */
  readonly visible: number[];
  x: number;
  y: number;
  /** Bucket in the observer hash, and index within it. */
  bucket: number;
  at: number;
}

export class InterestManager {
  private readonly observers = new Map<string, Observer>();
  /** Observers by bucket, laid out like the world's spatial hash. */
  private readonly grid: BucketGrid;
  private readonly buckets: Observer[][];
  /** Scratch for {@link bucketSpan}. */
  private readonly span = new Int32Array(4);
  private readonly enterSq: number;
  private readonly keepSq: number;

  constructor(
    private readonly world: World,
    private readonly synced: SyncedActors,
    /** Cells; 0 = unlimited. */
    readonly radius: number,
  ) {
    this.grid = bucketGrid(world.grid.width, world.grid.height);
    this.buckets = Array.from({ length: this.grid.columns * this.grid.rows }, () => []);
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
      actorId: actor.id, slot: actor.slot, view, bits: new Uint32Array(this.bitWords()), visible: [], x: actor.x, y: actor.y, bucket: -1, at: -1,
    };
    setBit(observer, actor.slot);
    observer.visible.push(actor.slot);
    this.observers.set(actor.id, observer);
    this.place(observer);
    if (this.radius === 0) for (const other of this.world.order) this.show(observer, other);
    else this.refresh(observer);
    client.view = view;
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
   * Follows a world's moves and respawns on its event bus; returns the unsubscribe function.
   * Subscribe before the mirror (rooms/schema.ts `subscribeMirror`): a respawn's old cell is read
   * from the synced state before the mirror moves it.
   */
  subscribe(bus: EventBus): () => void {
    if (this.radius === 0) return () => {}; // everyone already sees everyone
    const offMoved = bus.on("moved", (e) => this.follow(e.actorId, e.fromX, e.fromY, e.x, e.y));
    const offRespawned = bus.on("respawned", (e) => {
      const actor = this.world.byId.get(e.actorId);
      const state = actor && this.synced.of(actor);
      if (state) this.follow(e.actorId, state.x, state.y, e.x, e.y);
    });
    return () => {
      offMoved();
      offRespawned();
    };
  }

  private follow(actorId: string, fromX: number, fromY: number, x: number, y: number): void {
    const actor = this.world.byId.get(actorId);
    if (!actor || this.synced.of(actor) === undefined) return;
    this.actorMoved(actor, fromX, fromY, x, y);
  }

  /** The actor ids in `actorId`'s view, own actor included; undefined for an unknown observer. */
  visibleIds(actorId: string): string[] | undefined {
    const observer = this.observers.get(actorId);
    if (!observer) return undefined;
    return observer.visible.map((slot) => this.world.slots[slot]!.id);
  }

  private actorMoved(actor: Actor, fromX: number, fromY: number, x: number, y: number): void {
    const own = this.observers.get(actor.id);
    if (own) {
      own.x = x;
      own.y = y;
      this.unplace(own);
      this.place(own);
      this.refresh(own);
    }
    // One pass when the actor stepped one cell (radius + margin + 1 around the new cell covers
    // the observers of both cells); two for a jump (a respawn).
    const step = Math.abs(x - fromX) + Math.abs(y - fromY);
    if (step <= 1) this.checkNear(actor, x, y, this.radius + LEAVE_MARGIN + 1);
    else {
      this.checkNear(actor, x, y, this.radius + LEAVE_MARGIN);
      this.checkNear(actor, fromX, fromY, this.radius + LEAVE_MARGIN);
    }
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

  /** Brings an observer's view up to date around its own (new) cell. */
  private refresh(observer: Observer): void {
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

function hasBit(observer: Observer, slot: number): boolean {
  const word = slot >>> 5;
  return word < observer.bits.length && (observer.bits[word]! & (1 << (slot & 31))) !== 0;
}

function setBit(observer: Observer, slot: number): void {
  const word = slot >>> 5;
  if (word >= observer.bits.length) {
    const grown = new Uint32Array(Math.max(word + 1, observer.bits.length * 2));
    grown.set(observer.bits);
    observer.bits = grown;
  }
  observer.bits[word]! |= 1 << (slot & 31);
}

function clearBit(observer: Observer, slot: number): void {
  const word = slot >>> 5;
  if (word < observer.bits.length) observer.bits[word]! &= ~(1 << (slot & 31));
}

function removeSlot(list: number[], slot: number): void {
  const i = list.indexOf(slot);
  if (i < 0) return;
  list[i] = list[list.length - 1]!;
  list.pop();
}
