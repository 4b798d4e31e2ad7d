// Types for accept-queue.mjs (shared with the load-test runner, which runs on plain Node).

/** Connections waiting in the accept queue of the socket listening on `port` (IPv4 or IPv6), or null where that cannot be read (another OS, no such listener, port 0). */
export function acceptQueue(port: number): number | null;
