/**
 * The patch's view pass, encoded per actor once (issue 11 §1, "schema's per-view pass over every
 * changed tree").
 *
 * @colyseus/schema's `encodeView` walks every changed tree of the patch for every client, asks the
 * view whether it sees each one, and encodes the changes of each visible tree again for each view:
 * with 1,500 clients and 2,500 moved actors that is 3.75 million visibility checks per patch, and
 * the same few bytes of a moved actor encoded once per client that sees it. Arbiter knows, as a
 * bitset over core slots per client (rooms/observer.ts), which actors each view holds. So, once per
 * patch, the changed trees are listed in the patch's order with the actor each belongs to; then
 * each view's pass
 * - leaves out the trees of actors its view does not hold (a view without an actor sees nothing
 *   under it), and owner objects other than its own (only the owner's view holds the owner tag);
 * - copies the bytes of a held actor's own tree from the first view that encoded it: they are the
 *   same for every view but the actor's owner's, whose view also sees the `owner` field;
 * - encodes everything else (the world, the actors map, its own actor and owner object) through
 *   the encoder as before, one tree at a time.
 *
 * A joining client's full state gets the same treatment in rooms/full-state-walks.ts.
 *
 * What reaches a client is byte for byte what the stock pass sends (test/rooms/view-changes.test.ts).
 */
import { $refId, type ChangeTree, type Encoder, type Iterator, type Schema, type StateView } from "@colyseus/schema";

/** A client's view as the area of interest keeps it. */
export interface Viewer {
  /** Core slots of the actors in the view, its own included. */
  readonly visible: readonly number[];
  /** The same set as a bitset: bit s set = slot s is in the view. */
  readonly bits: Uint32Array;
  /** Core slot of the viewer's own actor. */
  readonly slot: number;
}

/** Which trees belong to which actor, and what each view holds. */
export interface ViewIndex {
  /**
   * Where `tree` belongs: the actor's core slot s when it is that actor's synced state,
   * `-2 - s` when it is under that actor's owner object (the object or one of its maps), and −1 for
   * any other tree.
   */
  placeOf(tree: ChangeTree): number;
  /** The area of interest's record of `view`, or undefined to encode its pass as stock. */
  viewerOf(view: StateView): Viewer | undefined;
  /** The schema map (a `MapSchema`) that holds the actors' synced states, each under its `id`. */
  readonly actors: object;
  /** The synced state of the actor in core slot `slot`, or undefined (it may be stale: check the map). */
  stateAt(slot: number): (Schema & { id: string }) | undefined;
}

interface Node {
  changeTree: ChangeTree | undefined;
  next: Node | undefined;
}

type ChangeList = { next?: Node; tail?: Node };
type EncodeChanges = (it: Iterator, view?: StateView, buffer?: Uint8Array, initialOffset?: number) => Uint8Array;

/** What the encoder keeps that this pass reads or calls (@colyseus/schema 5's Encoder). */
interface EncoderInternals {
  root: { changes: ChangeList };
  encode: EncodeChanges;
  ensureCapacity(buffer: Uint8Array, offset: number): Uint8Array;
}

export class ViewChanges {
  private trees: ChangeTree[] = [];
  private places = new Int32Array(1024);
  /** Bytes of an actor tree's changes as every view but its owner's gets them: [start, end) in `arena`, end −1 = not yet encoded. */
  private chunkStart = new Int32Array(1024);
  private chunkEnd = new Int32Array(1024);
  private arena = new Uint8Array(64 * 1024);
  private arenaUsed = 0;
  private count = 0;
  /** Indices (in the changes list) of trees that belong to no actor. */
  private readonly others: number[] = [];
  /** Index of each actor's own changed tree by core slot, −1 for none (reset after each patch). */
  private actorTree = new Int32Array(1024).fill(-1);
  /** Indices of the changed trees under each actor's owner object, by core slot. */
  private readonly ownerTrees = new Map<number, number[]>();
  /** Scratch: the indices one view's pass encodes, sorted. */
  private picked = new Int32Array(1024);
  /** The split is of the changes pending now; cleared when a patch is done. */
  private split = false;
  private readonly single: Node = { changeTree: undefined, next: undefined };
  private readonly internals: EncoderInternals;
  private readonly encodeTrees: EncodeChanges;
  /** Set while a view's pass runs through {@link withChangesOf}. */
  private viewer: Viewer | undefined;
  private view: StateView | undefined;
  /** Trees left out of view passes so far (each would have cost the stock pass a visibility check). */
  skipped = 0;
  /** Actor trees copied from an earlier view's encoding so far. */
  copied = 0;
  /** Places of trees by refId ({@link placeOfRef}), valid where `placeStamp` is this patch's number. */
  private placeByRef = new Int32Array(1024);
  private placeStamp = new Int32Array(1024);
  /** Number of the current patch (starts at 1: a zero stamp is never valid). */
  private patch = 1;

