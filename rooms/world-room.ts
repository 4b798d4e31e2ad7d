/**
 * The world room: a thin adapter between Colyseus and one world's simulation (STYLE §2).
 * It validates messages at the edge, turns them into core inputs, steps the core on the world's
 * fixed tick, mirrors the tick's result into the synced state and sends one patch per tick.
 *
 * Protocol (README, "Wire protocol"):
 * - join: `joinOrCreate("world", { worldId?, name? })`; one room per world (`filterBy(["worldId"])`,
 *   with `worldId` defaulted before matchmaking so every client of a world meets in one room);
 * - server → client: `welcome { actorId, worldId, tick }`, `error { code, message, details? }`;
 * - client → server: `move { dir }`.
 */
import { defineRoom, Room, ServerError, type Client } from "@colyseus/core";
import { StateView } from "@colyseus/schema";
import { submitInput, type Result, type TickResult } from "../src/core/index.ts";
import { makeError, type ErrorReply } from "../src/errors.ts";
import { CLIENT_MESSAGE_TYPES, findStatFields, joinOptions, MAX_MESSAGES_PER_SECOND, moveMessage, parsePayload, type JoinOptions } from "../src/server/protocol.ts";
import type { ServerServices } from "../src/server/services.ts";
import { openWorldHost, type WorldHost } from "../src/server/world-host.ts";
import { npcStatsIn, setNpcStatsIn, type NormalizedStats } from "../src/server/world-access.ts";
import { createActorState, createWorldState, mirrorStats, type WorldState } from "./schema.ts";

/** Matchmaking error codes (HTTP-like), carried by the SDK's join error. */
const JOIN_ERROR = { badOptions: 400, notFound: 404, conflict: 409 } as const;

export class WorldRoom extends Room<{ state: WorldState; metadata: { worldId: string; name: string } }> {
  protected services!: ServerServices;
  private host!: WorldHost;
  private worldId = "";
  /** Colyseus session id → actor id. */
  private readonly actorBySession = new Map<string, string>();
  /** Names a client message may not carry: stat definitions and axes of this world. */
  private statNames: ReadonlySet<string> = new Set();

  override maxMessagesPerSecond = MAX_MESSAGES_PER_SECOND;

  override onCreate(options: JoinOptions): void {
    const def = this.services.worlds.byId.get(options.worldId ?? this.services.worlds.defaultId);
    if (!def) throw new ServerError(JOIN_ERROR.notFound, `world/not-found: no world "${options.worldId}"`);
    if (this.services.hostedWorlds.has(def.id)) throw new ServerError(JOIN_ERROR.conflict, `world/already-hosted: world "${def.id}" is already running`);
    this.host = openWorldHost(def, this.services.store, this.services.persistence, this.services.logger);
    this.services.hostedWorlds.add(def.id);
    this.worldId = def.id;
    this.state = createWorldState(this.host.sim.world);
    this.statNames = new Set(this.host.sim.world.layout.slots.flatMap((slot) => [slot.definition, slot.axis]));
    void this.setMetadata({ worldId: def.id, name: def.name });
    this.onMessage("move", (client, payload) => this.handleMove(client, payload));
    this.onMessage("*", (client, type, payload) => {
      if (this.refuseStatFields(client, String(type), payload)) return;
      this.reply(client, makeError("command/unknown-type", `unknown message type "${String(type)}"; expected one of: ${CLIENT_MESSAGE_TYPES.join(", ")}`));
    });
    this.setFixedTimestep(() => this.runTick(), def.tickRate);
    // One patch per tick, sent by runTick. Order matters: disabling patches before the fixed step
    // exists makes Colyseus start a second clock ticker, and the fixed step then runs far too slowly.
    this.patchRate = null;
  }

  override onJoin(client: Client, options: JoinOptions): void {
    const name = options?.name ?? `Player ${this.host.sim.world.nextPlayerNo}`;
    const joined = submitInput(this.host.sim, { type: "join", actorId: "", name });
    if (!joined.ok) throw new ServerError(JOIN_ERROR.conflict, `${joined.code}: ${joined.message}`);
    const actor = joined.value;
    this.actorBySession.set(client.sessionId, actor.id);
    const actorState = createActorState(actor);
    mirrorStats(this.host.sim.world.layout, actor, actorState);
    this.state.actors.set(actor.id, actorState);
    client.view = new StateView();
    client.view.add(actorState);
    client.send("welcome", { actorId: actor.id, worldId: this.worldId, tick: this.host.sim.world.tick });
  }

