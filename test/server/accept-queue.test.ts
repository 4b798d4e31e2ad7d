/**
 * The reading of a listening port's accept queue (src/server/accept-queue.mjs), which the server's
 * patch pacer, its `/metrics` and the load-test runner use: connections the kernel completed that the
 * listening process has not accepted yet.
 */
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { acceptQueue } from "../../src/server/accept-queue.mjs";

/**
 * A listening server in a worker thread whose event loop stays blocked until `release()`: the
 * kernel completes connections to it, and nobody accepts them meanwhile.
 */
function blockedServer(host: string): Promise<{ port: number; release(): void; accepted: Promise<number>; stop(): Promise<number> }> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const net = require("node:net");
     let accepted = 0;
     const server = net.createServer((socket) => { accepted++; socket.destroy(); if (accepted === 3) parentPort.postMessage({ accepted }); });
     server.listen(0, workerData.host, () => {
       parentPort.postMessage({ port: server.address().port });
       Atomics.wait(workerData.gate, 0, 0); // blocked until the test releases it
     });`,
    { eval: true, workerData: { gate, host } },
  );
  return new Promise((resolve) => {
    let onAccepted: (n: number) => void;
    const accepted = new Promise<number>((r) => (onAccepted = r));
    worker.on("message", (message: { port?: number; accepted?: number }) => {
      if (message.port !== undefined) {
        resolve({
          port: message.port,
          release: () => {
            Atomics.store(gate, 0, 1);
            Atomics.notify(gate, 0);
          },
          accepted,
          stop: () => worker.terminate(),
        });
      } else if (message.accepted !== undefined) onAccepted(message.accepted);
    });
  });
}

describe.runIf(process.platform === "linux")("accept queue of a listening port", () => {
  // 127.0.0.1: an IPv4 listener (/proc/net/tcp); "::": a dual-stack one, as `npm start` listens without HOST (/proc/net/tcp6).
  it.each(["127.0.0.1", "::"])("counts the connections the kernel completed that a server listening on %s has not accepted, and none once it has", async (host) => {
    const server = await blockedServer(host);
    const clients: Socket[] = [];
    try {
      expect(acceptQueue(server.port)).toBe(0);
      for (let i = 0; i < 3; i++) {
        const socket = connect(server.port, "127.0.0.1");
        clients.push(socket);
        await new Promise((resolve) => socket.once("connect", resolve)); // the client side sees it connected
      }
      expect(acceptQueue(server.port)).toBe(3);
      server.release();
      expect(await server.accepted).toBe(3);
      expect(acceptQueue(server.port)).toBe(0);
    } finally {
      for (const client of clients) client.destroy();
      await server.stop();
    }
  });

  it("is null for a port nobody listens on", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    expect(acceptQueue(port)).toBeNull();
  });
});
