/**
 * The load generator's own WebSocket client (loadtest/runner/thin-socket.mjs) against a real `ws`
 * server, and a raw HTTP server where a test must choose how the bytes are cut. The thin bots
 * measure the server through this client: if it misreads RFC 6455 (a message lost or cut short, a
 * ping unanswered, a badly masked frame, a wrong close code), the load-test figures are wrong.
 * Waits are bounded by a timeout that fails the test; no assertion is on a duration.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { openSocket, type ThinSocket } from "../../loadtest/runner/thin-socket.mjs";

const WAIT_MS = 5_000;
const BINARY = 2;
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** Polls `check` every 5 ms until it holds; rejects naming `what` after WAIT_MS. */
async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > WAIT_MS) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Resolves with `promise`, or rejects naming `what` after WAIT_MS. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  const timeout = AbortSignal.timeout(WAIT_MS);
  const expiry = once(timeout, "abort").then(() => Promise.reject(new Error(`timed out waiting for ${what}`)));
  expiry.catch(() => {});
  return Promise.race([promise, expiry]);
}

type Message = { code: number | undefined; length: number; payload: Buffer | undefined };
type Client = { socket: ThinSocket; wanted: number[]; messages: Message[]; closes: number[]; fails: string[] };

/** Opens a thin socket that records every handler call; `wants` decides which messages come whole. */
function openClient(url: string, wants: (code: number) => boolean = () => true): Client {
  const client = { wanted: [] as number[], messages: [] as Message[], closes: [] as number[], fails: [] as string[] };
  const socket = openSocket(url, {
    wants: (code) => (client.wanted.push(code), wants(code)),
    onMessage: (code, length, payload) => client.messages.push({ code, length, payload }),
    onClose: (code) => client.closes.push(code),
    onFail: (reason) => client.fails.push(reason),
  });
  cleanups.push(() => socket.destroy());
  return { ...client, socket };
}

/** A `ws` server on an ephemeral loopback port and a thin client connected to it, with the server's side of it. */
async function openPair(wants?: (code: number) => boolean): Promise<{ client: Client; peer: WebSocket; path: string | undefined }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  cleanups.push(() => (wss.clients.forEach((peer) => peer.terminate()), wss.close()));
  await within(once(wss, "listening"), "the ws server to listen");
  const connection = within(once(wss, "connection"), "the upgrade");
  const client = openClient(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/room?bot=1`, wants);
  const [peer, request] = (await connection) as [WebSocket, { url?: string }];
  return { client, peer, path: request.url };
}

/** An HTTP server that answers the upgrade itself, so a test writes the raw bytes in the pieces it chooses. */
async function startRawServer(answer: (socket: Duplex, key: string) => void): Promise<string> {
  const server = createServer();
  server.on("upgrade", (request, socket: Duplex) => {
    socket.on("error", () => {}); // a reset by the client at the end is not this test's concern
    cleanups.push(() => socket.destroy());
    answer(socket, String(request.headers["sec-websocket-key"]));
  });
  cleanups.push(() => server.close());
  await within(once(server.listen(0, "127.0.0.1"), "listening"), "the raw server to listen");
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/room`;
}

