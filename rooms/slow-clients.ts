/**
 * Slow clients (issue 11 §4): a client that stops reading, or reads slower than its world changes,
 * must not grow the server's memory without bound. After every tick's patch the room checks each
 * client's WebSocket send queue (`bufferedAmount`: bytes written but not yet taken by the kernel,
 * which first absorbs a few MB per socket on its own); past `SEND_QUEUE_LIMIT` the client is closed
 * with {@link CLOSE_CODES.slowClient} (4005). The close frame waits behind the unread data, so the
 * socket is cut {@link CUT_AFTER_MS} later whatever the client does; either way Colyseus's leave
 * path runs (the actor leaves, the session is saved).
 */
import type { Client } from "@colyseus/core";
import { CLOSE_CODES } from "../src/errors.ts";

/** How long a closed slow client keeps its socket to take the close frame, ms. */
export const CUT_AFTER_MS = 2_000;

/** What the guard reads and calls on a Colyseus WebSocket client's socket (`ws`). */
interface SocketLike {
  readonly bufferedAmount?: number;
  terminate?(): void;
}

export interface SlowClientDrop {
  readonly sessionId: string;
  /** The send queue when the client was dropped, bytes. */
  readonly queuedBytes: number;
}

/**
 * Closes every client of `clients` whose send queue passes `limitBytes`; returns those dropped
 * (each once: a client already closing is skipped).
 */
export function dropSlowClients(clients: Iterable<Client>, limitBytes: number, dropping: WeakSet<Client>): SlowClientDrop[] {
  const dropped: SlowClientDrop[] = [];
  for (const client of clients) {
    const socket = client.ref as SocketLike | undefined;
    const queuedBytes = socket?.bufferedAmount ?? 0;
    if (queuedBytes <= limitBytes || dropping.has(client)) continue;
    dropping.add(client);
    client.leave(CLOSE_CODES.slowClient, `send queue ${queuedBytes} B passed the limit of ${limitBytes} B`);
    setTimeout(() => socket?.terminate?.(), CUT_AFTER_MS).unref();
    dropped.push({ sessionId: client.sessionId, queuedBytes });
  }
  return dropped;
}
