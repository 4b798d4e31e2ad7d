/**
 * Rendered replies, cached with a TTL (issue 10 "dialogue: talk"; seed 003 §1.3's
 * `TTLCache(maxsize=1000, ttl=300)`), by lru-cache.
 *
 * The cache only memoizes a pure function (a line with its placeholders replaced), so a hit and a
 * miss give the same text: the wall-clock TTL changes what `/metrics` counts, never what the world
 * does. Keyed by genre, action, tier, line index, NPC name and player name.
 */
import { LRUCache } from "lru-cache";
import { renderLine } from "./narrative.ts";

/** Replies kept at most. */
export const REPLY_CACHE_MAX = 1000;
/** How long a rendered reply is kept, ms (seed 003 §1.3: 300 s). */
export const REPLY_CACHE_TTL_MS = 300_000;

/** One reply to render: where its line came from, which line, and the names to put in. */
export interface ReplyKey {
  readonly genre: string;
  readonly action: string;
  /** Null for untiered lines. */
  readonly tier: string | null;
  readonly index: number;
  readonly line: string;
  readonly npc: string;
  readonly player: string;
}

/** Counts the cache's answers (prom-client counters, or anything with `inc()`). */
export interface ReplyCacheCounters {
  readonly hits: { inc(): void };
  readonly misses: { inc(): void };
}

export interface ReplyCache {
  /** The rendered line: from the cache (a hit) or rendered and stored (a miss). */
  render(key: ReplyKey): string;
}

export function createReplyCache(counters: ReplyCacheCounters, options: { max?: number; ttlMs?: number } = {}): ReplyCache {
  const cache = new LRUCache<string, string>({ max: options.max ?? REPLY_CACHE_MAX, ttl: options.ttlMs ?? REPLY_CACHE_TTL_MS });
  return {
    render(key) {
      // Genre, action and tier are ids (no "|"); the NPC's name carries its length, so the text is unambiguous.
      const id = `${key.genre}|${key.action}|${key.tier ?? ""}|${key.index}|${key.npc.length}:${key.npc}|${key.player}`;
      const cached = cache.get(id);
      if (cached !== undefined) {
        counters.hits.inc();
        return cached;
      }
      counters.misses.inc();
      const rendered = renderLine(key.line, { npc: key.npc, player: key.player });
      cache.set(id, rendered);
      return rendered;
    },
  };
}