/** The 101 answer to an upgrade with this Sec-WebSocket-Key. */
function switchingProtocols(key: string): Buffer {
  const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
  return Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`, "latin1");
}

/** An unmasked server frame, with a 7-, 16- or 64-bit length as the payload needs. */
function serverFrame(opcode: number, payload: Buffer): Buffer {
  const extended = payload.length > 65535 ? 8 : payload.length > 125 ? 2 : 0;
  const head = Buffer.alloc(2 + extended);
  head[0] = 128 | opcode;
  head[1] = extended === 8 ? 127 : extended === 2 ? 126 : payload.length;
  if (extended === 2) head.writeUInt16BE(payload.length, 2);
  if (extended === 8) head.writeBigUInt64BE(BigInt(payload.length), 2);
  return Buffer.concat([head, payload]);
}

/** What onMessage must report for a wanted message of these bytes. */
const asDelivered = (bytes: Buffer): Message => ({ code: bytes[0], length: bytes.length, payload: bytes });

/** `length` bytes starting with `code`, then a pattern that shows a lost, repeated or reordered chunk. */
function patterned(length: number, code: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >> 8)) % 251;
  bytes[0] = code;
  return bytes;
}

describe("thin socket: receiving", () => {
  it("upgrades to the requested path and delivers a wanted binary message whole, with its exact bytes and length", async () => {
    const { client, peer, path } = await openPair((code) => code === 7);
    expect(path).toBe("/room?bot=1");
    peer.send(Buffer.from([7, 1, 2, 3, 250]));
    await waitUntil(() => client.messages.length === 1, "the message");
    expect(client.messages).toEqual([{ code: 7, length: 5, payload: Buffer.from([7, 1, 2, 3, 250]) }]);
    expect(client.wanted).toEqual([7]);
    expect(client.socket.isOpen()).toBe(true);
  });

  it("reports only the first byte and the length of a message it does not want", async () => {
    const { client, peer } = await openPair((code) => code === 7);
    peer.send(Buffer.from([9, 5, 6]));
    peer.send(patterned(70_000, 13));
    await waitUntil(() => client.messages.length === 2, "both messages");
    expect(client.messages).toEqual([
      { code: 9, length: 3, payload: undefined },
      { code: 13, length: 70_000, payload: undefined },
    ]);
    expect(client.wanted).toEqual([9, 13]);
  });

  it("delivers messages at the 16-bit and 64-bit length boundaries intact", async () => {
    const { client, peer } = await openPair();
    const sent = [patterned(126, 1), patterned(65_535, 2), patterned(65_536, 3), patterned(70 * 1024, 4), patterned(200 * 1024, 5)];
    for (const bytes of sent) peer.send(bytes);
    await waitUntil(() => client.messages.length === sent.length, "every message");
    expect(client.messages).toEqual(sent.map(asDelivered));
  });

  it("reassembles a fragmented message, answering a ping sent between its fragments", async () => {
    const { client, peer } = await openPair((code) => code === 21);
    const parts = [patterned(100, 21), patterned(70_000, 22), patterned(3, 23)] as const;
    const pong = within(once(peer, "pong"), "the pong");
    peer.send(parts[0], { fin: false });
    peer.ping(Buffer.from("between"));
    peer.send(parts[1], { fin: false });
    peer.send(parts[2], { fin: true });
    peer.send(patterned(10, 30), { fin: false });
    peer.send(patterned(20, 31), { fin: true });
    await waitUntil(() => client.messages.length === 2, "both messages");
    expect(client.messages).toEqual([
      { code: 21, length: 70_103, payload: Buffer.concat(parts) },
      { code: 30, length: 30, payload: undefined },
    ]);
    expect(await pong).toEqual([Buffer.from("between")]);
  });

  it("answers a ping with a pong carrying the same payload, empty included", async () => {
    const { peer } = await openPair();
    const first = within(once(peer, "pong"), "the first pong");
    peer.ping(Buffer.from([0, 1, 2, 255, 42]));
    expect(await first).toEqual([Buffer.from([0, 1, 2, 255, 42])]);
    const second = within(once(peer, "pong"), "the second pong");
    peer.ping();
    expect(await second).toEqual([Buffer.alloc(0)]);
  });

  it("reads frames whose handshake, headers and payloads are split across reads", async () => {
    const messages = [patterned(60_000, 41), patterned(200 * 1024, 42), patterned(5, 43)];
    const url = await startRawServer(async (socket, key) => {
      const handshake = switchingProtocols(key);
      const frames = messages.map((bytes) => serverFrame(BINARY, bytes));
      const stream = Buffer.concat([handshake, ...frames]);
      // Cut inside the handshake's blank line, right after its end, and inside each header and payload.
      const cuts = [handshake.length - 2, handshake.length + 1];
      for (let i = 0, at = handshake.length; i < frames.length; at += frames[i++]!.length) cuts.push(at + 1, at + 3, at + 6, at + (frames[i]!.length >> 1));
      const ends = [...new Set(cuts.filter((cut) => cut < stream.length))].sort((a, b) => a - b).concat(stream.length);
      for (let i = 0, from = 0; i < ends.length; from = ends[i++]!) {
        socket.write(stream.subarray(from, ends[i]));
        await sleep(5); // lets each piece arrive as its own read; correctness never depends on it
      }
    });
    const client = openClient(url);
    await waitUntil(() => client.messages.length === messages.length, "every message");
    expect(client.messages).toEqual(messages.map(asDelivered));
    expect(client.fails).toEqual([]);
  });
});

describe("thin socket: sending", () => {
  it("delivers the client's bytes unchanged (masked correctly) for 7-, 16- and 64-bit lengths", async () => {
    const { client, peer } = await openPair();
    const received: Array<{ data: Buffer; isBinary: boolean }> = [];
    peer.on("message", (data: Buffer, isBinary: boolean) => received.push({ data, isBinary }));
    await waitUntil(() => client.socket.isOpen(), "the upgrade on the client side");
    const sent = [Buffer.from([10]), patterned(125, 11), patterned(126, 12), patterned(65_535, 13), patterned(65_536, 14), patterned(200 * 1024, 15)];
    for (const bytes of sent) client.socket.send(bytes);
    await waitUntil(() => received.length === sent.length, "every message at the server");
    expect(received).toEqual(sent.map((data) => ({ data, isBinary: true })));
  });
});

describe("thin socket: how a connection ends", () => {
  it("reports the server's close code 4005 exactly once and echoes it", async () => {
    const { client, peer } = await openPair();
    const serverClosed = within(once(peer, "close"), "the close handshake at the server");
    peer.close(4005, "kicked");
    await waitUntil(() => client.closes.length > 0, "onClose");
    expect((await serverClosed)[0]).toBe(4005);
    expect(client.closes).toEqual([4005]);
    expect(client.fails).toEqual([]);
    expect(client.socket.isOpen()).toBe(false);
  });

  it("reports 1006 when the server drops the TCP connection without a close frame", async () => {
    const { client, peer } = await openPair();
    peer.terminate();
    await waitUntil(() => client.closes.length > 0, "onClose");
    expect(client.closes).toEqual([1006]);
    expect(client.fails).toEqual([]);
  });

  it("fails, without onClose, when the connection is refused", async () => {
    const probe = createServer();
    await within(once(probe.listen(0, "127.0.0.1"), "listening"), "the probe to listen");
    const { port } = probe.address() as AddressInfo;
    await within(new Promise((resolve) => probe.close(resolve)), "the probe to close");
    const client = openClient(`ws://127.0.0.1:${port}/room`);
    await waitUntil(() => client.fails.length > 0, "onFail");
    expect(client.fails).toEqual(["connection closed during the upgrade"]);
    expect(client.closes).toEqual([]);
  });

  it("fails, once and without onClose, when the server answers the upgrade with 400", async () => {
    let serverSide: Duplex | undefined;
    const url = await startRawServer((socket) => {
      serverSide = socket;
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    });
    const client = openClient(url);
    await waitUntil(() => client.fails.length > 0, "onFail");
    await waitUntil(() => serverSide?.closed === true, "the connection to close");
    expect(client.fails).toEqual(["upgrade refused: http 400"]);
    expect(client.closes).toEqual([]);
  });

  it("fails when the upgrade's Sec-WebSocket-Accept does not match its key", async () => {
    const url = await startRawServer((socket) => socket.write(switchingProtocols("not-the-client-key")));
    const client = openClient(url);
    await waitUntil(() => client.fails.length > 0, "onFail");
    expect(client.fails).toEqual(["bad Sec-WebSocket-Accept"]);
    expect(client.closes).toEqual([]);
  });
});
