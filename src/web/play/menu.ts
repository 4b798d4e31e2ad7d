/**
 * The interaction menu: the slots of the NPCs next to the player (`GET
 * /api/worlds/:id/npcs/:npcId/interactions`), one button each. It takes the focus when it opens and
 * gives it back to the view when it closes (Escape, Close, or a choice).
 */
import type { NpcInteractionsAnswer } from "../../wire.ts";
import { api, describeError } from "../lib/api.ts";
import { byId, fill, h } from "../lib/dom.ts";
import { log } from "./panels.ts";
import type { DrawnActor } from "./renderer.ts";

export class InteractionMenu {
  private readonly slots = new Map<string, NpcInteractionsAnswer["slots"]>();

  constructor(
    private readonly worldId: string,
    private readonly choose: (targetId: string, slotId: string) => void,
    private readonly returnFocus: () => void,
  ) {
    byId("menu-close").addEventListener("click", () => this.close());
    byId("menu").addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return !byId("menu").hidden;
  }

  private async slotsOf(npc: DrawnActor): Promise<NpcInteractionsAnswer["slots"]> {
    let slots = this.slots.get(npc.id);
    if (slots === undefined) {
      const answer = await api<NpcInteractionsAnswer>(`/api/worlds/${encodeURIComponent(this.worldId)}/npcs/${encodeURIComponent(npc.id)}/interactions`);
      this.slots.set(npc.id, (slots = answer.slots));
    }
    return slots;
  }

  /** Opens the menu for `npcs` (the player's neighbours); logs why when there is nothing to offer. */
  async open(npcs: readonly DrawnActor[]): Promise<void> {
    if (npcs.length === 0) {
      log("Nobody is next to you. Step beside someone first.", "info");
      return;
    }
    let entries: Array<{ npc: DrawnActor; slot: NpcInteractionsAnswer["slots"][number] }>;
    try {
      entries = (await Promise.all(npcs.map(async (npc) => (await this.slotsOf(npc)).map((slot) => ({ npc, slot }))))).flat();
    } catch (error) {
      log(`The interactions could not be read: ${describeError(error)}`, "err");
      return;
    }
    if (entries.length === 0) {
      log(`${npcs.map((n) => n.name).join(", ")}: nothing to do here.`, "info");
      return;
    }
    byId("menu-title").textContent = npcs.length === 1 ? `${npcs[0]!.name}` : "Interactions";
    fill(
      byId("menu-list"),
      ...entries.map(({ npc, slot }) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              onclick: () => {
                this.close();
                this.choose(npc.id, slot.slotId);
              },
            },
            npcs.length === 1 ? slot.name : `${slot.name} — ${npc.name}`,
          ),
        ),
      ),
    );
    byId("menu").hidden = false;
    byId("menu-list").querySelector("button")?.focus();
  }

  close(): void {
    byId("menu").hidden = true;
    this.returnFocus();
  }
}
