/**
 * An observer of the area of interest (rooms/interest.ts): a client's view, its actor's cell, and
 * what it sees as a bitset over core slots (`Actor.slot`) and as a list of those slots.
 */
import type { StateView } from "@colyseus/schema";

export interface Observer {
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
  /** Its own actor moved this tick: its view is settled from its new cell (rooms/interest.ts). */
  moved: boolean;
}

/** True when the actor in core slot `slot` is in the view. */
export function hasBit(observer: Observer, slot: number): boolean {
  const word = slot >>> 5;
  return word < observer.bits.length && (observer.bits[word]! & (1 << (slot & 31))) !== 0;
}

/** Adds slot `slot` to the bitset, growing it as needed. */
export function setBit(observer: Observer, slot: number): void {
  const word = slot >>> 5;
  if (word >= observer.bits.length) {
    const grown = new Uint32Array(Math.max(word + 1, observer.bits.length * 2));
    grown.set(observer.bits);
    observer.bits = grown;
  }
  observer.bits[word]! |= 1 << (slot & 31);
}

/** Removes slot `slot` from the bitset. */
export function clearBit(observer: Observer, slot: number): void {
  const word = slot >>> 5;
  if (word < observer.bits.length) observer.bits[word]! &= ~(1 << (slot & 31));
}

/** Removes `slot` from `list` (swap with the last; order is not kept). */
export function removeSlot(list: number[], slot: number): void {
  const i = list.indexOf(slot);
  if (i < 0) return;
  list[i] = list[list.length - 1]!;
  list.pop();
}
