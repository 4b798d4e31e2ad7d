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
 */
import { SchemaSerializer, type Client } from "@colyseus/core";
import type { Schema } from "@colyseus/schema";

/** What the stock serializer keeps for its full-state cache (fields of @colyseus/core 0.18's SchemaSerializer). */
interface FullStateCache {
  needFullEncode: boolean;
  hasFilters: boolean;
  fullEncodeCache: Uint8Array;
  fullEncodeBuffer: Uint8Array;
  sharedOffsetCache: { offset: number };
}

export class PacedSchemaSerializer<T extends Schema> extends SchemaSerializer<T> {
  /** The shared full-state encoding was taken since the last patch. */
  private sharedSincePatch = false;

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
    return super.applyPatches(...args);
  }
}
