/**
 * `npm run replay -- --world <id> --at <tick> --fork <new-id>` (issue 12): a new world whose state
 * is the source world's at that tick, for reproducing a bug or a disputed outcome offline.
 *
 * The fork is what the server opens like any other world (world-loader.ts, world-host.ts): a world
 * file `<DATA_DIR>/worlds/<new-id>.json` (the source's file, with the new id and a name that says
 * where it came from) and one snapshot row of that id at the tick, no journal. Its state hash is the
 * journal's at the tick (the id is not part of the hash). The replay up to the tick is checked, and
 * a divergence refuses the fork: its state would not be the recorded one. Player actors are in the
 * snapshot as they were; the server removes them when it opens the world, as after a crash
 * (world-runtime.ts). A
 * running server lists worlds at start-up, so it opens the fork after a restart.
 *
 * The file is written under a temporary name, then the snapshot, then the file is renamed: a
 * failure leaves neither a world without its state nor state that blocks a retry.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ID } from "../../content/character-file.ts";
import { hashWorld, snapshotWorld, type WorldDef, type WorldRules } from "../../core/index.ts";
import type { Store } from "../store.ts";
import type { WorldRegistry } from "../world-loader.ts";
import { planAt } from "./plan.ts";
import { startReplay } from "./run.ts";
import { checkReplay, type Divergence } from "./verify.ts";

export interface ForkRequest {
  store: Store;
  /** `DATA_DIR`, absolute. */
  dataDir: string;
  worlds: WorldRegistry;
  /** The source world. */
  def: WorldDef;
  /** The server's rules (`services.plugins.rules`). */
  rules: WorldRules;
  /** The tick whose state the fork holds. */
  at: number;
  /** The new world's id: 1–64 letters, digits, `-` or `_`, not taken. */
  newId: string;
}

export type ForkOutcome =
  | { ok: true; worldId: string; tick: number; hash: string; file: string }
  /** A bad request, naming the parameter; nothing was written. */
  | { ok: false; param: "fork" | "at"; message: string }
  /** The replay up to the tick diverged; nothing was written. */
  | { ok: false; param: null; divergence: Divergence };

/** Writes the fork (see the module header). */
export function forkWorld(request: ForkRequest): ForkOutcome {
  const { store, dataDir, def, rules, at, newId } = request;
  const taken = newIdProblem(request);
  if (taken !== undefined) return { ok: false, param: "fork", message: taken };
  const planned = planAt(store, def, at);
  if (!planned.ok) return { ok: false, param: "at", message: planned.message };
  const replay = startReplay(planned.plan, rules);
  const report = checkReplay(store, planned.plan, replay);
  if (report.divergence !== null) return { ok: false, param: null, divergence: report.divergence };
  const world = replay.sim.world;
  const hash = hashWorld(world);
  const source = JSON.parse(readFileSync(join(dataDir, "worlds", `${def.id}.json`), "utf8")) as { name?: unknown };
  const name = `${typeof source.name === "string" ? source.name : def.name} (fork of ${def.id} at tick ${at})`.slice(0, 128);
  const file = join(dataDir, "worlds", `${newId}.json`);
  const temporary = join(dataDir, "worlds", `.${newId}.json.tmp`);
  writeFileSync(temporary, `${JSON.stringify({ ...source, id: newId, name }, null, 2)}\n`);
  try {
    store.saveSnapshot(newId, { ...snapshotWorld(world), worldId: newId }, hash);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
  renameSync(temporary, file);
  return { ok: true, worldId: newId, tick: world.tick, hash, file };
}

/** Why `newId` cannot be a new world, or undefined. */
function newIdProblem({ store, dataDir, worlds, newId }: ForkRequest): string | undefined {
  const parsed = ID.safeParse(newId);
  if (!parsed.success) return `"${newId}" ${parsed.error.issues[0]!.message}`;
  if (worlds.byId.has(newId)) return `world "${newId}" exists already (have: ${[...worlds.byId.keys()].join(", ")})`;
  if (existsSync(join(dataDir, "worlds", `${newId}.json`))) return `${join(dataDir, "worlds", `${newId}.json`)} exists already`;
  if (store.snapshotsOf(newId).length > 0 || store.journalSpan(newId) !== undefined) return `the database holds saved state of a world "${newId}" already`;
  return undefined;
}
