/**
 * The wire protocol's shapes, shared by the server and its clients (the web client in `src/web/`,
 * bots, tests): message names, the payloads of server → client messages, the client → server
 * intents, and the JSON answers of the public HTTP routes a client reads. Types and constants only:
 * no Node, no DOM, no zod, so a browser bundle imports it as it is.
 *
 * The server validates what clients send with zod at its edge (src/server/protocol.ts, each action
 * kind's payload schema); these types are what that validation accepts and what the server sends.
 * The README's "Wire protocol", "Interactions" and "Items and inventories" sections are the prose.
 */

/** One cell step: north is up (y − 1), east is right (x + 1). */
export type Direction = "N" | "E" | "S" | "W";

/** Client → server message types and their payloads (each a journaled action kind, run in the tick). */
export interface ClientMessages {
  move: { dir: Direction };
  /** `slotId`, or `interactionId` when the target has exactly one slot of it (README "Interactions"). */
  interact: { targetId: string; slotId?: string; interactionId?: string };
  use: { itemId: string };
  equip: { itemId: string };
  unequip: { slot: string };
  offer: { itemId: string };
  loot: { targetId: string };
}

/** `welcome`: after the first tick following a join, and again after a reconnection. */
export interface WelcomeMessage {
  actorId: string;
  worldId: string;
  /** The world's tick when it was sent. */
  tick: number;
  sessionId: string;
}

/** `error`: a message was malformed or refused; nothing changed and the client stays connected. */
export interface ErrorMessage {
  /** A stable namespaced code from src/errors.ts (`command/invalid`, `interaction/not-adjacent` …). */
  code: string;
  message: string;
  details?: unknown;
}

/** One change an interaction made (`relationship`, `transfer-gold` …): its kind and its own fields. */
export interface EffectMessage {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** `interaction`: the outcome of the player's own interaction, after the tick that ran it. */
export interface InteractionMessage {
  interactionId?: string;
  slotId?: string;
  targetId: string;
  /** False is an outcome (the lift failed), not an error. */
  success?: boolean;
  message: string;
  effects: readonly EffectMessage[];
}

/** `notification`: another actor's interaction affected this player (`kind: "pickpocketed"`). */
export interface NotificationMessage {
  kind: string;
  message: string;
  /** The acting actor's id. */
  from: string;
}

/** `item`: an item operation of the player's (`use`, `equip` …) is done. */
export interface ItemMessage {
  op: string;
  message: string;
  itemId?: string;
  slot?: string;
}

/** Server → client message types and their payloads. */
export interface ServerMessages {
  welcome: WelcomeMessage;
  error: ErrorMessage;
  interaction: InteractionMessage;
  notification: NotificationMessage;
  item: ItemMessage;
}

/** A user as `/auth/*` answers it (`{ user, token }`): never its password hash. */
export interface User {
  id: string;
  /** Absent for an anonymous user. */
  email?: string;
  anonymous: boolean;
}

/** The HTTP error body of every route: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: ErrorMessage;
}

/** `GET /api/worlds`: one entry per world file. */
export interface WorldSummary {
  id: string;
  name: string;
  /** Players connected to the world in this process now (dropped ones inside their reconnection window included). */
  playersOnline: number;
  /** True while the world's room is open. */
  running: boolean;
  /** True for the world a join without `worldId` enters (`DEFAULT_WORLD`). */
  isDefault: boolean;
}

/** A character template a new session may start from (`DATA_DIR/characters/<id>.json`). */
export interface CharacterTemplateSummary {
  id: string;
  name: string;
  traits: readonly string[];
  /** Base stats: definition → axis → value. */
  stats: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** True for the template a session of this world gets when it names none. */
  isDefault: boolean;
}

/** `GET /api/worlds/:id`: what a client needs to draw the world and create a character in it. */
export interface WorldDetail extends WorldSummary {
  /** Ticks per second, Hz. */
  tickRate: number;
  /** Cells. */
  width: number;
  height: number;
  /** Map rows, top to bottom: `#` wall, `.` floor (spawn points are floor). */
  map: readonly string[];
  /** A client sees the actors within this many cells of its own (0: every actor). */
  interestRadius: number;
  /** The templates of the world's scenario (and of `default`), default first. */
  characters: readonly CharacterTemplateSummary[];
}

/** `GET /api/worlds/:id/npcs/:npcId/interactions`: the slots a client may use on an NPC. */
export interface NpcInteractionsAnswer {
  worldId: string;
  npcId: string;
  slots: ReadonlyArray<{ slotId: string; interactionId: string; name: string }>;
}

/** `GET /api/inventory/items`: one item of the catalog (`DATA_DIR/items/`), without its modifiers. */
export interface ItemSummary {
  id: string;
  name: string;
  description: string;
  /** Worth in gold. */
  value: number;
  stackable: boolean;
  /** The slot it is worn in, when it can be equipped. */
  slot: string | null;
  /** True when `use` does something (it has use modifiers). */
  usable: boolean;
}

/** `GET /api/sessions`: the signed-in user's sessions, most recently used first. */
export interface SessionListEntry {
  id: string;
  playerName: string;
  worldId: string;
  /** Template id the character came from, when it came from one. */
  template: string | null;
  connected: boolean;
  updatedAt: string;
}

/** `GET /api/sessions/:id/interactions/relationships`: the player's live relationships, per NPC (`npc:<id>`). */
export interface RelationshipsAnswer {
  sessionId: string;
  worldId: string;
  /** `npc:<id>` → axis → { value, tier }. */
  relationships: Readonly<Record<string, Readonly<Record<string, { value: number; tier: string | null }>>>>;
}

/** `GET /api/admin/worlds` (admin): each world with its room's figures. */
export interface AdminWorldSummary extends WorldSummary {
  /** The world's last completed tick; null when it is not running. */
  tick: number | null;
  /** Average core tick time, ms (smoothed; the monitor's `tickMs`). */
  tickMs: number | null;
  clients: number;
  actors: number;
}

/** One actor as the watch view sees it (`GET /api/admin/worlds/:id/actors`). */
export interface WatchedActor {
  id: string;
  kind: "player" | "npc";
  name: string;
  /** Cells. */
  x: number;
  y: number;
  downed: boolean;
  /** Public axis key → tier id (`"attributes.health"` → `"wounded"`). */
  tiers: Readonly<Record<string, string>>;
}

/** `GET /api/admin/worlds/:id/actors` (admin): every actor of a running world at one tick. */
export interface WatchAnswer {
  worldId: string;
  tick: number;
  actors: readonly WatchedActor[];
}

/** What {@link publicTierOf} reads of a synced `WorldState` (rooms/schema.ts), as the SDK decodes it. */
export interface PublicAxesView {
  readonly publicAxes: { get(axisKey: string): { readonly tiers: { readonly [index: number]: string } } | undefined };
}

/**
 * The tier id of `actor`'s public axis `axisKey` (`"attributes.health"` → `"wounded"`), read from a
 * synced state: the actor's field holds the tier's index in `state.publicAxes.get(axisKey).tiers`.
 * Undefined when the world has no such public axis or the field is not synced yet.
 */
export function publicTierOf(state: PublicAxesView, actor: object, axisKey: string): string | undefined {
  const index = (actor as Record<string, unknown>)[axisKey];
  return typeof index === "number" ? state.publicAxes.get(axisKey)?.tiers[index] : undefined;
}
