/**
 * Per-view change lists for the patch's view pass (issue 11 §1, "schema's per-view pass over every
 * changed tree").
 *
 * @colyseus/schema's `encodeView` walks every changed tree of the patch for every client and asks
 * the view whether it sees each one: with 1,500 clients and 2,500 moved actors that is 3.75 million
 * visibility checks per patch, the largest single cost of a crowded room. Arbiter already knows, as
 * a bitset over core slots per client (rooms/observer.ts), which actors each view holds. So once per
 * patch the changed trees are listed with the core slot of the actor each one is (−1 for any other
 * tree: the world, the actors map, owner objects, the clock), and each view's pass walks a list
 * holding the other trees and the actors whose bit is set, in the original order.
 *
 * What reaches a client is byte for byte what the stock pass sends (test/rooms/view-changes.test.ts):
 * a tree is left out only when it is an actor the view does not hold, which the stock pass skips
 * too; everything else still goes through the view's own visibility check.
 */
import type { ChangeTree, Encoder, Schema, StateView } from "@colyseus/schema";

/** Which trees are actors, and which actors a view holds. */
export interface ViewIndex {
  /** The core slot of the actor whose synced state `ref` is, or −1 for any other tree. */
  slotOf(ref: unknown): number;
  /** The view's actors as a bitset over core slots (bit s = slot s), or undefined to send it every change. */
  bitsOf(view: StateView): Uint32Array | undefined;
}

interface Node {
  changeTree: ChangeTree;
  next: Node | undefined;
}

type ChangeList = { next?: Node; tail?: Node };

export class ViewChanges {
  private trees: ChangeTree[] = [];
  private slots = new Int32Array(1024);
  private count = 0;
  /** The split is of the changes pending now; cleared when a patch is done. */
  private split = false;
  private readonly pool: Node[] = [];
  /** Actor trees left out of view passes so far (each would have cost the stock pass a visibility check). */
  skipped = 0;

  constructor(
    private readonly encoder: Encoder<Schema>,
    private readonly index: ViewIndex,
  ) {}

  /** Forgets the split: the next view pass lists the pending changes anew. Call after each patch. */
  reset(): void {
    this.split = false;
    this.trees.length = 0;
    this.count = 0;
  }

  /**
   * Runs `encode` (one `encodeView` of `view`) over only the changed trees `view` may hold. Views
   * without a bitset get every change.
   */
  withChangesOf<R>(view: StateView, encode: () => R): R {
    const bits = this.index.bitsOf(view);
    if (bits === undefined) return encode();
    if (!this.split) this.splitChanges();
    const root = this.encoder.root as unknown as { changes: ChangeList };
    const all = root.changes;
    root.changes = this.listFor(bits);
    try {
      return encode();
    } finally {
      root.changes = all;
    }
  }

  private splitChanges(): void {
    const root = this.encoder.root as unknown as { changes: ChangeList };
    let n = 0;
    for (let node = root.changes.next; node !== undefined; node = node.next) {
      if (n === this.slots.length) {
        const grown = new Int32Array(n * 2);
        grown.set(this.slots);
        this.slots = grown;
      }
      this.trees[n] = node.changeTree;
      this.slots[n] = this.index.slotOf(node.changeTree.ref);
      n++;
    }
    this.count = n;
    this.split = true;
  }

  /** A list of the non-actor trees and the actors set in `bits`, in the patch's order (nodes reused). */
  private listFor(bits: Uint32Array): ChangeList {
    const { trees, slots, pool } = this;
    const head: ChangeList = {};
    let tail: Node | undefined;
    let used = 0;
    for (let i = 0; i < this.count; i++) {
      const slot = slots[i]!;
      if (slot >= 0) {
        const word = slot >>> 5;
        if (word >= bits.length || (bits[word]! & (1 << (slot & 31))) === 0) {
          this.skipped++;
          continue;
        }
      }
      let node = pool[used];
      if (node === undefined) pool.push((node = { changeTree: trees[i]!, next: undefined }));
      node.changeTree = trees[i]!;
      node.next = undefined;
      used++;
      if (tail === undefined) head.next = node;
      else tail.next = node;
      tail = node;
    }
    head.tail = tail;
    return head;
  }
}
