/**
 * Typed messages over an SDK room, from the server's own protocol module (src/wire.ts), and the
 * synced state's types from the room's schema (rooms/schema.ts): nothing re-declared here.
 */
import type { Room } from "@colyseus/sdk";
import type { ActorState, WorldState } from "../../../rooms/schema.ts";
import type { ClientMessages, ServerMessages } from "../../wire.ts";

export { publicTierOf } from "../../wire.ts";

export type { ActorState, WorldState };

/** Registers a handler of server message `type`; returns its remover. */
export function onServer<K extends keyof ServerMessages>(room: Room, type: K, handler: (message: ServerMessages[K]) => void): () => void {
  return room.onMessage(type, handler as (payload: unknown) => void);
}

/** Sends client message `type`. */
export function sendClient<K extends keyof ClientMessages>(room: Room, type: K, payload: ClientMessages[K]): void {
  room.send(type, payload);
}

