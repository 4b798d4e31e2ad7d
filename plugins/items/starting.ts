/**
 * Starting inventories (issue 10 "items", seed 003's `starting_inventory`).
 *
 * Players: a character template may carry `starting_inventory: { gold, items }`
 * (`DATA_DIR/characters/<id>.json`); a player joining without an inventory of its own (a new
 * session, or one older than the plugin) starts with its template's, through `initialActor`. From
 * then on the inventory travels with the session.
 *
 * NPCs: a world file's `npcs[].plugins.items: { gold, items }`. They are given by a task of the
 * world's own tick (`items:seed-npcs`, every tick, after the brains and before the pipeline): at
 * the first tick the world computes, each NPC with a section and no inventory yet gets it, and its
 * id is recorded in the plugin's world state (`seeded`), so it happens once per NPC and never again
 * (a restored world finds them seeded; an NPC added to the world file later is seeded at the next
 * tick). Being part of the tick, it is deterministic, replayed with the journal and in the snapshot,
 * like any write of the tick. Between a fresh world's creation and its first tick (one tick period)
 * NPCs have no inventory yet. Checking costs one comparison per tick once every NPC is seeded.
 */
import { join, relative } from "node:path";
import { startingInventorySchema, type StartingInventory } from "../../src/content/character-file.ts";
import type { PlainData, ScheduledTask, World } from "../../src/core/index.ts";
import type { PlayerSeed, PluginWorldState } from "../../src/plugins/api.ts";
import { loadTemplates } from "../../src/server/world-loader.ts";
import { checkStartingItems, type Catalog } from "./catalog.ts";
import { toState } from "./inventory.ts";
import { markSeeded, readItemsWorld } from "./world-state.ts";

/** The NPC section `npcs[].plugins.items`: a starting inventory whose item ids the catalog knows. */
export function npcSectionSchema(catalog: Catalog) {
  return startingInventorySchema.superRefine((inventory, check) => {
    for (const problem of checkStartingItems(catalog, inventory.items)) check.addIssue({ code: "custom", path: problem.path, message: problem.message });
  });
}

/**
 * The character templates' starting inventories, by template id. Throws one `Error` naming each
 * template file and field whose item is not in the catalog. (A template file that does not parse
 * at all is the world loader's to report, with the same path.)
 */
export function loadStartingInventories(dataDir: string, catalog: Catalog): ReadonlyMap<string, StartingInventory> {
  const dir = join(dataDir, "characters");
  const templates = loadTemplates(dir, []);
  const found = new Map<string, StartingInventory>();
  const problems: string[] = [];
  for (const template of templates.values()) {
    if (template.startingInventory === undefined) continue;
    const bad = checkStartingItems(catalog, template.startingInventory.items);
    const source = relative(process.cwd(), join(dir, `${template.id}.json`));
    if (bad.length > 0) problems.push(`${source}: invalid character template\n${bad.map((p) => `  - starting_inventory.${p.path.join(".")}: ${p.message}`).join("\n")}`);
    else found.set(template.id, template.startingInventory);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return found;
}

/** `initialActor`'s seed: the player's template's starting inventory, or none. */
export function createPlayerSeed(starting: ReadonlyMap<string, StartingInventory>): (player: PlayerSeed) => PlainData | undefined {
  return (player) => {
    const inventory = starting.get(player.character.template);
    return inventory === undefined ? undefined : toState({ gold: inventory.gold, items: inventory.items, equipped: {} });
  };
}

/** The `items:seed-npcs` task (see the module header). */
export function createNpcSeeding(state: PluginWorldState, catalog: Catalog): ScheduledTask {
  const schema = npcSectionSchema(catalog);
  // World → its `items` world state when every NPC was last found seeded. Stored values are
  // replaced, never mutated, so an unchanged reference means nothing new to do.
  const settled = new WeakMap<World, PlainData | undefined>();
  return {
    name: "items:seed-npcs",
    everyTicks: 1,
    run(world) {
      if (settled.has(world) && settled.get(world) === state.getWorld(world)) return;
      const done = new Set(readItemsWorld(state, world).seeded);
      const fresh: string[] = [];
      for (const npc of world.def.npcs) {
        const section = npc.plugins?.["items"];
        const actor = world.byId.get(npc.id);
        if (section === undefined || done.has(npc.id) || actor === undefined) continue;
        const parsed = schema.safeParse(section); // checked at start-up
        if (parsed.success && state.getActor(actor) === undefined) state.setActor(world, actor, toState({ ...parsed.data, equipped: {} }));
        fresh.push(npc.id);
      }
      if (fresh.length > 0) markSeeded(state, world, fresh);
      settled.set(world, state.getWorld(world));
    },
  };
}
