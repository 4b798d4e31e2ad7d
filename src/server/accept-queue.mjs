// The accept queue of a listening TCP port: connections the kernel has completed (the client sees
// its socket connected) that the listening process has not accepted yet. Node 20 (libuv 1.46)
// accepts one connection per event-loop turn, so when a busy server's loop turns slowly, a join
// storm's WebSockets wait here, and their seats can expire (issue 11 §2).
//
// Plain JavaScript so that the load-test runner (plain Node) and the server (TypeScript) share it.
import { closeSync, openSync, readSync } from "node:fs";

/**
 * Listening sockets come first in /proc/net/tcp (the kernel lists its listening hash before the
 * established one), so the head of the table is enough: 16 KB holds about 100 rows.
 */
const TCP_TABLE_HEAD = Buffer.alloc(16 * 1024);

/**
 * Connections waiting in the accept queue of the socket listening on `port` (Linux's
 * /proc/net/tcp, then /proc/net/tcp6 for a dual-stack or IPv6 listener: a LISTEN row's rx_queue),
 * or null where that cannot be read (another OS, no such listener, port 0).
 */
export function acceptQueue(port) {
  if (!Number.isInteger(port) || port <= 0) return null;
  return readListenQueue("/proc/net/tcp", port) ?? readListenQueue("/proc/net/tcp6", port);
}

function readListenQueue(table, port) {
  let fd;
  try {
    fd = openSync(table, "r");
    const n = readSync(fd, TCP_TABLE_HEAD, 0, TCP_TABLE_HEAD.length, null);
    const portHex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
    const text = TCP_TABLE_HEAD.toString("latin1", 0, n);
    // Row by row after the header, up to the first row that is not a listening socket (state 0A).
    for (let at = text.indexOf("\n") + 1, end = text.indexOf("\n", at); end > at; at = end + 1, end = text.indexOf("\n", at)) {
      const fields = text.slice(at, end).trim().split(/\s+/);
      if (fields[3] !== "0A") return null;
      if (fields[1].endsWith(portHex)) return parseInt(fields[4].split(":")[1], 16);
    }
    return null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
