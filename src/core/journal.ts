/**
 * The journal (seed 002, "Journal Integration"): every tick's accepted inputs and the state hash
 * after it. The core keeps a bounded window of recent entries in memory, a ring buffer; the server
 * persists every entry to SQLite (src/server/store.ts).
 */
import type { Input } from "./types.ts";

export interface JournalEntry {
  tick: number;
  inputs: Input[];
  hash: string;
}

export interface JournalWindow {
  readonly capacity: number;
  readonly ring: (JournalEntry | undefined)[];
  /** Entries ever appended. */
  count: number;
}

/** A window holding the newest `capacity` entries (a positive integer). */
export function createJournalWindow(capacity: number): JournalWindow {
  return { capacity, ring: new Array(capacity), count: 0 };
}

export function appendJournal(journal: JournalWindow, entry: JournalEntry): void {
  journal.ring[journal.count % journal.capacity] = entry;
  journal.count++;
}

/** The entries still in the window, oldest first. */
export function journalEntries(journal: JournalWindow): JournalEntry[] {
  const size = Math.min(journal.count, journal.capacity);
  const out: JournalEntry[] = [];
  for (let i = journal.count - size; i < journal.count; i++) out.push(journal.ring[i % journal.capacity]!);
  return out;
}
