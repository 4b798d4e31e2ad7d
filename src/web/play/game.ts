/**
 * One player in one world: the SDK room, the synced actors turned into what the renderer draws, the
 * server's messages turned into log lines and toasts, and the connection's life. A dropped
 * connection is retried by the SDK within the server's reconnection window (README "Reconnection")
 * and the header says so meanwhile; when the room is lost for good the page says why and offers to
 * rejoin the same session.
 */
import type { Client, Room } from "@colyseus/sdk";
import type { Direction, ItemSummary, RelationshipsAnswer, WorldDetail } from "../../wire.ts";
import { api, describeError } from "../lib/api.ts";
import { onServer, publicTierOf, sendClient, type ActorState, type WorldState } from "../lib/protocol.ts";
import type { StatsConfigAnswer } from "./character.ts";
import { connectionStatus, log, renderClock, renderInventory, renderRelationships, renderStats, toast } from "./panels.ts";
import type { DrawnActor } from "./renderer.ts";

/** The public axis drawn as each actor's health bar. */
const HEALTH_AXIS = "attributes.health";

/** Close codes the server uses (README "Wire protocol"), in words. */
const CLOSE_REASONS: Record<number, string> = {
  4000: "you left the world",
  4002: "the server closed the connection: too many or malformed messages",
  4005: "the connection was too slow to keep up",
  1006: "the connection was lost",
};

export interface GameOptions {
  client: Client;
  token: string;
  world: WorldDetail;
  config: StatsConfigAnswer | undefined;
  /** The item catalog by id (names, which items can be used or worn). */
  catalog: ReadonlyMap<string, ItemSummary>;
  /** Called when the room is gone for good (not a drop the SDK retries). */
  onGone: (reason: string) => void;
}

export class Game {
  readonly actors = new Map<string, DrawnActor>();
  actorId: string | undefined;
  sessionId: string | undefined;
  /** One tick, ms. */
  readonly tickMs: number;
  private lastPatch = 0;
  private readonly names = new Map<string, string>();

  private constructor(
    readonly room: Room<unknown, WorldState>,
    private readonly options: GameOptions,
  ) {
    this.tickMs = 1000 / options.world.tickRate;
  }

  /** Joins `world` resuming `sessionId`; rejects with the server's error (403, 409 …). */
  static async join(options: GameOptions, sessionId: string): Promise<Game> {
    const room = await options.client.joinOrCreate<WorldState>("world", { worldId: options.world.id, sessionId });
    const game = new Game(room as Room<unknown, WorldState>, options);
    game.sessionId = sessionId;
    game.wire();
    return game;
  }

  private wire(): void {
    const { room } = this;
    // The server keeps a dropped player's actor for RECONNECT_WINDOW_S; retry soon after any join.
    room.reconnection.minUptime = 1000;
    room.onStateChange((state) => this.sync(state));
    onServer(room, "welcome", (m) => {
      const first = this.actorId === undefined;
      this.actorId = m.actorId;
      this.sessionId = m.sessionId;
      if (first) log(`Entered ${this.options.world.name} at tick ${m.tick}.`);
      void this.refreshRelationships();
    });
    onServer(room, "error", (m) => log(`${m.message} (${m.code})`, "err"));
    onServer(room, "interaction", (m) => {
      log(m.message, m.success === false ? "fail" : "ok");
      void this.refreshRelationships();
    });
    onServer(room, "notification", (m) => {
      const from = this.names.get(m.from) ?? m.from;
      toast(`${m.message} (${from})`);
      log(m.message, "info");
    });
    onServer(room, "item", (m) => log(m.message, "ok"));
    room.onDrop((code) => connectionStatus(`Connection lost (${code}): reconnecting…`));
    room.onReconnect(() => {
      connectionStatus(undefined);
      log("Reconnected to your character.", "ok");
    });
    room.onError((code, message) => log(`Server error ${code}: ${message ?? "no message"}`, "err"));
    room.onLeave((code, reason) => {
      const why = CLOSE_REASONS[code] ?? `the connection closed (code ${code}${reason ? `: ${reason}` : ""})`;
      connectionStatus(code === 4000 ? undefined : `Disconnected: ${why}`);
      this.options.onGone(why);
    });
  }

