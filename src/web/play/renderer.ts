/**
 * The play view on a canvas: the map's walls and floor, and the actors the server sent (the area of
 * interest: nothing else is known here), each drawn by kind with its name. The camera follows the
 * player's actor. Positions are interpolated from the last two synced cells over one patch interval,
 * so a step glides instead of jumping; meaning never rests on colour alone (players are circles,
 * NPCs squares, the player's own actor has a ring, a downed actor a cross, health a bar and a word).
 */
import type { WorldDetail } from "../../wire.ts";

/** Pixels per cell. */
export const CELL_PX = 28;

export interface DrawnActor {
  id: string;
  kind: string;
  name: string;
  /** Cells: where it was and where it is now. */
  fromX: number;
  fromY: number;
  x: number;
  y: number;
  /** `performance.now()` when it reached (x, y), ms. */
  movedAt: number;
  downed: boolean;
  /** The public health tier's id, and its index out of the tier count (bar length). */
  health?: { tier: string; index: number; of: number };
}

export interface FrameFigures {
  /** Frames drawn, and the time spent drawing them, ms. */
  frames: number;
  drawMs: number;
  /** Gaps between animation frames, ms (the last 600). */
  gaps: number[];
}

export class Renderer {
  private readonly ctx: CanvasRenderingContext2D;
  private terrain: HTMLCanvasElement | undefined;
  private lastFrame = 0;
  /** The patch interval the glide spans, ms (measured: see `observeStep`). */
  glideMs = 100;
  readonly figures: FrameFigures = { frames: 0, drawMs: 0, gaps: [] };

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext("2d");
    if (ctx === null) throw new Error("this browser has no 2D canvas");
    this.ctx = ctx;
  }

  /** Draws the static map once into an offscreen canvas. */
  setWorld(world: WorldDetail): void {
    const terrain = document.createElement("canvas");
    terrain.width = world.width * CELL_PX;
    terrain.height = world.height * CELL_PX;
    const ctx = terrain.getContext("2d")!;
    world.map.forEach((row, y) => {
      for (let x = 0; x < row.length; x++) {
        const wall = row[x] === "#";
        ctx.fillStyle = wall ? "#39424f" : "#232a33";
        ctx.fillRect(x * CELL_PX, y * CELL_PX, CELL_PX, CELL_PX);
        if (wall) {
          ctx.strokeStyle = "#4a5564";
          ctx.strokeRect(x * CELL_PX + 0.5, y * CELL_PX + 0.5, CELL_PX - 1, CELL_PX - 1);
        } else {
          ctx.fillStyle = "#2b333e";
          ctx.fillRect(x * CELL_PX + CELL_PX / 2 - 1, y * CELL_PX + CELL_PX / 2 - 1, 2, 2);
        }
      }
    });
    this.terrain = terrain;
  }

  /** Where an actor is drawn at time `now`: between its last two cells. */
  private position(actor: DrawnActor, now: number): [number, number] {
    const t = Math.min(1, Math.max(0, (now - actor.movedAt) / this.glideMs));
    return [actor.fromX + (actor.x - actor.fromX) * t, actor.fromY + (actor.y - actor.fromY) * t];
  }

  /** The camera's top-left in pixels, centred on `focus` and kept inside the map. */
  private camera(focus: [number, number]): [number, number] {
    const { width, height } = this.canvas;
    const mapW = this.terrain?.width ?? width;
    const mapH = this.terrain?.height ?? height;
    const clamp = (v: number, size: number, map: number) => (map <= size ? (map - size) / 2 : Math.min(map - size, Math.max(0, v)));
    return [clamp((focus[0] + 0.5) * CELL_PX - width / 2, width, mapW), clamp((focus[1] + 0.5) * CELL_PX - height / 2, height, mapH)];
  }

  /** The cell under canvas pixel (px, py) as last drawn. */
  cellAt(px: number, py: number): [number, number] {
    return [Math.floor((px + this.cameraAt[0]) / CELL_PX), Math.floor((py + this.cameraAt[1]) / CELL_PX)];
  }

  private cameraAt: [number, number] = [0, 0];

  draw(actors: Iterable<DrawnActor>, ownId: string | undefined, now: number): void {
    const started = performance.now();
    if (this.lastFrame > 0) {
      this.figures.gaps.push(now - this.lastFrame);
      if (this.figures.gaps.length > 600) this.figures.gaps.shift();
    }
    this.lastFrame = now;
    const { ctx, canvas } = this;
    const list = [...actors];
    const own = list.find((a) => a.id === ownId);
    this.cameraAt = this.camera(own ? this.position(own, now) : [0, 0]);
    const [cx, cy] = this.cameraAt;
    ctx.fillStyle = "#0b0e12";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (this.terrain) ctx.drawImage(this.terrain, -cx, -cy);
    ctx.textAlign = "center";
    ctx.font = "11px system-ui, sans-serif";
    // A row of same-named actors (a stack of crates) is labelled once, at its left end.
    const named = new Set(list.map((a) => `${a.x},${a.y},${a.name}`));
    for (const actor of list) {
      const [x, y] = this.position(actor, now);
      const px = x * CELL_PX - cx;
      const py = y * CELL_PX - cy;
      if (px < -CELL_PX * 3 || py < -CELL_PX || px > canvas.width + CELL_PX * 3 || py > canvas.height + CELL_PX) continue;
      const labelled = actor.kind === "player" || !named.has(`${actor.x - 1},${actor.y},${actor.name}`);
      this.drawActor(actor, px, py, actor.id === ownId, labelled);
    }
    this.figures.frames++;
    this.figures.drawMs += performance.now() - started;
  }

  private drawActor(actor: DrawnActor, px: number, py: number, own: boolean, labelled: boolean): void {
    const { ctx } = this;
    const mid = CELL_PX / 2;
    ctx.fillStyle = actor.kind === "player" ? (own ? "#ffcc4d" : "#4db8ff") : "#c98b5a";
    ctx.beginPath();
    if (actor.kind === "player") ctx.arc(px + mid, py + mid, mid - 4, 0, Math.PI * 2);
    else ctx.roundRect(px + 4, py + 4, CELL_PX - 8, CELL_PX - 8, 3);
    ctx.fill();
    if (own) {
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(px + mid, py + mid, mid - 1, 0, Math.PI * 2);
      ctx.stroke();
    }
    ctx.fillStyle = "#10151b";
    ctx.fillText(actor.name.charAt(0).toUpperCase(), px + mid, py + mid + 4);
    if (actor.downed) {
      ctx.strokeStyle = "#ff5c5c";
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(px + 5, py + 5);
      ctx.lineTo(px + CELL_PX - 5, py + CELL_PX - 5);
      ctx.moveTo(px + CELL_PX - 5, py + 5);
      ctx.lineTo(px + 5, py + CELL_PX - 5);
      ctx.stroke();
    }
    if (actor.health && actor.health.of > 1) {
      const share = actor.health.index / (actor.health.of - 1);
      ctx.fillStyle = "#000000";
      ctx.fillRect(px + 3, py + CELL_PX - 4, CELL_PX - 6, 3);
      ctx.fillStyle = share > 0.66 ? "#8fe0a0" : share > 0.33 ? "#ffcc4d" : "#ff8a80";
      ctx.fillRect(px + 3, py + CELL_PX - 4, (CELL_PX - 6) * share, 3);
    }
    if (!labelled && !actor.downed) return;
    const label = actor.downed ? `${actor.name} (down)` : actor.health && actor.kind === "player" ? `${actor.name} · ${actor.health.tier}` : actor.name;
    ctx.fillStyle = own ? "#ffcc4d" : "#e8edf2";
    ctx.fillText(label, px + mid, py - 2);
  }
}
