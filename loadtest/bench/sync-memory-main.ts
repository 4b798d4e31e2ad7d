/**
 * Entry point of the memory-per-player probe's child process (sync-memory.ts): reads a
 * MemoryProbeConfig as JSON from argv[2] and prints the PlayerMemory as one JSON line.
 */
import { Encoder } from "@colyseus/schema";
import { measurePlayerMemory, type MemoryProbeConfig } from "./sync-memory.ts";
import { SERVER_ENCODER_BUFFER } from "./sync-bench.ts";

Encoder.BUFFER_SIZE = SERVER_ENCODER_BUFFER;
const config = JSON.parse(process.argv[2] ?? "") as MemoryProbeConfig;
console.log(JSON.stringify(await measurePlayerMemory(config)));
