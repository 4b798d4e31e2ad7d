// What the fuzzer counts, shared by every client it runs: frames sent, the server's answers (close
// codes, `error` replies by code, request outcomes), joins, and the last items sent (to name the
// suspects when the server goes down).

const RECENT = 24;

/**
 * A fresh tally: { sent, sentBy: { sdk, raw }, downMs: { sdk, raw } (time hostile clients spent
 * rejoining, summed over clients), closes: { code: n }, errors: { code: n },
 * responses: { outcome: n }, sendThrew: { message: n }, joins: { ok, refused: { code: n },
 * failed: { code: n } }, clientLogs: { line: n }, recent: [{ atMs, slot, channel, item }] }.
 * `refused` holds joins meant to be refused (hostile options, a full world); `failed` holds
 * ordinary joins that did not make it.
 */
export function createTally() {
  return { sent: 0, sentBy: { sdk: 0, raw: 0 }, downMs: { sdk: 0, raw: 0 }, closes: {}, errors: {}, responses: {}, sendThrew: {}, joins: { ok: 0, refused: {}, failed: {} }, clientLogs: {}, recent: [] };
}

/** Adds n to map[key]. */
export function bump(map, key, n = 1) {
  map[key] = (map[key] ?? 0) + n;
}

/** Sum of a { key: n } map. */
export function total(map) {
  return Object.values(map).reduce((sum, n) => sum + n, 0);
}

/** Records an item as sent (for the crash report, the last RECENT items are kept). */
export function noteSent(tally, { slot, channel, item, startedAt }) {
  tally.sent += item.frames ?? 1;
  tally.sentBy[channel] += item.frames ?? 1;
  tally.recent.push({ atMs: Math.round(performance.now() - startedAt), slot, channel, item });
  if (tally.recent.length > RECENT) tally.recent.shift();
}

/** One line describing an item: category, type and a preview of the payload or the bytes. */
export function describeItem(item) {
  if (item.bytes !== undefined) {
    const bytes = typeof item.bytes === "string" ? `text ${JSON.stringify(item.bytes.slice(0, 40))}` : `${item.bytes.length} bytes ${item.bytes.subarray(0, 24).toString("hex")}${item.bytes.length > 24 ? "…" : ""}`;
    return `${item.category}: ${bytes}`;
  }
  const how = item.request ? "room.request" : item.frames > 1 ? `${item.frames}× room.send` : "room.send";
  return `${item.category}: ${how}(${preview(item.type)}, ${preview(item.payload)})`;
}

/** A short, never-throwing rendering of a hostile value. */
export function preview(value, depth = 0) {
  try {
    if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…(${value.length})` : value);
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "number" || typeof value === "boolean" || value == null) return Object.is(value, -0) ? "-0" : String(value);
    if (value instanceof Uint8Array) return `<${value.length} bytes>`;
    if (value instanceof Date) return "Date";
    if (depth > 2) return Array.isArray(value) ? "[…]" : "{…}";
    if (Array.isArray(value)) return `[${value.slice(0, 4).map((v) => preview(v, depth + 1)).join(", ")}${value.length > 4 ? `, …(${value.length})` : ""}]`;
    const keys = Object.keys(value);
    return `{ ${keys.slice(0, 4).map((k) => `${JSON.stringify(k)}: ${preview(value[k], depth + 1)}`).join(", ")}${keys.length > 4 ? ", …" : ""} }`;
  } catch {
    return "(unprintable)";
  }
}

/** `{ a: 2, b: 1 }` → "a 2, b 1" (largest first); "none" when empty. */
export function formatCounts(map) {
  const entries = Object.entries(map).sort((x, y) => y[1] - x[1]);
  return entries.length === 0 ? "none" : entries.map(([k, n]) => `${k} ${n}`).join(", ");
}
