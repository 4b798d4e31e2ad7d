/**
 * The new-character form: world, name, template and the creation points (seed 003 §1.2). The
 * sliders enforce the server's rules as the world's stats config states them (customizable
 * definitions, each axis's max, the point budget); the server checks again, and whatever it refuses
 * is shown next to the field it names.
 */
import type { StatsConfig } from "../../stats/types.ts";
import type { CharacterTemplateSummary, WorldDetail, WorldSummary } from "../../wire.ts";
import { api, ApiError } from "../lib/api.ts";
import { byId, fill, h, humanize } from "../lib/dom.ts";

/** `GET /api/worlds/:id/stats-config`: the world's stats config (src/stats/types.ts) with its id. */
export type StatsConfigAnswer = StatsConfig & { worldId: string };

export interface CharacterChoice {
  worldId: string;
  playerName: string;
  character: { template?: string; customizations: Record<string, Record<string, number>> };
}

interface Slider {
  definition: string;
  axis: string;
  input: HTMLInputElement;
  output: HTMLOutputElement;
}

export class CharacterForm {
  private world: WorldDetail | undefined;
  private config: StatsConfigAnswer | undefined;
  private sliders: Slider[] = [];

  constructor(worlds: readonly WorldSummary[]) {
    fill(byId("world"), ...worlds.map((w) => h("option", { value: w.id, selected: w.isDefault }, `${w.name} (${w.playersOnline} online)`)));
    byId<HTMLSelectElement>("world").addEventListener("change", () => void this.loadWorld());
    byId<HTMLSelectElement>("template").addEventListener("change", () => this.renderSliders());
  }

  async loadWorld(): Promise<void> {
    const worldId = byId<HTMLSelectElement>("world").value;
    byId("world-error").textContent = "";
    try {
      [this.world, this.config] = await Promise.all([api<WorldDetail>(`/api/worlds/${encodeURIComponent(worldId)}`), api<StatsConfigAnswer>(`/api/worlds/${encodeURIComponent(worldId)}/stats-config`)]);
    } catch (error) {
      byId("world-error").textContent = error instanceof ApiError ? error.message : String(error);
      return;
    }
    const templates = this.world.characters;
    fill(byId("template"), ...templates.map((t) => h("option", { value: t.id }, t.isDefault ? `${t.name} (default)` : t.name)));
    this.renderSliders();
  }

  private template(): CharacterTemplateSummary | undefined {
    const id = byId<HTMLSelectElement>("template").value;
    return this.world?.characters.find((t) => t.id === id);
  }

  private renderSliders(): void {
    const config = this.config;
    const template = this.template();
    byId("template-traits").textContent = template && template.traits.length > 0 ? `Traits: ${template.traits.join(", ")}` : "";
    this.sliders = [];
    if (!config) return;
    byId("points-budget").textContent = String(config.creation.pointBudget);
    const rows: HTMLElement[] = [];
    for (const definition of config.creation.definitions) {
      const def = config.definitions[definition];
      if (!def) continue;
      rows.push(h("h4", {}, humanize(definition)));
      for (const [axis, spec] of Object.entries(def.axes)) {
        const base = template?.stats[definition]?.[axis] ?? spec.default;
        const id = `pt-${definition}-${axis}`;
        const input = h("input", { id, type: "range", min: 0, max: Math.max(0, spec.max - base), step: 1, value: 0, "data-base": base });
        const output = h("output", { for: id }, String(base));
        input.addEventListener("input", () => this.rebalance(input));
        this.sliders.push({ definition, axis, input, output });
        rows.push(h("div", { className: "slider" }, h("label", { for: id }, humanize(axis)), input, output));
      }
    }
    fill(byId("sliders"), ...rows);
    this.rebalance();
  }

  /** Keeps the points spent within the budget: the moved slider is pulled back to what is left. */
  private rebalance(moved?: HTMLInputElement): void {
    const budget = this.config?.creation.pointBudget ?? 0;
    const spent = (except?: HTMLInputElement) => this.sliders.reduce((sum, s) => sum + (s.input === except ? 0 : Number(s.input.value)), 0);
    if (moved !== undefined) moved.value = String(Math.min(Number(moved.value), budget - spent(moved)));
    for (const s of this.sliders) {
      const base = Number(s.input.dataset["base"]);
      const points = Number(s.input.value);
      s.output.textContent = points > 0 ? `${base + points} (+${points})` : String(base);
      s.input.setAttribute("aria-valuetext", `${base + points}, ${points} points added`);
    }
    byId("points-left").textContent = String(budget - spent());
  }

  /** The player's choices, as `POST /api/sessions` takes them. */
  choice(): CharacterChoice {
    const customizations: Record<string, Record<string, number>> = {};
    for (const s of this.sliders) {
      const points = Number(s.input.value);
      if (points > 0) (customizations[s.definition] ??= {})[s.axis] = points;
    }
    const template = this.template()?.id;
    return {
      worldId: byId<HTMLSelectElement>("world").value,
      playerName: byId<HTMLInputElement>("player-name").value,
      character: { ...(template ? { template } : {}), customizations },
    };
  }

  /** Shows a refusal next to the field it names (`playerName: …`, `customizations.x.y: …`), else under the form. */
  showRefusal(error: unknown): void {
    const nameError = byId("player-name-error");
    const characterError = byId("character-error");
    nameError.textContent = "";
    characterError.textContent = "";
    const problems = problemsOf(error);
    for (const { field, message } of problems) {
      const target = /^(playerName|name|character\.name)$/.test(field) ? nameError : characterError;
      target.textContent = [target.textContent, field ? `${field}: ${message}` : message].filter(Boolean).join("; ");
    }
    const first = problems.find((p) => /name/i.test(p.field)) ? byId("player-name") : byId("create");
    first.focus();
  }
}

/** The fields and messages of a refusal: `character/invalid` lists `{ field, message }`, `request/invalid` `"path: message"` lines. */
function problemsOf(error: unknown): Array<{ field: string; message: string }> {
  if (!(error instanceof ApiError)) return [{ field: "", message: String(error) }];
  const listed = (error.details as { problems?: unknown[] } | undefined)?.problems ?? [];
  const problems = listed.flatMap((p) => {
    if (typeof p === "string") {
      const at = p.indexOf(": ");
      return [at > 0 ? { field: p.slice(0, at), message: p.slice(at + 2) } : { field: "", message: p }];
    }
    if (p && typeof p === "object" && "message" in p) return [{ field: String((p as { field?: unknown }).field ?? ""), message: String((p as { message: unknown }).message) }];
    return [];
  });
  return problems.length > 0 ? problems : [{ field: "", message: `${error.message} (${error.code})` }];
}
