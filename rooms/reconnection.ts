/**
 * Reconnection (issue 12): a player whose connection is lost keeps its actor and its session for
 * `RECONNECT_WINDOW_S`; `client.reconnect(token)` (the SDK, with `room.reconnectionToken`) within
 * that window resumes the same actor, where it stands, with its stats and inventory. Meanwhile the
 * actor stays in the world, idle (others can still push it), and its session stays connected, so
 * nobody else can join with it (`409 session/already-connected`). When the window runs out the
 * room's one leave path runs: the actor leaves and the session is saved as on any leave.
 *
 * Who gets a window: a *drop*, that is a close with a code the SDK itself reconnects on (1001 going
 * away, 1005 no status, 1006 abnormal: the socket was lost, or cut by the transport's ping check
 * after a silent drop; 4010, the SDK's own close when the device goes offline), on a connection
 * the server never asked to close. A consented leave (4000) is no drop, and neither is a kick:
 * - any `client.leave()` by the server: Colyseus's flood limit and message validation (4002), the
 *   slow-client guard (4005, rooms/slow-clients.ts), an operator's kick;
 * - a WebSocket protocol error the `ws` library closes on (a frame over the size limit: 1009,
 *   a malformed frame: 1002, bad UTF-8: 1007).
 * A kicked client leaves at once whatever code its socket ends with: one that never answers the
 * close frame ends as 1006, like a lost connection, and is still no drop. So the code alone does
 * not decide: {@link Reconnections.watch} marks a connection kicked when the server calls its
 * `leave()` or its socket reports a protocol error.
 *
 * A silent drop (no FIN, no close frame) is cut by the transport's ping check within 3 ×
 * `PING_INTERVAL_MS`, 9 s by default (src/server/http/surfaces.ts); its window opens then.
 *
 * The window runs on the room's clock, so it ends with the room: a room that closes (shutdown)
 * ends every open window, and the room makes those players leave before the world's last snapshot.
 */
import { CloseCode, Deferred, type Client, type Room } from "@colyseus/core";
import type { Metrics } from "../src/server/metrics.ts";

/** Close codes of a lost connection: the ones the SDK reconnects on by itself (../shared/COLYSEUS-0.18.md). */
export const DROP_CODES: ReadonlySet<number> = new Set([CloseCode.GOING_AWAY, CloseCode.NO_STATUS_RECEIVED, CloseCode.ABNORMAL_CLOSURE, CloseCode.MAY_TRY_RECONNECT]);

/** What the policy reads of a Colyseus WebSocket client's socket (`ws`). */
interface SocketLike {
  on?(event: "error", listener: () => void): unknown;
}

export interface ReconnectionOptions {
  /** Seconds a dropped client may come back, read at each drop; 0 = never (`RECONNECT_WINDOW_S`). */
  windowS: () => number;
  /** The room's clock: windows end with the room. */
  clock: Room["clock"];
  /**
   * The room's `allowReconnection(client, "manual")`: the seat stays reserved until this policy
   * ends the window. Typed `Deferred` by Colyseus, it returns a rejected Promise instead for a client
   * that never acknowledged its join, and while the room is disposing.
   */
  allow: (client: Client) => Deferred<Client> | Promise<never>;
  metrics: Pick<Metrics, "reconnections" | "reconnectWindowsExpired">;
  world: string;
}

/** One room's reconnection windows, by Colyseus session id (a reconnected client keeps its session id). */
export class Reconnections {
  /** Sockets the server asked to close, or that broke the WebSocket protocol. */
  private readonly kicked = new WeakSet<object>();
  /** Open windows: Colyseus session id → the window's end. */
  private readonly windows = new Map<string, { clear(): void }>();

  constructor(private readonly options: ReconnectionOptions) {}

  /** Watches `client`'s connection for kicks, from its join (and from each reconnection, on the new socket). */
  watch(client: Client): void {
    const socket = client.ref as SocketLike & object;
    const leave = client.leave.bind(client);
    client.leave = (code, data) => {
      this.kicked.add(socket);
      leave(code, data);
    };
    socket.on?.("error", () => this.kicked.add(socket));
  }

  /** Whether `client`, closed with `code`, lost its connection rather than left or was kicked. */
  isDrop(client: Client, code: number | undefined): boolean {
    return code !== undefined && DROP_CODES.has(code) && !this.kicked.has(client.ref);
  }

  /**
   * Opens a window for `client`, closed with `code` (the room's `onDrop`), when it dropped; true
   * when one was opened (the actor stays), false when the client must leave now (Colyseus then
   * calls the room's `onLeave`). A client that never acknowledged its join gets none (Colyseus
   * refuses it).
   */
  offer(client: Client, code: number | undefined): boolean {
    const { clock, allow, metrics, world } = this.options;
    const windowS = this.options.windowS();
    if (windowS === 0 || !this.isDrop(client, code)) return false;
    const reconnection = allow(client);
    if (!(reconnection instanceof Deferred)) {
      reconnection.catch(() => {});
      return false;
    }
    const sessionId = client.sessionId;
    const end = clock.setTimeout(() => {
      this.windows.delete(sessionId);
      metrics.reconnectWindowsExpired.inc({ world });
      // Colyseus releases the seat and calls the room's onLeave: the actor leaves, the session is saved.
      reconnection.reject(new Error(`reconnection window of ${windowS} s expired`));
    }, windowS * 1000);
    this.windows.set(sessionId, end);
    return true;
  }

  /** `client` came back within its window (the room's `onReconnect`): the window closes, counted. */
  reconnected(client: Client): void {
    const window = this.windows.get(client.sessionId);
    if (window !== undefined) this.options.metrics.reconnections.inc({ world: this.options.world });
    this.close(client.sessionId);
    this.watch(client);
  }

  /** Ends the window of `sessionId`, if one is open (the client left, or came back). */
  close(sessionId: string): void {
    this.windows.get(sessionId)?.clear();
    this.windows.delete(sessionId);
  }
}
