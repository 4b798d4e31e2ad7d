/**
 * The admins' page (`/watch`, behind the admin credentials): every world with its tick, tick time
 * and clients; the whole of the selected world with all its actors (polled from
 * `GET /api/admin/worlds/:id/actors`, 4 times a second); and for a selected actor the causal trace
 * of its recent failed moves from the journal (`GET /api/admin/worlds/:id/explain`). The browser
 * sends the credentials it was asked for at `/watch` with every request to this origin.
 */
import type { Explanation } from "../server/replay/explain.ts";
import type { AdminWorldSummary, WatchAnswer, WatchedActor, WorldDetail } from "../wire.ts";
import { api, describeError } from "./lib/api.ts";
import { byId, fill, h } from "./lib/dom.ts";
import { describeMove } from "./watch/trace.ts";

/** Ticks of history a trace replays (1 minute at 20 Hz). */
const TRACE_TICKS = 1200;

let worldId: string | undefined;
let world: WorldDetail | undefined;
let watched: WatchAnswer | undefined;
let selected: string | undefined;
const canvas = byId<HTMLCanvasElement>("world-view");
const ctx = canvas.getContext("2d")!;

function status(text: string): void {
  byId("watch-status").textContent = text;
}

async function refreshWorlds(): Promise<void> {
  let worlds: AdminWorldSummary[];
  try {
    worlds = (await api<{ worlds: AdminWorldSummary[] }>("/api/admin/worlds")).worlds;
  } catch (error) {
    status(`Worlds could not be read: ${describeError(error)}`);
    return;
  }
  if (worldId === undefined && worlds.length > 0) void selectWorld((worlds.find((w) => w.running) ?? worlds[0]!).id);
  fill(
    byId("worlds").querySelector("tbody")!,
    ...worlds.map((w) =>
      h(
        "tr",
        { "aria-selected": w.id === worldId },
        h("th", { scope: "row" }, h("button", { type: "button", className: "secondary", onclick: () => void selectWorld(w.id) }, w.name)),
        h("td", {}, w.tick === null ? "closed" : String(w.tick)),
        h("td", {}, w.tickMs === null ? "—" : `${w.tickMs.toFixed(3)} ms`),
        h("td", {}, String(w.clients)),
        h("td", {}, String(w.actors)),
      ),
    ),
  );
}

async function selectWorld(id: string): Promise<void> {
  worldId = id;
  selected = undefined;
  watched = undefined;
  fill(byId("trace"), h("p", { className: "muted" }, "Select an actor."));
  try {
    world = await api<WorldDetail>(`/api/worlds/${encodeURIComponent(id)}`);
    byId("map-title").textContent = `World: ${world.name}`;
  } catch (error) {
    status(describeError(error));
  }
  void refreshActors();
}

let lastIds = "";
async function refreshActors(): Promise<void> {
  if (worldId === undefined) return;
  try {
    watched = await api<WatchAnswer>(`/api/admin/worlds/${encodeURIComponent(worldId)}/actors`);
    status(`${watched.actors.length} actors at tick ${watched.tick}`);
  } catch (error) {
    watched = undefined;
    status(describeError(error));
  }
  const ids = (watched?.actors ?? []).map((a) => a.id).sort();
  if (ids.join() !== lastIds) {
    lastIds = ids.join();
    const pick = byId<HTMLSelectElement>("actor-pick");
    fill(pick, h("option", { value: "" }, "—"), ...ids.map((id) => h("option", { value: id, selected: id === selected }, id)));
  }
}

function draw(): void {
  const { width, height } = canvas;
  ctx.fillStyle = "#0b0e12";
  ctx.fillRect(0, 0, width, height);
  if (world === undefined) return;
  const cell = Math.max(2, Math.floor(Math.min(width / world.width, height / world.height)));
  world.map.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      ctx.fillStyle = row[x] === "#" ? "#39424f" : "#1c222a";
      ctx.fillRect(x * cell, y * cell, cell, cell);
    }
  });
  for (const actor of watched?.actors ?? []) drawActor(actor, cell);
}

function drawActor(actor: WatchedActor, cell: number): void {
  const px = actor.x * cell;
  const py = actor.y * cell;
  ctx.fillStyle = actor.kind === "player" ? "#4db8ff" : "#c98b5a";
  ctx.beginPath();
  if (actor.kind === "player") ctx.arc(px + cell / 2, py + cell / 2, cell / 2 - 1, 0, Math.PI * 2);
  else ctx.rect(px + 1, py + 1, cell - 2, cell - 2);
  ctx.fill();
  if (actor.downed) {
    ctx.strokeStyle = "#ff5c5c";
    ctx.beginPath();
    ctx.moveTo(px, py);
    ctx.lineTo(px + cell, py + cell);
    ctx.moveTo(px + cell, py);
    ctx.lineTo(px, py + cell);
    ctx.stroke();
  }
  if (cell >= 16) {
    ctx.fillStyle = "#e8edf2";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(actor.name, px + cell / 2, py - 3);
  }
  if (actor.id === selected) {
    ctx.strokeStyle = "#ffcc4d";
    ctx.lineWidth = 2;
    ctx.strokeRect(px - 2, py - 2, cell + 4, cell + 4);
    ctx.lineWidth = 1;
  }
}

async function trace(actorId: string): Promise<void> {
  selected = actorId;
  byId<HTMLSelectElement>("actor-pick").value = actorId;
  if (worldId === undefined) return;
  if (watched === undefined) await refreshActors(); // a world just picked: its actors are not read yet
  if (watched === undefined) {
    fill(byId("trace"), h("p", { className: "error" }, "The world's actors could not be read; see the status above."));
    return;
  }
  const to = watched.tick;
  const from = Math.max(1, to - TRACE_TICKS); // ticks are numbered from 1
  fill(byId("trace"), h("p", { className: "muted" }, `Replaying ticks ${from}–${to} from the journal…`));
  try {
    const explanation = await api<Explanation>(`/api/admin/worlds/${encodeURIComponent(worldId)}/explain?actor=${encodeURIComponent(actorId)}&from=${from}&to=${to}`);
    const failed = explanation.moves.filter((m) => !m.succeeded).slice(-10).reverse();
    fill(
      byId("trace"),
      h("p", {}, `${explanation.moves.length} moves in ticks ${explanation.from}–${explanation.to}, ${failed.length === 0 ? "none failed" : `the last ${failed.length} failed ones:`}`),
      ...failed.map((move) => describeMove(move)),
    );
  } catch (error) {
    fill(byId("trace"), h("p", { className: "error" }, `The trace could not be read: ${describeError(error)}`));
  }
}

byId<HTMLSelectElement>("actor-pick").addEventListener("change", (event) => {
  const id = (event.target as HTMLSelectElement).value;
  if (id) void trace(id);
});
canvas.addEventListener("click", (event) => {
  if (world === undefined || watched === undefined) return;
  const rect = canvas.getBoundingClientRect();
  const cell = Math.max(2, Math.floor(Math.min(canvas.width / world.width, canvas.height / world.height)));
  const x = Math.floor((((event.clientX - rect.left) * canvas.width) / rect.width) / cell);
  const y = Math.floor((((event.clientY - rect.top) * canvas.height) / rect.height) / cell);
  const actor = watched.actors.find((a) => a.x === x && a.y === y);
  if (actor) void trace(actor.id);
});

void refreshWorlds();
setInterval(() => void refreshWorlds(), 1000);
setInterval(() => void refreshActors(), 250);
const frame = () => {
  draw();
  requestAnimationFrame(frame);
};
requestAnimationFrame(frame);
