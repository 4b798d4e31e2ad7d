// Types for metrics-sampler.mjs, so TypeScript tests can import it (the project does not check JS).

/** Connections waiting in the accept queue of the IPv4 socket listening on `port`, or null where that cannot be read (see metrics-sampler.mjs). */
export function acceptQueue(port: number): number | null;
