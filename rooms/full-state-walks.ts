/**
 * A joining client's full state, walked over what its view can hold (issue 11 §2, join storms).
 *
 * @colyseus/schema's `encodeAllView` (a client's part of a full state) walks every tree of the
 * state and every entry of the actors map and asks the view about each, and `encodeAll` (the part
 * every client gets) walks them all too, though it emits nothing under a view-filtered map: about
 * 2 ms per join with 3,000 actors, 14 ms with 10,000, most of a join storm's cost. For the length of
 * one such call, the actors map is given only the entries the view holds (or none), by swapping its
 * entries and index table: a view sees no tree under an actor it does not hold, so the walk emits
 * the same bytes, the map's entries in their index order, then each held actor's tree and the trees
 * under it. What reaches a client is byte for byte the stock full state
 * (test/rooms/view-changes.test.ts).
 */
import { $changes, type ChangeTree, type Encoder, type Schema, type StateView } from "@colyseus/schema";
import type { ViewIndex } from "./view-changes.ts";

/** What a map keeps that a full state's walk reads (@colyseus/schema 5's MapSchema and MapJournal). */
interface MapInternals {
  $items: Map<string, Schema>;
  journal: { keyByIndex: Map<number, string>; indexByKey: Record<string, number> };
  [$changes]: ChangeTree;
}

/** What the encoder keeps that these walks read: filter refreshes it drains inside a walk. */
interface EncoderInternals {
  root: { pendingFilterRefresh: unknown[] };
}

export class FullStateWalks {
  /** Full states encoded over the held actors only ({@link withHeldActorsOf}) so far. */
  heldWalks = 0;
  private readonly internals: EncoderInternals;

  constructor(
    encoder: Encoder<Schema>,
    private readonly index: ViewIndex,
  ) {
    this.internals = encoder as unknown as EncoderInternals;
  }

  /**
   * Runs `encode` (one `encodeAllView` of `view`: a joining client's part of its full state) with
   * the actors map holding, for the length of the call, only the actors `view` holds. Falls back to
   * the stock walk for a view the area of interest does not know, and while the encoder has filter
   * refreshes pending (it drains them inside the walk).
   */
  withHeldActorsOf<R>(view: StateView, encode: () => R): R {
    const viewer = this.index.viewerOf(view);
    if (viewer === undefined || this.internals.root.pendingFilterRefresh.length > 0) return encode();
    const map = this.index.actors as unknown as MapInternals;
    const held: [index: number, key: string, state: Schema][] = [];
    for (const slot of viewer.visible) {
      const state = this.index.stateAt(slot);
      if (state === undefined || map.$items.get(state.id) !== state) continue;
      const index = map.journal.indexByKey[state.id];
      if (index !== undefined) held.push([index, state.id, state]);
    }
    held.sort((a, b) => a[0] - b[0]);
    const keyByIndex = new Map<number, string>();
    const items = new Map<string, Schema>();
    for (const [index, key, state] of held) {
      keyByIndex.set(index, key);
      items.set(key, state);
    }
    this.heldWalks++;
    return withEntries(map, items, keyByIndex, encode);
  }

  /**
   * Runs `encode` (one `encodeAll`: the part of a full state every client gets) with the actors map
   * empty for the length of the call, when the map is view-filtered: such a pass emits nothing from
   * it or from any tree under it, and the stock walk would visit every actor to learn that.
   */
  withoutActors<R>(encode: () => R): R {
    const map = this.index.actors as unknown as MapInternals;
    if (!map[$changes].isFiltered || this.internals.root.pendingFilterRefresh.length > 0) return encode();
    return withEntries(map, new Map(), new Map(), encode);
  }
}

/** Runs `encode` with `map` holding `items` under `keyByIndex` (its wire indexes), then puts its own entries back. */
function withEntries<R>(map: MapInternals, items: Map<string, Schema>, keyByIndex: Map<number, string>, encode: () => R): R {
  const { $items, journal } = map;
  const all = journal.keyByIndex;
  map.$items = items;
  journal.keyByIndex = keyByIndex;
  try {
    return encode();
  } finally {
    map.$items = $items;
    journal.keyByIndex = all;
  }
}
