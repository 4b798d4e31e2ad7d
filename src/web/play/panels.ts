/**
 * The side panels: the player's stats with tiers, inventory (use, equip, take off, offer),
 * relationships with the NPCs met, the game clock, the log and the toasts. A panel is redrawn only
 * when what it shows changed, so a focused button keeps its focus while the world ticks.
 */
import type { ItemSummary, RelationshipsAnswer } from "../../wire.ts";
import { byId, fill, h, humanize } from "../lib/dom.ts";
import type { StatsConfigAnswer } from "./character.ts";
import { tierOf } from "../../stats/tiers.ts";

export type LogTone = "ok" | "fail" | "err" | "info";

const LOG_LIMIT = 200;

/** Adds a line to the log (newest last, at most 200 kept) and scrolls it into view. */
export function log(text: string, tone: LogTone = "info"): void {
  const list = byId("log");
  list.append(h("li", { className: tone }, text));
  while (list.childElementCount > LOG_LIMIT) list.firstElementChild?.remove();
  list.parentElement?.scrollTo({ top: list.parentElement.scrollHeight });
}

/** A toast for 6 s (a notification: someone picked the player's pocket…). */
export function toast(text: string): void {
  const element = h("div", { className: "toast", role: "status" }, text);
  byId("toasts").append(element);
  setTimeout(() => element.remove(), 6000);
}

/** Shows the connection state in the header; `undefined` hides it. */
export function connectionStatus(text: string | undefined): void {
  const status = byId("connection");
  status.hidden = text === undefined;
  status.textContent = text ?? "";
}

const drawn = new Map<string, string>();

/** Runs `render` only when `signature` differs from the last one drawn under `key`. */
function whenChanged(key: string, signature: string, render: () => void): void {
  if (drawn.get(key) === signature) return;
  drawn.set(key, signature);
  render();
}

/** The tier of `value` on `definition.axis` in the world's stats config, or undefined. */
export function tierName(config: StatsConfigAnswer | undefined, key: string, value: number): string | undefined {
  const [definition, axis] = key.split(".");
  const spec = config?.definitions[definition ?? ""]?.axes[axis ?? ""];
  return tierOf(spec, value)?.id;
}

export function renderStats(stats: ReadonlyMap<string, number>, config: StatsConfigAnswer | undefined): void {
  const entries = [...stats.entries()].sort(([a], [b]) => a.localeCompare(b));
  whenChanged("stats", JSON.stringify(entries), () => {
    fill(
      byId("stats"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Stat"), h("th", { scope: "col" }, "Value"), h("th", { scope: "col" }, "Tier"))),
      h("tbody", {}, ...entries.map(([key, value]) => h("tr", {}, h("th", { scope: "row" }, humanize(key.split(".")[1] ?? key)), h("td", {}, String(value)), h("td", {}, tierName(config, key, value) ?? "—")))),
    );
  });
}

export interface InventoryActions {
  use(itemId: string): void;
  equip(itemId: string): void;
  unequip(slot: string): void;
  offer(itemId: string): void;
}

export interface Inventory {
  gold: number;
  items: ReadonlyMap<string, number>;
  equipped: ReadonlyMap<string, string>;
}

/** The inventory with the buttons each item allows (Use for usable items, Equip for wearable ones), named from the catalog. */
export function renderInventory({ gold, items, equipped }: Inventory, catalog: ReadonlyMap<string, ItemSummary>, actions: InventoryActions): void {
  const signature = JSON.stringify([gold, [...items], [...equipped], catalog.size]);
  const nameOf = (itemId: string) => catalog.get(itemId)?.name ?? humanize(itemId);
  whenChanged("inventory", signature, () => {
    byId("gold").textContent = `Gold: ${gold}`;
    fill(
      byId("equipped"),
      ...[...equipped].map(([slot, itemId]) =>
        h("li", {}, h("span", {}, `${humanize(slot)}: ${nameOf(itemId)}`), h("button", { type: "button", className: "secondary", onclick: () => actions.unequip(slot), "aria-label": `Take off ${nameOf(itemId)}` }, "Take off")),
      ),
    );
    fill(
      byId("items"),
      ...(items.size === 0 ? [h("li", { className: "muted" }, "Carrying nothing.")] : []),
      ...[...items].map(([itemId, count]) => {
        const item = catalog.get(itemId);
        const name = nameOf(itemId);
        return h(
          "li",
          {},
          h("span", { title: item?.description ?? "" }, count > 1 ? `${name} ×${count}` : name),
          h(
            "span",
            { className: "row" },
            item?.usable !== false && h("button", { type: "button", className: "secondary", onclick: () => actions.use(itemId), "aria-label": `Use ${name}` }, "Use"),
            item?.slot !== null && h("button", { type: "button", className: "secondary", onclick: () => actions.equip(itemId), "aria-label": `Equip ${name}` }, "Equip"),
            h("button", { type: "button", className: "secondary", onclick: () => actions.offer(itemId), "aria-label": `Offer ${name} as a gift` }, "Offer"),
          ),
        );
      }),
    );
  });
}

export function renderRelationships(answer: RelationshipsAnswer, names: ReadonlyMap<string, string>): void {
  const entries = Object.entries(answer.relationships);
  whenChanged("relationships", JSON.stringify(entries), () => {
    fill(
      byId("relationships"),
      ...(entries.length === 0 ? [h("li", { className: "muted" }, "Nobody met yet.")] : []),
      ...entries.map(([key, axes]) => {
        const npcId = key.replace(/^npc:/, "");
        const text = Object.entries(axes)
          .map(([axis, { value, tier }]) => `${axis} ${value}${tier ? ` (${tier})` : ""}`)
          .join(", ");
        return h("li", {}, h("span", {}, names.get(npcId) ?? npcId), h("span", { className: "muted" }, text));
      }),
    );
  });
}

export function renderClock(day: number, hour: number, minute: number): void {
  const text = `Day ${day}, ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
  whenChanged("clock", text, () => (byId("clock").textContent = text));
}
