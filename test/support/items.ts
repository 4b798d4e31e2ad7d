/**
 * Content for tests of the `items` plugin: a data dir with item files, a character template with a
 * starting inventory and a market world whose merchant has a starting inventory and a give_item slot.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Room } from "@colyseus/sdk";
import { writeCharacters } from "./server-with-characters.ts";
import { writeWorlds } from "./server.ts";

export const TEST_ITEMS = {
  apple: { id: "apple", name: "Apple", value: 2, stackable: true, use: [{ stat: "attributes.health", op: "add", value: 15 }] },
  bread: { id: "bread", name: "Bread", value: 3, stackable: true },
  knife: { id: "knife", name: "Knife", value: 8, stackable: false, slot: "hand", equip: [{ stat: "combat_skills.strength", value: 10 }] },
  cap: { id: "cap", name: "Cap", value: 5, stackable: false, slot: "head", equip: [{ stat: "combat_skills.defense", value: 5 }] },
};

/** The default character: health 60 of 100 (so healing shows), strength 50, 10 gold, 2 apples and a knife. */
export const PORTER = { defaultFor: ["default"], stats: { attributes: { health: 60 }, combat_skills: { strength: 50 } }, starting_inventory: { gold: 10, items: { apple: 2, knife: 1 } } };

/**
 * Players spawn at [1, 1] (next to the merchant at [2, 1]) and [7, 1] (next to the collector at
 * [6, 1]). The merchant starts with 50 gold and 2 bread; the collector with nothing.
 */
export const MARKET = {
  map: ["#########", "#S.....S#", "#.......#", "#########"],
  npcs: [
    {
      id: "merchant",
      name: "Merchant",
      at: [2, 1],
      behaviours: [],
      plugins: { items: { gold: 50, items: { bread: 2 } }, interactions: { slots: [{ slotId: "gift", interactionId: "give_item", config: { affinityPerValue: 2, maxAffinity: 12 } }] } },
    },
    { id: "collector", name: "Collector", at: [6, 1], behaviours: [], plugins: { interactions: { slots: [{ slotId: "gift", interactionId: "give_item", config: {} }] } } },
  ],
};

/** Writes `items` as `<dataDir>/items/<id>.json`; returns the data dir. */
export function writeItems(dataDir: string, items: Record<string, object> = TEST_ITEMS): string {
  mkdirSync(join(dataDir, "items"), { recursive: true });
  for (const [id, item] of Object.entries(items)) writeFileSync(join(dataDir, "items", `${id}.json`), JSON.stringify(item));
  return dataDir;
}

/** A data dir with the test items, the porter template and the market world (or `worlds`). */
export function marketDataDir(worlds: Record<string, object> = { market: MARKET }): string {
  return writeItems(writeCharacters(writeWorlds(worlds), { porter: PORTER }));
}

/** What a client's synced state shows of an actor's inventory (undefined fields: not in its view). */
export function seenInventory(room: Room, actorId: string): { gold: unknown; items: Record<string, unknown>; equipped: Record<string, unknown> } {
  const actor = room.state.actors.get(actorId);
  const entries = (map: { forEach(fn: (value: unknown, key: string) => void): void } | undefined) => {
    const out: Record<string, unknown> = {};
    map?.forEach((value, key) => (out[key] = value));
    return out;
  };
  return { gold: actor?.owner?.gold, items: entries(actor?.owner?.items), equipped: entries(actor?.owner?.equipped) };
}
