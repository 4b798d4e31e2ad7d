/**
 * What a world room does with an exception thrown in one of its message handlers, hooks, ticks or
 * timers (issue 8 §1). Colyseus 0.18 ends the whole process on an exception that escapes a room
 * (its graceful shutdown on `uncaughtException`), so every room defines `onUncaughtException`;
 * Colyseus then wraps each handler, hook, fixed step and clock timer in a try/catch that reports
 * here instead (node_modules/@colyseus/core: `wrapTryCatch`, `RoomMessages#wrapMessageHandler`).
 *
 * Here a fault is:
 * - logged once per interval and kind (method, message type, first line of the error), with its
 *   context: room, world, client session id, message type — never the payload;
 * - answered, when a client's message caused it, with `error { code: "internal" }`: the message was
 *   dropped and the client stays connected (the flood limit still bounds how often it can try);
 * - otherwise swallowed: the room keeps ticking.
 * A `ServerError` thrown on purpose (a refused join) is not a fault: Colyseus hands it to the client.
 */
import { OnMessageException, ServerError, type Client, type RoomException, type RoomMethodName } from "@colyseus/core";
import { makeError } from "../src/errors.ts";
import { firstLine, type LogLimiter } from "../src/server/log-limiter.ts";
import { describeMessageType } from "../src/server/protocol.ts";

export interface FaultContext {
  roomId: string;
  worldId: string;
  faults: LogLimiter;
}

/** Logs a room fault and tells the client whose message caused it. Never throws. */
export function handleRoomFault(context: FaultContext, error: RoomException, method: RoomMethodName): void {
  const cause: unknown = error.cause ?? error;
  if (cause instanceof ServerError) return;
  const client = clientOf(error);
  const type = error instanceof OnMessageException ? describeMessageType(error.type) : undefined;
  const problem = firstLine(cause);
  context.faults.log(
    "error",
    `room-fault:${context.roomId}:${method}:${type ?? ""}:${problem}`,
    { room: context.roomId, world: context.worldId, method, client: client?.sessionId, type, err: cause },
    `fault in ${method}${type === undefined ? "" : ` (message ${type})`}: ${problem}; the room keeps running`,
  );
  if (client && type !== undefined) {
    try {
      client.send("error", makeError("internal", `the server failed to handle message ${type}; it was dropped and nothing changed`));
    } catch {
      // The connection is already closing: nothing to tell.
    }
  }
}

function clientOf(error: RoomException): Client | undefined {
  const client = (error as { client?: unknown }).client;
  return client !== null && typeof client === "object" && "sessionId" in client ? (client as Client) : undefined;
}
