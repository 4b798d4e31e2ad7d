// Types for thin-socket.mjs, so TypeScript tests can import it (the project does not check JS).

export interface ThinSocketHandlers {
  /** True when a message whose first byte is `code` must be delivered whole. */
  wants(code: number): boolean;
  /** Every message: its first byte (undefined when empty), its length in bytes, its bytes when wanted. */
  onMessage(code: number | undefined, length: number, payload: Buffer | undefined): void;
  /** Once, after the upgrade: the close frame's code, or 1006 when none came. */
  onClose(code: number): void;
  /** The connection or the upgrade failed (then no onClose). */
  onFail(reason: string): void;
  /** The TCP connection completed (the upgrade request is sent next). */
  onConnect?(): void;
  /** The server accepted the upgrade: the socket is open. */
  onOpen?(): void;
}

export interface ThinSocket {
  send(bytes: Uint8Array): void;
  close(code?: number): void;
  destroy(): void;
  isOpen(): boolean;
}

export function openSocket(url: string, handlers: ThinSocketHandlers): ThinSocket;