  constructor(
    encoder: Encoder<Schema>,
    private readonly index: ViewIndex,
  ) {
    this.internals = encoder as unknown as EncoderInternals;
    this.encodeTrees = this.internals.encode.bind(encoder);
    // encodeView's changes pass calls `encode(it, view, bytes)`: during a view's pass it is ours.
    this.internals.encode = (it, view, buffer, initialOffset) =>
      view !== undefined && view === this.view && buffer !== undefined ? this.encodeViewChanges(it, view, buffer) : this.encodeTrees(it, view, buffer, initialOffset);
  }

  /** Forgets the split: the next view pass lists the pending changes anew. Call after each patch. */
  reset(): void {
    this.patch++;
    for (let i = 0; i < this.count; i++) if (this.places[i]! >= 0) this.actorTree[this.places[i]!] = -1;
    this.others.length = 0;
    this.ownerTrees.clear();
    this.split = false;
    this.trees.length = 0;
    this.count = 0;
    this.arenaUsed = 0;
    this.single.changeTree = undefined;
  }

  /** Runs `encode` (one `encodeView` of `view`) with this pass when the area of interest knows `view`. */
  withChangesOf<R>(view: StateView, encode: () => R): R {
    const viewer = this.index.viewerOf(view);
    if (viewer === undefined) return encode();
    if (!this.split) this.splitChanges();
    this.viewer = viewer;
    this.view = view;
    try {
      return encode();
    } finally {
      this.viewer = undefined;
      this.view = undefined;
    }
  }

  private splitChanges(): void {
    let n = 0;
    for (let node = this.internals.root.changes.next; node !== undefined; node = node.next) {
      if (n === this.places.length) this.grow();
      const place = this.placeOfRef(node.changeTree!.ref[$refId], node.changeTree!);
      this.trees[n] = node.changeTree!;
      this.places[n] = place;
      this.chunkEnd[n] = -1;
      if (place === -1) this.others.push(n);
      else if (place >= 0) {
        if (place >= this.actorTree.length) this.actorTree = grownFilled(this.actorTree, place + 1);
        this.actorTree[place] = n;
      } else {
        const owner = -2 - place;
        const list = this.ownerTrees.get(owner);
        if (list === undefined) this.ownerTrees.set(owner, [n]);
        else list.push(n);
      }
      n++;
    }
    this.count = n;
    this.split = true;
  }

  /**
   * The indices of the trees `viewer`'s pass encodes, ascending (the patch's order), in
   * `picked[0, n)`: the trees of no actor, its own owner object's, and the actors it holds.
   */
  private pick(viewer: Viewer): number {
    const n = this.count <= viewer.visible.length ? this.pickFromChanges(viewer) : this.pickFromView(viewer);
    this.skipped += this.count - n;
    return n;
  }

