/**
 * The WebSocket transport, with Arbiter's HTTP edge as the server's request listener.
 *
 * Colyseus binds HTTP in `Server.listen()`: once the port is bound (in the transport's listening
 * callback) it extends the router with matchmaking, adds `/__healthcheck`, removes the express
 * app's listener and prepends its own (`bindRouterToTransport` in @colyseus/core's router/), which
 * adds permissive CORS headers to every response and serves router routes with better-call's node
 * adapter. This transport runs that callback, then replaces the request listeners with the edge
 * (edge.ts), built from the server's final router. The swap happens in the same turn as the
 * binding, before any connection can be accepted.
 */
import type { RequestListener, Server as HttpServer } from "node:http";
import { WebSocketTransport } from "@colyseus/ws-transport";

/** Idle limit while the request head arrives (slow-header clients), ms. */
const HEADERS_TIMEOUT_MS = 15_000;
/** Limit for receiving a whole request, head and body, ms. */
const REQUEST_TIMEOUT_MS = 30_000;

type TransportOptions = ConstructorParameters<typeof WebSocketTransport>[0];

export class ArbiterTransport extends WebSocketTransport {
  private createEdge: (() => RequestListener) | undefined;

  constructor(options: TransportOptions) {
    super(options);
    const server = this.server as HttpServer;
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
  }

  /** Sets how the edge is built; called once the Colyseus server exists (`initializeGameServer`). */
  serveHttpWith(createEdge: () => RequestListener): void {
    this.createEdge = createEdge;
  }

  /** Listens, then swaps Colyseus's request listener for the edge. Without an edge, it refuses to listen. */
  override listen(port: number, hostname?: string, backlog?: number, listeningListener?: (err?: Error) => void): this {
    const createEdge = this.createEdge;
    if (!createEdge) throw new Error("ArbiterTransport: no HTTP edge; call serveHttpWith() before listen() (initializeGameServer)");
    return super.listen(port, hostname, backlog, ((err?: Error) => {
      listeningListener?.(err);
      if (err) return;
      const server = this.server as HttpServer;
      server.removeAllListeners("request");
      server.on("request", createEdge());
    }) as () => void);
  }
}
