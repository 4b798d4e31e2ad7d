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
  const bytes = Buffer.from(text, "utf8");
  return bytes.length <= AUDIT_PAYLOAD_BYTES ? text : bytes.subarray(0, AUDIT_PAYLOAD_BYTES).toString("utf8").replace(/\uFFFD$/, "");
}

export async function createAudit(storage: PluginStorage): Promise<Audit> {
  await storage.migrate(MIGRATIONS);
  const insertAudit = storage.db.prepare(
    `INSERT INTO interactions_audit (at, tick, world_id, session_id, actor_id, target_id, slot_id, interaction_id, source, payload, verdict, code)
     VALUES (@at, @tick, @world, @session, @actor, @target, @slot, @interaction, @source, @payload, @verdict, @code)`,
  );
  const insertResult = storage.db.prepare(
    `INSERT INTO interactions_results (at, tick, world_id, session_id, actor_id, target_id, slot_id, interaction_id, success, message, effects)
     VALUES (@at, @tick, @world, @session, @actor, @target, @slot, @interaction, @success, @message, @effects)`,
  );
  let audits: Record<string, unknown>[] = [];
  let results: Record<string, unknown>[] = [];
  let scheduled = false;
  const write = storage.db.transaction((a: Record<string, unknown>[], r: Record<string, unknown>[]) => {
    for (const row of a) insertAudit.run(row);
    for (const row of r) insertResult.run(row);
  });
  const flush = (): void => {
    scheduled = false;
    if (audits.length === 0 && results.length === 0) return;
    const [a, r] = [audits, results];
    audits = [];
    results = [];
    // A server shutting down closes the database after the plugins' onDisable flushed; rows
    // buffered after that have nowhere to go.
    if (storage.db.open) write(a, r);
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
      audits.push({ at: new Date().toISOString(), tick: world.tick, world: world.id, session: sessionId ?? null, actor: actorId, target: text(p["targetId"]), slot: text(p["slotId"]), interaction: text(p["interactionId"]), source: "client", payload: auditPayload(payload), verdict, code });
      later();
    },
    outcome({ world, tick, sessionId, event }) {
      const at = new Date().toISOString();
      const common = { at, tick, world: world.id, session: sessionId ?? null, actor: event.actorId, target: event.targetId, slot: event.slotId ?? null, interaction: event.interactionId ?? null };
      const payload = { targetId: event.targetId, ...(event.slotId !== undefined ? { slotId: event.slotId } : {}), ...(event.interactionId !== undefined ? { interactionId: event.interactionId } : {}) };
      audits.push({ ...common, source: event.source, payload: auditPayload(payload), verdict: event.verdict, code: event.code ?? null });
      if (event.verdict === "executed") results.push({ ...common, success: event.success ? 1 : 0, message: event.message, effects: JSON.stringify(event.effects) });
      later();
    },
    flush,
  };
}