  /** {@link pick} over the patch's changes, testing the view's bitset: for patches with fewer changes than the view holds. */
  private pickFromChanges(viewer: Viewer): number {
    if (this.count > this.picked.length) this.picked = grownFilled(this.picked, this.count);
    const { picked, places } = this;
    const { bits, slot: own } = viewer;
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const place = places[i]!;
      if (place >= 0 && place !== own) {
        const word = place >>> 5;
        if (word >= bits.length || (bits[word]! & (1 << (place & 31))) === 0) continue;
      } else if (place < -1 && -2 - place !== own) continue;
      picked[n++] = i;
    }
    return n;
  }

  /** {@link pick} over the actors the view holds, sorted to the patch's order: for patches with more changes than the view holds. */
  private pickFromView(viewer: Viewer): number {
    const needed = this.others.length + (this.ownerTrees.get(viewer.slot)?.length ?? 0) + viewer.visible.length;
    if (needed > this.picked.length) this.picked = grownFilled(this.picked, needed);
    const { picked, actorTree } = this;
    let n = 0;
    for (const i of this.others) picked[n++] = i;
    for (const i of this.ownerTrees.get(viewer.slot) ?? NONE) picked[n++] = i;
    for (const slot of viewer.visible) {
      const i = slot < actorTree.length ? actorTree[slot]! : -1;
      if (i >= 0) picked[n++] = i;
    }
    picked.subarray(0, n).sort();
    return n;
  }

  /** {@link ViewIndex.placeOf} of the tree with refId `refId`, asked once per patch (a tree's place does not change within one). */
  private placeOfRef(refId: number, tree: ChangeTree): number {
    if (refId >= this.placeStamp.length) {
      const size = Math.max(refId + 1, this.placeStamp.length * 2);
      const stamps = new Int32Array(size);
      stamps.set(this.placeStamp);
      this.placeStamp = stamps;
      const places = new Int32Array(size);
      places.set(this.placeByRef);
      this.placeByRef = places;
    }
    if (this.placeStamp[refId] === this.patch) return this.placeByRef[refId]!;
    const place = this.index.placeOf(tree);
    this.placeStamp[refId] = this.patch;
    this.placeByRef[refId] = place;
    return place;
  }

  private grow(): void {
    const size = this.places.length * 2;
    for (const name of ["places", "chunkStart", "chunkEnd"] as const) {
      const grown = new Int32Array(size);
      grown.set(this[name]);
      this[name] = grown;
    }
  }

  /** The changes pass of the current view: written at `it.offset` in `buffer`; returns `buffer` up to the new offset, as `encode` does. */
  private encodeViewChanges(it: Iterator, view: StateView, buffer: Uint8Array): Uint8Array {
    const viewer = this.viewer!;
    const own = viewer.slot;
    const picked = this.pick(viewer);
    const root = this.internals.root;
    const all = root.changes;
    const single: ChangeList = { next: this.single, tail: this.single };
    let bytes = buffer;
    try {
      for (let k = 0; k < picked; k++) {
        const i = this.picked[k]!;
        const place = this.places[i]!;
        const shared = place >= 0 && place !== own;
        if (shared && this.chunkEnd[i]! >= 0) {
          bytes = this.copyChunk(bytes, it, i);
          continue;
        }
        const start = it.offset;
        this.single.changeTree = this.trees[i];
        root.changes = single;
        const out = this.encodeTrees(it, view, bytes);
        if (out.buffer !== bytes.buffer) bytes = new Uint8Array(out.buffer);
        if (shared) this.keepChunk(bytes, start, it.offset, i);
      }
    } finally {
      root.changes = all;
    }
    return bytes.subarray(0, it.offset);
  }

  private copyChunk(bytes: Uint8Array, it: Iterator, i: number): Uint8Array {
    const start = this.chunkStart[i]!;
    const length = this.chunkEnd[i]! - start;
    const out = it.offset + length > bytes.byteLength ? this.internals.ensureCapacity(bytes, it.offset) : bytes;
    // A moved actor's change is a few bytes: a loop beats a subarray per copy.
    const { arena } = this;
    let at = it.offset;
    for (let b = start; b < start + length; b++) out[at++] = arena[b]!;
    it.offset = at;
    this.copied++;
    return out;
  }

  private keepChunk(bytes: Uint8Array, start: number, end: number, i: number): void {
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.chunkStart[i] = this.arenaUsed;
    this.chunkEnd[i] = this.arenaUsed + length;
    this.arenaUsed += length;
  }
}

const NONE: readonly number[] = [];

/** A copy of `array` `length` long (at least), new entries −1. */
function grownFilled(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(Math.max(length, array.length * 2)).fill(-1);
  grown.set(array);
  return grown;
}
