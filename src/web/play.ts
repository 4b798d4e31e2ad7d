/**
 * The player's page (`/`): sign in, pick a world and a character or resume one, then play. See the
 * README's "Web client" section for what each part does and which server routes it uses.
 */
import { Client } from "@colyseus/sdk";
import type { Direction, ItemSummary, SessionListEntry, WorldDetail, WorldSummary } from "../wire.ts";
import { api, describeError } from "./lib/api.ts";
import { byId, fill, h } from "./lib/dom.ts";
import { awaitSignIn, restoreSignIn, type SignedIn } from "./play/account.ts";
import { CharacterForm, type StatsConfigAnswer } from "./play/character.ts";
import { Game } from "./play/game.ts";
import { InteractionMenu } from "./play/menu.ts";
import { connectionStatus, log } from "./play/panels.ts";
import { Renderer } from "./play/renderer.ts";

const KEYS: Record<string, Direction> = {
  ArrowUp: "N", ArrowRight: "E", ArrowDown: "S", ArrowLeft: "W",
  w: "N", d: "E", s: "S", a: "W", W: "N", D: "E", S: "S", A: "W",
};

const client = new Client(location.origin);
const renderer = new Renderer(byId<HTMLCanvasElement>("view"));
let game: Game | undefined;
let menu: InteractionMenu | undefined;

/** What tests and the curious may read: the running game and the renderer's frame figures. */
declare global {
  interface Window {
    arbiter?: { game: () => Game | undefined; renderer: Renderer; client: Client };
  }
}
window.arbiter = { game: () => game, renderer, client };

async function start(): Promise<void> {
  const signedIn = (await restoreSignIn(client)) ?? (await awaitSignIn(client));
  byId("account").textContent = signedIn.label;
  byId("sign-in").hidden = true;
  byId("choose").hidden = false;
  let worlds: WorldSummary[];
  try {
    worlds = (await api<{ worlds: WorldSummary[] }>("/api/worlds")).worlds;
  } catch (error) {
    byId("world-error").textContent = describeError(error);
    return;
  }
  const form = new CharacterForm(worlds);
  await Promise.all([form.loadWorld(), listSessions(signedIn)]);
  byId<HTMLFormElement>("create-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void create(signedIn, form);
  });
  byId("player-name").focus();
}

async function listSessions(signedIn: SignedIn): Promise<void> {
  let sessions: SessionListEntry[] = [];
  try {
    sessions = (await api<{ sessions: SessionListEntry[] }>("/api/sessions", { token: signedIn.token })).sessions;
  } catch (error) {
    byId("resume-empty").textContent = `Saved characters could not be read: ${describeError(error)}`;
  }
  byId("resume-empty").hidden = sessions.length > 0;
  fill(
    byId("resume-list"),
    ...sessions.map((s) =>
      h("li", {}, h("span", {}, `${s.playerName} — ${s.worldId}${s.connected ? " (playing elsewhere)" : ""}`), h("button", { type: "button", onclick: () => void enter(signedIn, s.worldId, s.id) }, `Resume ${s.playerName}`)),
    ),
  );
}

async function create(signedIn: SignedIn, form: CharacterForm): Promise<void> {
  const choice = form.choice();
  const button = byId<HTMLButtonElement>("create");
  button.disabled = true;
  try {
    const session = await api<{ id: string }>("/api/sessions", { method: "POST", body: choice, token: signedIn.token });
    form.showRefusal(undefined);
    await enter(signedIn, choice.worldId, session.id);
  } catch (error) {
    form.showRefusal(error);
  } finally {
    button.disabled = false;
  }
}

async function enter(signedIn: SignedIn, worldId: string, sessionId: string): Promise<void> {
  byId("character-error").textContent = "";
  try {
    const [world, config, items] = await Promise.all([
      api<WorldDetail>(`/api/worlds/${encodeURIComponent(worldId)}`),
      api<StatsConfigAnswer>(`/api/worlds/${encodeURIComponent(worldId)}/stats-config`).catch(() => undefined),
      api<{ items: ItemSummary[] }>("/api/inventory/items").catch(() => ({ items: [] })),
    ]);
    renderer.setWorld(world);
    const catalog = new Map(items.items.map((item) => [item.id, item]));
    game = await Game.join({ client, token: signedIn.token, world, config, catalog, onGone: (why) => backToStart(signedIn, why) }, sessionId);
    menu = new InteractionMenu(world.id, (target, slot) => game?.interact(target, slot), () => byId("view").focus());
  } catch (error) {
    byId("character-error").textContent = `Could not enter ${worldId}: ${describeError(error)}`;
    return;
  }
  connectionStatus(undefined);
  byId("start").hidden = true;
  byId("play").hidden = false;
  byId("view").focus();
}

function backToStart(signedIn: SignedIn, why: string): void {
  game = undefined;
  menu?.close();
  byId("play").hidden = true;
  byId("start").hidden = false;
  byId("character-error").textContent = `You left the world: ${why}. Resume your character below.`;
  void listSessions(signedIn);
}

let lastMove = 0;
/**
 * Sends a move. A fresh press always goes; a held key's repeats go at most once per tick (the
 * server keeps one intent per tick anyway), which keeps a held key far under the flood limit.
 */
function move(dir: Direction, repeat = false): void {
  const now = performance.now();
  if (game === undefined || (repeat && now - lastMove < game.tickMs)) return;
  lastMove = now;
  game.move(dir);
}

function openMenuFor(npcs = game?.neighbours() ?? []): void {
  if (menu !== undefined) void menu.open(npcs);
}

window.addEventListener("keydown", (event) => {
  if (game === undefined || byId("play").hidden || menu?.isOpen) return;
  const target = event.target as HTMLElement;
  if (target.closest("input, select, textarea")) return;
  const dir = KEYS[event.key];
  if (dir !== undefined) {
    event.preventDefault();
    move(dir, event.repeat);
  } else if (event.key === "e" || event.key === "E") {
    event.preventDefault();
    openMenuFor();
  }
});

byId("pad").addEventListener("click", (event) => {
  const button = (event.target as HTMLElement).closest("button");
  if (button?.dataset["dir"]) move(button.dataset["dir"] as Direction);
});
byId("interact-button").addEventListener("click", () => openMenuFor());
byId("view").addEventListener("click", (event) => {
  const canvas = event.currentTarget as HTMLCanvasElement;
  const rect = canvas.getBoundingClientRect();
  const [x, y] = renderer.cellAt(((event.clientX - rect.left) * canvas.width) / rect.width, ((event.clientY - rect.top) * canvas.height) / rect.height);
  const own = game?.own();
  const clicked = [...(game?.actors.values() ?? [])].find((a) => a.x === x && a.y === y && a.kind === "npc");
  if (clicked === undefined || own === undefined) return;
  if (Math.abs(clicked.x - own.x) + Math.abs(clicked.y - own.y) !== 1) log(`${clicked.name} is too far away: step next to them first.`);
  else openMenuFor([clicked]);
});
byId("leave").addEventListener("click", () => void game?.leave());

function frame(now: number): void {
  if (game !== undefined) {
    renderer.glideMs = game.glideMs;
    renderer.draw(game.actors.values(), game.actorId, now);
    const own = game.own();
    byId("where").textContent = own ? `You are at ${own.x}, ${own.y}` : "";
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

start().catch((error: unknown) => {
  byId("sign-in-error").textContent = describeError(error);
});
