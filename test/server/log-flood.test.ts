/**
 * Issue 8 §6, through the real server process (`node --import tsx src/server/main.ts`, what
 * `npm start` runs): every line it prints is pino JSON, client mistakes never print stack traces,
 * and a client repeating a mistake gets one line per interval, with a count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServer, type ServerProcess } from "../support/process.ts";
import { newClient, signIn, testPort, waitFor, writeWorlds } from "../support/server.ts";

const port = testPort(5);
let server: ServerProcess;

beforeAll(async () => {
  const dataDir = writeWorlds({ yard: { map: ["#######", "#S...S#", "#######"] } });
  server = await spawnServer({ PORT: String(port), DATA_DIR: dataDir, ADMIN_PASSWORD: "log-flood-admin", LOG_LEVEL: "info", HOST: "127.0.0.1" });
});

afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exited;
});

const ROOM_DATA = 13;
/** A ROOM_DATA frame typed "move" whose payload is not MessagePack (0xc1 is never used). */
const BAD_MSGPACK = new Uint8Array([ROOM_DATA, 0xa4, 0x6d, 0x6f, 0x76, 0x65, 0xc1, 0xc1]);
/** A frame over the 4 KB inbound limit. */
const OVERSIZE = new Uint8Array(8 * 1024).fill(ROOM_DATA, 0, 1);

async function sendRaw(frame: Uint8Array): Promise<number> {
  const client = newClient(`ws://127.0.0.1:${port}`);
  await signIn(client);
  const room = await client.joinOrCreate("world", { worldId: "yard" });
  let closed: number | undefined;
  room.onLeave((code) => (closed = code));
  (room.connection as unknown as { send(data: Uint8Array): void }).send(frame);
  await waitFor(() => closed !== undefined, "the server to close the connection");
  return closed!;
}

describe("server output under a flood of client mistakes", () => {
  it("prints only JSON lines, no stack traces, one line per mistake and interval", async () => {
    const closes: number[] = [];
    for (let i = 0; i < 6; i++) closes.push(await sendRaw(BAD_MSGPACK));
    for (let i = 0; i < 6; i++) closes.push(await sendRaw(OVERSIZE));
    expect(closes).toEqual([4002, 4002, 4002, 4002, 4002, 4002, 1009, 1009, 1009, 1009, 1009, 1009]);
    expect((await fetch(`http://127.0.0.1:${port}/__healthcheck`)).status).toBe(200);

    const lines = server.output().split("\n").filter((line) => line.trim() !== "");
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    expect(parsed.every((line) => typeof line.msg === "string" && !String(line.msg).includes("\n"))).toBe(true);
    expect(lines.some((line) => /\\n\s+at /.test(line))).toBe(false);
    const fromColyseus = parsed.filter((line) => line.source === "colyseus");
    expect(fromColyseus.filter((line) => /MessagePack|Unexpected|Invalid|not a valid|Data read/.test(String(line.msg)))).toHaveLength(1);
    expect(fromColyseus.filter((line) => String(line.msg).includes("Max payload size exceeded"))).toHaveLength(1);
  });
});
