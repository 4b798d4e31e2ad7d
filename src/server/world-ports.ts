/**
 * The typed port to a world wherever it runs (issue 14). HTTP routes and tools ask
 * {@link worldPortOf} for a world's port: a world running in this process answers through its
 * runtime (world-runtime.ts `WorldPort`); one running in another process answers through a remote
 * call to the room that hosts it, over Colyseus's presence (`matchMaker.remoteRoomCall` to the
 * room's {@link PORT_ENTRY}, which runs {@link answerPortRequest}), with the same results and
 * error codes; a world no room hosts has no port (the caller reads its stored snapshot).
 *
 * A request names a port method and its arguments as a typed pair ({@link PortRequest}), so a
 * method that does not exist, or wrong arguments, fail to compile; results travel as JSON.
 */
import { matchMaker } from "@colyseus/core";
import type { WorldPort } from "./world-runtime.ts";

export type PortMethod = Exclude<keyof WorldPort, "worldId">;

/** One call of a port method with its arguments. */
export type PortRequest = { [K in PortMethod]: { method: K; args: Parameters<WorldPort[K]> } }[PortMethod];

/** A port whose every method answers asynchronously: what a world in another process can offer. */
export type AsyncWorldPort = { readonly worldId: string; readonly remote: boolean } & {
  [K in PortMethod]: (...args: Parameters<WorldPort[K]>) => Promise<Awaited<ReturnType<WorldPort[K]>>>;
};

/** The world room's method that answers port requests from other processes (rooms/world-room.ts). */
export const PORT_ENTRY = "answerPort";

/** A remote call waits this long for the hosting room's answer, ms (an action is answered after its tick). */
export const PORT_CALL_TIMEOUT_MS = 10_000;

/** Runs a port request against a world's own port: the hosting room's side of a remote call. */
export function answerPortRequest(port: WorldPort, request: PortRequest): unknown {
  const method = port[request.method] as (...args: unknown[]) => unknown;
  return method.apply(port, request.args);
}

/** Every port method (the compiler checks the list is whole). */
const METHODS = Object.keys({ readNpcStats: true, writeNpcStats: true, performAction: true, actForSession: true, watch: true, pluginRoute: true } satisfies Record<PortMethod, true>) as PortMethod[];

function portFrom(worldId: string, remote: boolean, call: (request: PortRequest) => Promise<unknown>): AsyncWorldPort {
  const port: Record<string, unknown> = { worldId, remote };
  for (const method of METHODS) port[method] = (...args: unknown[]) => call({ method, args } as PortRequest);
  return port as AsyncWorldPort;
}

/** The port of world `worldId`: this process's runtime, else the room hosting it in another process; undefined when no room hosts it. */
export async function worldPortOf(services: { readonly runtimes: ReadonlyMap<string, WorldPort> }, worldId: string): Promise<AsyncWorldPort | undefined> {
  const local = services.runtimes.get(worldId);
  if (local !== undefined) return portFrom(worldId, false, async (request) => answerPortRequest(local, request));
  const rooms = await matchMaker.query({ name: "world" });
  const room = rooms.find((r) => (r.metadata as { worldId?: unknown } | undefined)?.worldId === worldId);
  if (room === undefined) return undefined;
  return portFrom(worldId, true, (request) => matchMaker.remoteRoomCall(room.roomId, PORT_ENTRY, [request], PORT_CALL_TIMEOUT_MS));
}