  override onLeave(client: Client): void {
    const actorId = this.actorBySession.get(client.sessionId);
    if (actorId === undefined) return;
    this.actorBySession.delete(client.sessionId);
    submitInput(this.host.sim, { type: "leave", actorId });
    this.state.actors.delete(actorId);
  }

  override onDispose(): void {
    if (!this.host) return;
    this.host.close();
    this.services.hostedWorlds.delete(this.worldId);
  }

  /** Remote call (HTTP `GET /api/npcs/:id/stats/:type`): an NPC's normalized effective stats. */
  readNpcStats(npcId: string, type: string): Result<NormalizedStats> {
    return npcStatsIn(this.host.sim, npcId, type);
  }

  /** Remote call (admin HTTP `PATCH`): sets runtime overrides through a journaled `set-stats` input. */
  writeNpcStats(npcId: string, type: string, values: Record<string, number>): Result<NormalizedStats> {
    const written = setNpcStatsIn(this.host.sim, npcId, type, values);
    const actor = this.host.sim.world.byId.get(npcId);
    const state = this.state.actors.get(npcId);
    if (written.ok && actor && state) mirrorStats(this.host.sim.world.layout, actor, state);
    return written;
  }

  private handleMove(client: Client, payload: unknown): void {
    if (this.refuseStatFields(client, "move", payload)) return;
    const parsed = parsePayload(moveMessage, payload, "move");
    if (!parsed.ok) return this.reply(client, parsed.error);
    const actorId = this.actorBySession.get(client.sessionId);
    if (actorId === undefined) return this.reply(client, makeError("command/no-actor", "this connection has no actor"));
    const queued = submitInput(this.host.sim, { type: "move", actorId, dir: parsed.value.dir });
    if (!queued.ok) this.reply(client, makeError(queued.code, queued.message));
  }

  private runTick(): void {
    const result = this.host.step();
    this.mirror(result);
    this.broadcastPatch();
  }

  /** Copies a tick's committed moves, respawns, stat changes and the tick number into the synced state. */
  private mirror(result: TickResult): void {
    const { world } = this.host.sim;
    for (const event of result.events) {
      if (event.type !== "moved" && event.type !== "respawned" && event.type !== "stats") continue;
      const state = this.state.actors.get(event.actorId);
      if (!state) continue;
      if (event.type === "stats") {
        const actor = world.byId.get(event.actorId);
        if (actor) mirrorStats(world.layout, actor, state);
        continue;
      }
      state.x = event.x;
      state.y = event.y;
    }
    this.state.tick = result.tick;
  }

  /** Replies `command/forbidden-field` and returns true when a message tries to carry stats. */
  private refuseStatFields(client: Client, type: string, payload: unknown): boolean {
    const fields = findStatFields(payload, this.statNames);
    if (fields.length === 0) return false;
    this.reply(client, makeError("command/forbidden-field", `${type}: ${fields.join(", ")}: stats are computed by the server and cannot be sent; nothing was changed`, { type, fields }));
    return true;
  }

  private reply(client: Client, error: ErrorReply): void {
    client.send("error", error);
  }
}

/**
 * Registers the world room with its services. `worldId` and `name` are validated and `worldId`
 * defaulted in the static `onAuth`, which Colyseus runs before it picks a room, so that
 * `{}` and `{ worldId: <default> }` meet in the same room.
 */
export function defineWorldRoom(services: ServerServices) {
  class BoundWorldRoom extends WorldRoom {
    protected override services = services;

    static override async onAuth(_token: string, options: Record<string, unknown>): Promise<boolean> {
      const parsed = parsePayload(joinOptions, options ?? {}, "join options");
      if (!parsed.ok) throw new ServerError(JOIN_ERROR.badOptions, `${parsed.error.code}: ${parsed.error.message}`);
      const worldId = parsed.value.worldId ?? services.worlds.defaultId;
      if (!services.worlds.byId.has(worldId)) {
        throw new ServerError(JOIN_ERROR.notFound, `world/not-found: no world "${worldId}" (have: ${[...services.worlds.byId.keys()].join(", ")})`);
      }
      options.worldId = worldId;
      return true;
    }
  }
  return defineRoom(BoundWorldRoom).filterBy(["worldId"]);
}