  /** Mirrors the synced actors into drawable ones; a changed cell starts a glide from where it was drawn. */
  private sync(state: WorldState): void {
    const now = performance.now();
    if (this.lastPatch > 0) this.observePatchGap(now - this.lastPatch);
    this.lastPatch = now;
    const seen = new Set<string>();
    const tiers = state.publicAxes.get(HEALTH_AXIS)?.tiers.length ?? 0;
    state.actors.forEach((actor: ActorState, id: string) => {
      seen.add(id);
      this.names.set(id, actor.name);
      const tier = publicTierOf(state, actor, HEALTH_AXIS);
      const index = actor[HEALTH_AXIS];
      const health = tier !== undefined && typeof index === "number" ? { tier, index, of: tiers } : undefined;
      const drawn = this.actors.get(id);
      if (drawn === undefined) {
        this.actors.set(id, { id, kind: actor.kind, name: actor.name, fromX: actor.x, fromY: actor.y, x: actor.x, y: actor.y, movedAt: now, downed: actor.downed === true, health });
        return;
      }
      if (drawn.x !== actor.x || drawn.y !== actor.y) {
        const teleport = Math.abs(drawn.x - actor.x) + Math.abs(drawn.y - actor.y) > 2;
        drawn.fromX = teleport ? actor.x : drawn.x;
        drawn.fromY = teleport ? actor.y : drawn.y;
        drawn.x = actor.x;
        drawn.y = actor.y;
        drawn.movedAt = now;
      }
      drawn.downed = actor.downed === true;
      drawn.health = health;
    });
    for (const id of this.actors.keys()) if (!seen.has(id)) this.actors.delete(id);
    this.renderPanels(state);
  }

  /** Patch gaps seen lately, ms: the glide spans about one of them (patches may be paced: README "Join storms"). */
  private readonly gaps: number[] = [];
  glideMs = 100;
  private observePatchGap(gap: number): void {
    this.gaps.push(gap);
    if (this.gaps.length > 20) this.gaps.shift();
    const sorted = [...this.gaps].sort((a, b) => a - b);
    this.glideMs = Math.min(300, Math.max(40, sorted[sorted.length >> 1] ?? 100));
  }

  private renderPanels(state: WorldState): void {
    renderClock(state.clock.day, state.clock.hour, state.clock.minute);
    const own = this.actorId === undefined ? undefined : state.actors.get(this.actorId);
    const owner = own?.owner;
    if (own === undefined || owner === undefined) return;
    renderStats(new Map(owner.stats.entries()), this.options.config);
    const inventory = { gold: owner.gold, items: new Map(owner.items?.entries() ?? []), equipped: new Map(owner.equipped?.entries() ?? []) };
    renderInventory(inventory, this.options.catalog, {
      use: (itemId) => sendClient(this.room, "use", { itemId }),
      equip: (itemId) => sendClient(this.room, "equip", { itemId }),
      unequip: (slot) => sendClient(this.room, "unequip", { slot }),
      offer: (itemId) => {
        sendClient(this.room, "offer", { itemId });
        log(`You hold out the ${this.options.catalog.get(itemId)?.name ?? itemId}: give it with an NPC's gift interaction.`);
      },
    });
  }

  async refreshRelationships(): Promise<void> {
    if (this.sessionId === undefined) return;
    try {
      const answer = await api<RelationshipsAnswer>(`/api/sessions/${encodeURIComponent(this.sessionId)}/interactions/relationships`, { token: this.options.token });
      renderRelationships(answer, this.names);
    } catch (error) {
      log(`Relationships could not be read: ${describeError(error)}`, "err");
    }
  }

  move(dir: Direction): void {
    sendClient(this.room, "move", { dir });
  }

  interact(targetId: string, slotId: string): void {
    sendClient(this.room, "interact", { targetId, slotId });
  }

  /** The player's own actor as drawn, if synced yet. */
  own(): DrawnActor | undefined {
    return this.actorId === undefined ? undefined : this.actors.get(this.actorId);
  }

  /** The NPCs in the 4 cells next to the player (where interactions are allowed). */
  neighbours(): DrawnActor[] {
    const own = this.own();
    if (own === undefined) return [];
    return [...this.actors.values()].filter((a) => a.kind === "npc" && Math.abs(a.x - own.x) + Math.abs(a.y - own.y) === 1);
  }

  async leave(): Promise<void> {
    await this.room.leave(true);
  }
}
