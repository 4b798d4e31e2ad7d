/**
 * `GET /api/admin/worlds/:id/explain?actor=&from=&to=` (admin; issue 12 "Explain a failed move"):
 * the moves of one actor over a tick range, replayed from the world's journal and snapshots with the
 * server's rules, each with whether it succeeded and, if not, the causal chain and the guard that
 * stopped it. The body is what `npm run replay -- --explain <actor> --json` prints
 * (src/server/replay/explain.ts).
 *
 * - `actor`: the actor id (required); `from`, `to`: ticks, inclusive (default: the last recorded
 *   tick for `to`; for `from`, the first tick a kept state can replay, at most
 *   {@link EXPLAIN_MAX_TICKS} − 1 before `to`).
 * - One request replays at most {@link EXPLAIN_MAX_TICKS} ticks, counted from the kept state it starts
 *   from (a snapshot is kept every `SNAPSHOT_EVERY_TICKS`, the newest 3): beyond, 400 naming `to` (the
 *   range is too long) or `from` (its nearest kept state is too far back). The replay yields to the
 *   event loop every 100 ticks, so running worlds keep their tick while it runs.
 * - A world with no world file: 404 `world/not-found`; a bad value: 400 `request/invalid` naming
 *   the parameter. The query is read after the admin check, so a request without credentials is
 *   401 whatever it asks.
 */
import { createEndpoint } from "@colyseus/better-call";
import { z } from "zod";
import { ID } from "../../content/character-file.ts";
import { ArbiterError } from "../../errors.ts";
import { explainActorPaced } from "../replay/explain.ts";
import { planRange, tickParam } from "../replay/plan.ts";
import type { ServerServices } from "../services.ts";
import { requireAdmin } from "./admin-auth.ts";
import { apiError, rejectInvalid } from "./errors.ts";

/** Most ticks one explain request replays. */
export const EXPLAIN_MAX_TICKS = 10_000;

const explainQuery = z
  .object({ actor: z.string({ error: "is required: the id of the actor to explain" }).pipe(ID), from: tickParam.optional(), to: tickParam.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ["from"], message: "must not be after to" });

export function replayRoutes(services: ServerServices) {
  return {
    explainActor: createEndpoint("/api/admin/worlds/:id/explain", { method: "GET", use: [requireAdmin(services.adminPassword)] }, async (ctx) => {
      const query = explainQuery.safeParse(ctx.query ?? {});
      if (!query.success) rejectInvalid({ message: "invalid query", issues: query.error.issues });
      const def = services.worlds.byId.get(ctx.params.id);
      if (def === undefined) throw apiError("world/not-found", `no world "${ctx.params.id}" (have: ${[...services.worlds.byId.keys()].join(", ")})`);
      const { actor, from, to } = query.data;
      const planned = planRange(services.store, def, { from, to, maxTicks: EXPLAIN_MAX_TICKS });
      if (!planned.ok) rejectInvalid({ message: planned.message, issues: [{ code: "custom", path: [planned.param], message: planned.message, input: undefined }] });
      try {
        return await explainActorPaced(planned.plan, services.plugins.rules, actor);
      } catch (error) {
        // A kept snapshot that no longer fits its world file (`snapshot/mismatch`) says so, with its status.
        if (error instanceof ArbiterError) throw apiError(error.code, error.message);
        throw error;
      }
    }),
  };
}
