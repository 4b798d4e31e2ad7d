/**
 * Node 20 has no global `WebSocket`; Colyseus checks `client.readyState` against it, so every
 * reconnection would fail with 4003 (../shared/COLYSEUS-0.18.md). Import this first.
 */
import { WebSocket } from "ws";

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
