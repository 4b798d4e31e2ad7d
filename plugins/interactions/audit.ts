/**
 * The interaction audit (issue 10 "Audit"): every attempt, accepted or refused, in
 * `interactions_audit` (time, tick, world, session, actor, target, slot, payload cut to 1 KB,
 * verdict, code), and each executed attempt's result in `interactions_results`. The tables are the
 * plugin's own (storage migrations; the host requires the `interactions_` prefix, so the issue's
 * `interaction_audit` is `interactions_audit` here).
 *
 * Rows are buffered and written in one transaction per event-loop turn, after the tick, so a tick
 * with a thousand interactions costs one commit, never a write inside the tick.
 */
import type { World } from "../../src/core/index.ts";
import type { PluginStorage } from "../../src/plugins/api.ts";
import type { InteractionEvent } from "./dispatcher.ts";

/** Rows per multi-row INSERT statement (12 columns × 64 = 768 parameters, well under SQLite's limit). */
const BATCH_ROWS = 64;

/** Payloads are stored cut to this many bytes (UTF-8). */
export const AUDIT_PAYLOAD_BYTES = 1024;

export interface Audit {
  /** An attempt refused at the edge (before any tick). */
  attempt(row: { world: World; sessionId: string | undefined; actorId: string; payload: unknown; verdict: "refused"; code: string }): void;
  /** An attempt that ran in tick `tick`: its verdict, and its result when executed. */
  outcome(row: { world: World; tick: number; sessionId: string | undefined; event: InteractionEvent }): void;
  /** Writes what is buffered now (tests; shutdown). */
  flush(): void;
}

const MIGRATIONS = [
  {
    name: "0001-audit-and-results",
    up: `CREATE TABLE interactions_audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at TEXT NOT NULL, tick INTEGER NOT NULL, world_id TEXT NOT NULL, session_id TEXT, actor_id TEXT NOT NULL,
      target_id TEXT, slot_id TEXT, interaction_id TEXT, source TEXT NOT NULL, payload TEXT NOT NULL, verdict TEXT NOT NULL, code TEXT
    );
    CREATE INDEX interactions_audit_world_tick ON interactions_audit (world_id, tick);
    CREATE TABLE interactions_results (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at TEXT NOT NULL, tick INTEGER NOT NULL, world_id TEXT NOT NULL, session_id TEXT, actor_id TEXT NOT NULL,
      target_id TEXT NOT NULL, slot_id TEXT NOT NULL, interaction_id TEXT NOT NULL, success INTEGER NOT NULL, message TEXT NOT NULL, effects TEXT NOT NULL
    );`,
    down: "DROP TABLE interactions_results; DROP TABLE interactions_audit;",
  },
] as const;

/** The payload as stored: its JSON (or a description when it has none), cut to {@link AUDIT_PAYLOAD_BYTES}. */
export function auditPayload(payload: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(payload) ?? String(typeof payload);
  } catch {
    text = `(${typeof payload}, not JSON)`;
  }
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts need no encoding to know they fit.
  if (text.length * 3 <= AUDIT_PAYLOAD_BYTES) return text;
  const bytes = Buffer.from(text, "utf8");
  return bytes.length <= AUDIT_PAYLOAD_BYTES ? text : bytes.subarray(0, AUDIT_PAYLOAD_BYTES).toString("utf8").replace(/\uFFFD$/, "");
}

export async function createAudit(storage: PluginStorage): Promise<Audit> {
  await storage.migrate(MIGRATIONS);
  const auditColumns = "at, tick, world_id, session_id, actor_id, target_id, slot_id, interaction_id, source, payload, verdict, code";
  const resultColumns = "at, tick, world_id, session_id, actor_id, target_id, slot_id, interaction_id, success, message, effects";
  const inserts = (table: string, columns: string, width: number) => {
    const row = `(${Array(width).fill("?").join(", ")})`;
    return {
      one: storage.db.prepare(`INSERT INTO ${table} (${columns}) VALUES ${row}`),
      many: storage.db.prepare(`INSERT INTO ${table} (${columns}) VALUES ${Array(BATCH_ROWS).fill(row).join(", ")}`),
      width,
    };
  };
  const audit = inserts("interactions_audit", auditColumns, 12);
  const result = inserts("interactions_results", resultColumns, 11);
  // Entries in arrival order; an outcome's rows are built at the flush, after the tick, so the
  // tick pays one push per attempt.
  type Entry = { row: unknown[] } | { at: string; worldId: string; tick: number; sessionId: string | undefined; event: InteractionEvent };
  let pending: Entry[] = [];
  let scheduled = false;
  // One timestamp per event-loop turn (a tick's rows share it): `new Date().toISOString()` per row
  // would cost more than the row.
  let stamp: string | undefined;
  const now = (): string => (stamp ??= new Date().toISOString());
  /** Inserts flat rows `BATCH_ROWS` at a time (one statement each), the rest one by one. */
  const insertAll = (target: typeof audit, values: unknown[]): void => {
    const rows = values.length / target.width;
    const batched = rows - (rows % BATCH_ROWS);
    const step = BATCH_ROWS * target.width;
    for (let at = 0; at < batched * target.width; at += step) target.many.run(values.slice(at, at + step));
    for (let at = batched * target.width; at < values.length; at += target.width) target.one.run(values.slice(at, at + target.width));
  };
  const write = storage.db.transaction((entries: readonly Entry[]) => {
    const audits: unknown[] = [];
    const results: unknown[] = [];
    for (const entry of entries) {
      if ("row" in entry) {
        audits.push(...entry.row);
        continue;
      }
      const { at, worldId, tick, sessionId, event } = entry;
      const session = sessionId ?? null;
      const slot = event.slotId ?? null;
      const interaction = event.interactionId ?? null;
      const payload = auditPayload(event.payload);
      audits.push(at, tick, worldId, session, event.actorId, event.targetId, slot, interaction, event.source, payload, event.verdict, event.code ?? null);
      if (event.verdict === "executed") results.push(at, tick, worldId, session, event.actorId, event.targetId, slot, interaction, event.success ? 1 : 0, event.message, JSON.stringify(event.effects));
    }
    insertAll(audit, audits);
    insertAll(result, results);
  });
  const flush = (): void => {
    scheduled = false;
    stamp = undefined;
    if (pending.length === 0) return;
    const entries = pending;
    pending = [];
    // A server shutting down closes the database after the plugins' onDisable flushed; rows
    // buffered after that have nowhere to go.
    if (storage.db.open) write(entries);
  };
  const later = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  return {
    attempt({ world, sessionId, actorId, payload, verdict, code }) {
      const p = (typeof payload === "object" && payload !== null ? payload : {}) as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === "string" ? v.slice(0, 64) : null);
      pending.push({ row: [now(), world.tick, world.id, sessionId ?? null, actorId, text(p["targetId"]), text(p["slotId"]), text(p["interactionId"]), "client", auditPayload(payload), verdict, code] });
      later();
    },
    outcome({ world, tick, sessionId, event }) {
      pending.push({ at: now(), worldId: world.id, tick, sessionId, event });
      later();
    },
    flush,
  };
}
