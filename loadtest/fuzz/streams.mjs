// The fuzzer's message streams: one per channel ("sdk": items for room.send/room.request, "raw":
// raw WebSocket frames), each a seeded generator with a quota of frames. Items are drawn lazily,
// when a client is ready to send, but the sequence of a stream depends only on (seed, channel,
// quota): timing decides which client sends an item, never what the items are. Each stream keeps
// a SHA-256 digest of what it produced and counts per category, so two runs with the same seed can
// be compared (`--dry-run` prints both without a server).
import { createHash } from "node:crypto";
import { pack } from "msgpackr";
import { nextRawItem } from "./frames.mjs";
import { nextSdkItem } from "./payloads.mjs";
import { createRng } from "./rng.mjs";

const CHANNELS = { sdk: { stream: 1, next: nextSdkItem }, raw: { stream: 2, next: nextRawItem } };

/** Splits a frame count over the channels: the SDK gets `sdkShare` of it (rounded), raw the rest. */
export function splitQuota(count, sdkShare) {
  const sdk = Math.round(count * sdkShare);
  return { sdk, raw: count - sdk };
}

/**
 * A stream for one channel. Returns { channel, quota, take() → item | undefined (quota reached),
 * produced (frames so far), byCategory: { name: frames }, digest() → hex }. An item's `frames` is
 * how many frames it sends (1, or more for a flood; the last item is cut to the quota).
 */
export function createStream({ seed, channel, quota }) {
  const { stream, next } = CHANNELS[channel];
  const rng = createRng(seed, stream);
  const hash = createHash("sha256");
  const byCategory = {};
  let produced = 0;
  return {
    channel,
    quota,
    byCategory,
    get produced() {
      return produced;
    },
    take() {
      if (produced >= quota) return undefined;
      const item = next(rng);
      item.frames = Math.min(item.frames ?? 1, quota - produced);
      produced += item.frames;
      byCategory[item.category] = (byCategory[item.category] ?? 0) + item.frames;
      hash.update(fingerprint(item));
      return item;
    },
    digest: () => hash.copy().digest("hex").slice(0, 16),
  };
}

/** The bytes an item stands for: raw bytes, or the SDK item packed with msgpackr. */
function fingerprint(item) {
  if (item.bytes !== undefined) return Buffer.isBuffer(item.bytes) ? item.bytes : Buffer.from(`text:${item.bytes}`);
  try {
    return pack([item.category, item.type, item.payload, item.frames, item.request === true]);
  } catch (e) {
    return Buffer.from(`${item.category}:unpackable:${e?.message}`);
  }
}
