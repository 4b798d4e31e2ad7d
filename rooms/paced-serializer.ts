/**
 * Colyseus's schema serializer, with one change for join storms under patch pacing
 * (rooms/patch-pacer.ts): the shared part of a joining client's full state is encoded at most once
 * between two patches, instead of once per join.
 *
 * Stock `getFullState` re-encodes the whole shared state (`encodeAll`, a walk over every actor)
 * whenever changes are pending, which between paced patches is always: in a 2,000-client storm
 * that was about 2 ms per join. An encoding taken since the last patch stays correct: the next
 * patch carries every change since the last one, so the client ends with the current state either
 * way (it may receive a change it already holds, which the SDK applies again, as it does with the
 * stock serializer). Each client's own view part is still encoded at its join.
 *
 * Given a {@link ViewIndex} ({@link filterViews}), each client's view pass walks only the changed
 * trees its view may hold, and copies an actor's changes encoded for an earlier view
 * (rooms/view-changes.ts), instead of checking and encoding every changed tree for every view; and
 * a joining client's full state walks only the actors its view holds, instead of every actor (its
 * shared part, none: rooms/full-state-walks.ts).
 *
 * Two maps are renewed each patch instead of cleared: each view's `changes` (the stock
 * `encodeView` clears it after encoding) and the stock serializer's `encodedViews`. V8 allocates a
 * Map's new hash table, on `clear()` and whenever it grows or shrinks, in the generation of its
 * current table; a Map that lives as long as its client is in the old generation, so every table it
 * took each patch was old-generation garbage that only a major GC frees. A map made after the
 * patch is young, and so are the tables it takes until the next patch replaces it. Soak of 200
 * clients (issue 12, `--trace-gc`): the old generation grew 2.1 MB/s between major GCs before,
 * 0.3–0.7 MB/s after, and V8's heap total stayed at 90 MB instead of climbing to 190 MB.
 */
import { SchemaSerializer, type Client } from "@colyseus/core";
import type { Schema, StateView } from "@colyseus/schema";
import { FullStateWalks } from "./full-state-walks.ts";
import { ViewChanges, type ViewIndex } from "./view-changes.ts";

/** What the stock serializer keeps for its full-state cache (fields of @colyseus/core 0.18's SchemaSerializer). */
interface FullStateCache {
  needFullEncode: boolean;
  hasFilters: boolean;
  fullEncodeCache: Uint8Array;
  fullEncodeBuffer: Uint8Array;
  sharedOffsetCache: { offset: number };
}

/** The stock serializer's per-patch map of each view's encoding (a field of @colyseus/core 0.18's SchemaSerializer). */
interface EncodedViews {
  encodedViews: Map<object, Uint8Array>;
}

export class PacedSchemaSerializer<T extends Schema> extends SchemaSerializer<T> {
  /** The shared full-state encoding was taken since the last patch. */
  private sharedSincePatch = false;
  private index: ViewIndex | undefined;
  private viewChanges: ViewChanges | undefined;
  private fullStates: FullStateWalks | undefined;

  /** Trees the view passes left out so far (0 without {@link filterViews}). */
  get skippedTrees(): number {
    return this.viewChanges?.skipped ?? 0;
  }

  /** Actor trees the view passes copied from an earlier view's encoding so far. */
  get copiedTrees(): number {
    return this.viewChanges?.copied ?? 0;
  }

  /** Joining clients' full states encoded over the actors their view holds only, so far. */
  get heldWalks(): number {
    return this.fullStates?.heldWalks ?? 0;
  }

  /** From now on, each view's pass is rooms/view-changes.ts's, over what `index` says each view holds. */
  filterViews(index: ViewIndex): void {
    this.index = index;
    this.installFilter();
  }

  override reset(state: T): void {
    super.reset(state);
    this.renewViewChanges();
    this.installFilter();
  }

  /** Wraps this encoder's `encodeView`: once a view's pass has cleared its `changes`, the view gets a new map (see the header). */
  private renewViewChanges(): void {
    const encoder = this.encoder as typeof this.encoder | undefined;
    if (encoder === undefined) return;
    const encodeView = encoder.encodeView.bind(encoder);
    encoder.encodeView = (view: StateView, ...rest) => {
      const bytes = encodeView(view, ...rest);
      if (view.changes.size === 0) view.changes = new Map();
      return bytes;
    };
  }

  /** Wraps this encoder's `encodeView` (the stock `applyPatches` calls it once per client). */
  private installFilter(): void {
    const encoder = this.encoder as typeof this.encoder | undefined;
    if (this.index === undefined || encoder === undefined) return;
    const changes = new ViewChanges(encoder, this.index);
    this.viewChanges = changes;
    const encodeView = encoder.encodeView.bind(encoder);
    encoder.encodeView = (view: StateView, sharedOffset: number, ...rest) => changes.withChangesOf(view, () => encodeView(view, sharedOffset, ...rest));
    const encodeAllView = encoder.encodeAllView.bind(encoder);
    const fullStates = new FullStateWalks(encoder, this.index);
    this.fullStates = fullStates;
    encoder.encodeAllView = (view: StateView, sharedOffset: number, ...rest) => fullStates.withHeldActorsOf(view, () => encodeAllView(view, sharedOffset, ...rest));
    const encodeAll = encoder.encodeAll.bind(encoder);
    encoder.encodeAll = (...args) => fullStates.withoutActors(() => encodeAll(...args));
  }

  override getFullState(client?: Client, timing?: { sNow: number }): Uint8Array {
    const cache = this as unknown as FullStateCache;
    if (!this.sharedSincePatch || cache.needFullEncode || timing !== undefined || !cache.hasFilters || client?.view === undefined) {
      const body = super.getFullState(client, timing);
      this.sharedSincePatch = true;
      return body;
    }
    const offset = cache.sharedOffsetCache.offset;
    return this.encoder.encodeAllView(client.view, offset, { offset }, cache.fullEncodeBuffer);
  }

  override applyPatches(...args: Parameters<SchemaSerializer<T>["applyPatches"]>): boolean {
    this.sharedSincePatch = false;
    (this as unknown as EncodedViews).encodedViews = new Map(); // young, unlike a cleared long-lived one (see the header)
    this.viewChanges?.reset(); // a split is only ever of this patch's changes
    try {
      return super.applyPatches(...args);
    } finally {
      this.viewChanges?.reset();
    }
  }
}
