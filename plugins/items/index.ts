/**
 * `items`: item definitions, inventories and the `give_item` interaction (issue 10 "items", seed
 * 003 §3.2).
 *
 * At load: reads and validates `DATA_DIR/items/*.json` (catalog.ts; a bad file stops start-up
 * naming the file and field paths) and the character templates' `starting_inventory` (starting.ts),
 * declares the NPC section `npcs[].plugins.items: { gold, items }`, registers the item operations
 * as action kinds (operations.ts: `use`, `equip`, `unequip`, `offer`, `loot`, and the server-only
 * `item-add`, `item-remove`), the `give_item` interaction (give.ts) and the `transfer-gold` and
 * `transfer-item` effects (effects.ts) with the dispatcher, and the inventory routes (routes.ts).
 *
 * An inventory is this plugin's state on an actor, `{ gold, items, equipped }` (inventory.ts).
 *
 * Messages: client → `use { itemId }`, `equip { itemId }`, `unequip { slot }`, `offer { itemId }`,
 * `loot { targetId }`; server → `item { op, message, itemId?, slot? }` when done, `error { code,
 * message }` when refused (codes.ts), before the tick (at the edge) or in it.
 */
import { z } from "zod";
import { formatIssues } from "../../src/content/format-issues.ts";
import { defineActionKind, type Method } from "../../src/core/index.ts";
import { definePlugin, type ActionEdge } from "../../src/plugins/api.ts";
import { loadCatalog } from "./catalog.ts";
import { ITEM_ERRORS, refuse, type ItemEvent } from "./codes.ts";
import { createTransferGold, createTransferItem } from "./effects.ts";
import { createGiveItem } from "./give.ts";
import { ITEM_OPS, type ItemOp, type ItemsDeps } from "./operations.ts";
import { registerRoutes } from "./routes.ts";
import { createNpcSeeding, createPlayerSeed, loadStartingInventories, npcSectionSchema } from "./starting.ts";
import type { ItemMessage } from "../../src/wire.ts";

export default definePlugin({
  manifest: {
    id: "items",
    name: "Items",
    version: "1.0.0",
    description: "Item definitions, inventories (use, equip, loot), give_item, and the gold and item transfers other interactions use.",
    tags: ["interactions", "items"],
    prefix: "inventory",
    dependencies: { interactions: "^1.0.0" },
    permissions: ["interactions:register", "actions:register", "events:subscribe", "world-state", "stats:write", "clients:send", "worlds:read", "sessions:read", "http:routes", "scheduler:register"],
  },
  onLoad(ctx) {
    const catalog = loadCatalog(ctx.dataDir);
    const seed = createPlayerSeed(loadStartingInventories(ctx.dataDir, catalog));
    const deps: ItemsDeps = { catalog, state: ctx.state, stats: ctx.stats };
    ctx.defineErrors(ITEM_ERRORS);
    ctx.state.sections({ npc: npcSectionSchema(catalog) });
    ctx.state.initialActor(seed);
    ctx.scheduler.register(createNpcSeeding(ctx.state, catalog));

    ctx.events.define("item");
    ctx.events.on("item", (event, _tick, world) => {
      if (event.verdict === "refused") ctx.clients.send(world.id, event.actorId, "error", { code: event.code, message: event.message });
      else ctx.clients.send(world.id, event.actorId, "item", { op: event.op, message: event.message, ...(event.itemId !== undefined ? { itemId: event.itemId } : {}), ...(event.slot !== undefined ? { slot: event.slot } : {}) } satisfies ItemMessage);
    });
    for (const op of ITEM_OPS) ctx.actions.register(toActionKind(deps, op), toEdge(deps, op));

    const interactions = ctx.use("interactions:register");
    interactions.register(createGiveItem(deps));
    interactions.registerEffect(createTransferGold(deps));
    interactions.registerEffect(createTransferItem(deps));

    registerRoutes({ http: ctx.http, catalog, sessions: ctx.sessions, worlds: ctx.worlds, seed });
  },
});

/**
 * The op as an action kind. Its control parses the payload (so a replay resolves the journaled one
 * the same way); its method checks again in the tick, applies, and reports an `item` event. A
 * server-only op's client payload schema accepts nothing, so neither a client message nor the
 * public `POST /api/sessions/:id/actions` can submit it; the admin routes queue it directly.
 */
function toActionKind(deps: ItemsDeps, op: ItemOp<unknown>) {
  return defineActionKind<unknown>({
    name: op.kind,
    payload: op.serverOnly ? z.custom<never>(() => false, { message: `${op.kind} is the server's: use the admin routes /api/sessions/:sessionId/inventory/add and /remove` }) : op.payload,
    control(_actor, raw) {
      const parsed = op.payload.safeParse(raw);
      if (!parsed.success) return { ok: false, code: "command/invalid", message: `${op.kind}: ${formatIssues(parsed.error.issues).join("; ")}` };
      const payload = parsed.data as { itemId?: string; slot?: string };
      const method: Method = (tick, action) => {
        const outcome = op.check(deps, tick.world, action.actor, payload) ?? op.apply(deps, tick, action.actor, payload);
        const event: ItemEvent = { type: "item", actorId: action.actor.id, op: op.kind, verdict: outcome.ok ? "done" : "refused", message: outcome.message };
        if (!outcome.ok) event.code = outcome.code;
        const itemId = (outcome.ok ? outcome.itemId : undefined) ?? payload.itemId;
        const slot = (outcome.ok ? outcome.slot : undefined) ?? payload.slot;
        if (itemId !== undefined) event.itemId = itemId;
        if (slot !== undefined) event.slot = slot;
        tick.events.push(event);
        return outcome.ok ? true : "rejected";
      };
      return { ok: true, value: { behaviour: "Moveable", dir: "N", method } };
    },
  });
}

/** Refuses a client's attempt before the tick when the op's check already fails (or it is server-only). */
function toEdge(deps: ItemsDeps, op: ItemOp<unknown>): ActionEdge {
  return {
    admit(attempt) {
      if (op.serverOnly) return refuse("items/server-only", `${op.kind} is the server's: items and gold are added and removed through the admin routes`);
      const parsed = op.payload.safeParse(attempt.payload);
      if (!parsed.success) return { ok: true, value: attempt.payload }; // the room's payload check answers command/invalid
      return op.check(deps, attempt.world, attempt.actor, parsed.data) ?? { ok: true, value: attempt.payload };
    },
  };
}
