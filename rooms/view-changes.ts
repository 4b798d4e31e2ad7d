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
 * What reaches a client is byte for byte what the stock pass sends (test/rooms/view-changes.test.ts).
 */
import type { ChangeTree, Encoder, Iterator, Schema, StateView } from "@colyseus/schema";

/** A client's view as the area of interest keeps it. */
export interface Viewer {
  /** Bit s set = the actor in core slot s is in the view. */
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
      this.trees[n] = node.changeTree!;
      this.places[n] = this.index.placeOf(node.changeTree!);
      this.chunkEnd[n] = -1;
      n++;
    }
    this.count = n;
    this.split = true;
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
    const { bits, slot: own } = this.viewer!;
    const root = this.internals.root;
    const all = root.changes;
    const single: ChangeList = { next: this.single, tail: this.single };
    let bytes = buffer;
    try {
      for (let i = 0; i < this.count; i++) {
        const place = this.places[i]!;
        const actor = place >= 0 ? place : -2 - place;
        if (place !== -1 && actor !== own) {
          const word = actor >>> 5;
          if (place < -1 || word >= bits.length || (bits[word]! & (1 << (actor & 31))) === 0) {
            this.skipped++;
            continue;
          }
        }
        const shared = place >= 0 && actor !== own;
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
    out.set(this.arena.subarray(start, start + length), it.offset);
    it.offset += length;
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
