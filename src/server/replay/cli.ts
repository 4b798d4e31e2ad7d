/**
 * `npm run replay` (issue 12 "Replay and explanation"), on the data the server uses: the same
 * environment (`DATA_DIR`, `DATABASE_PATH`, `PLUGINS_DIR` … read by config.ts) and the same start-up
 * (boot.ts `createServices`: database, plugins and their rules, world files), then one of:
 *
 *     --world <id> [--from <tick>] [--to <tick>]          verify: `N ticks verified`, or the first divergence
 *     --world <id> --at <tick> --fork <new-id>             fork: a new world whose snapshot is that tick's state
 *     --world <id> --explain <actorId> [--from] [--to]     explain the actor's moves in the range
 *
 * `--json` prints the report as JSON (the explanation is the admin route's body). Exit codes: 0
 * verified (or forked, or explained without divergence), 1 a divergence, 2 bad arguments or
 * configuration (the message names the flag or variable; nothing was replayed or written).
 * Logs go to stderr at `warn` unless `LOG_LEVEL` is set.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { z } from "zod";
import { ID } from "../../content/character-file.ts";
import { formatIssues } from "../../content/format-issues.ts";
import { ArbiterError } from "../../errors.ts";
import { createServices } from "../boot.ts";
import { loadConfig, type LogLevel, type ServerConfig } from "../config.ts";
import type { ServerServices } from "../services.ts";
import { explainActor } from "./explain.ts";
import { forkWorld } from "./fork.ts";
import { formatExplanation, formatDivergence, formatVerify } from "./format.ts";
import { planRange, tickParam, type Planned } from "./plan.ts";
import { verifyJournal } from "./verify.ts";

export const USAGE = `usage: npm run replay -- --world <id> [--from <tick>] [--to <tick>] [--json]
       npm run replay -- --world <id> --at <tick> --fork <new-world-id> [--json]
       npm run replay -- --world <id> --explain <actorId> [--from <tick>] [--to <tick>] [--json]`;

/** Where the tool writes: results to `out`, problems to `err`. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const flagsSchema = z
  .object({
    world: z.string({ error: "is required: the id of the world to replay" }).min(1, "is required: the id of the world to replay"),
    from: tickParam.optional(),
    to: tickParam.optional(),
    at: tickParam.optional(),
    fork: z.string().optional(),
    explain: ID.optional(),
    json: z.boolean().optional(),
  })
  .superRefine((flags, ctx) => {
    const issue = (flag: string, message: string): void => ctx.addIssue({ code: "custom", path: [flag], message });
    if ((flags.at === undefined) !== (flags.fork === undefined)) issue(flags.at === undefined ? "at" : "fork", "--at and --fork go together: --at <tick> --fork <new-world-id>");
    if (flags.fork !== undefined && flags.explain !== undefined) issue("explain", "cannot be combined with --fork");
    if (flags.fork !== undefined && (flags.from !== undefined || flags.to !== undefined)) issue(flags.from !== undefined ? "from" : "to", "cannot be combined with --fork (use --at)");
    if (flags.from !== undefined && flags.to !== undefined && flags.from > flags.to) issue("from", `tick ${flags.from} is after --to ${flags.to}`);
  });

type Flags = z.infer<typeof flagsSchema>;

/** Runs the tool with `argv` (the arguments after `--`) over `env`; resolves with the exit code. */
export async function runReplayCli(argv: readonly string[], env: NodeJS.ProcessEnv, output: CliOutput, cwd = process.cwd()): Promise<number> {
  const flags = parseFlags(argv, output);
  if (flags === undefined) return 2;
  let services: ServerServices;
  let config: ServerConfig;
  try {
    config = loadConfig(env, cwd);
    const level: LogLevel = env.LOG_LEVEL ? config.logLevel : "warn";
    // The replay serves nothing: an unset ADMIN_PASSWORD needs no generated (and logged) one.
    services = await createServices({ ...config, adminPassword: config.adminPassword ?? randomBytes(18).toString("base64url") }, pino({ name: "arbiter-replay", level }, process.stderr));
  } catch (e) {
    return refuseSetup(e, output);
  }
  try {
    services.sessionExpiry.stop();
    return runMode(services, config.dataDir, flags, output);
  } catch (e) {
    return refuseSetup(e, output);
  } finally {
    await services.plugins.host.disable();
    services.store.close();
  }
}

function parseFlags(argv: readonly string[], output: CliOutput): Flags | undefined {
  let values: Record<string, unknown>;
  try {
    const string = { type: "string" } as const;
    values = parseArgs({ args: [...argv], options: { world: string, from: string, to: string, at: string, fork: string, explain: string, json: { type: "boolean" } }, strict: true, allowPositionals: false }).values;
  } catch (e) {
    output.err(`replay: ${(e as Error).message}\n${USAGE}\n`);
    return undefined;
  }
  const parsed = flagsSchema.safeParse(values);
  if (parsed.success) return parsed.data;
  output.err(`${formatIssues(parsed.error.issues).map((line) => `replay: --${line}`).join("\n")}\n${USAGE}\n`);
  return undefined;
}

function runMode(services: ServerServices, dataDir: string, flags: Flags, output: CliOutput): number {
  const def = services.worlds.byId.get(flags.world);
  if (def === undefined) {
    output.err(`replay: --world: no world "${flags.world}" (have: ${[...services.worlds.byId.keys()].join(", ")})\n`);
    return 2;
  }
  const rules = services.plugins.rules;
  const print = (json: unknown, text: string): void => output.out(flags.json ? `${JSON.stringify(json, null, 2)}\n` : text);
  if (flags.fork !== undefined) {
    const forked = forkWorld({ store: services.store, dataDir, worlds: services.worlds, def, rules, at: flags.at!, newId: flags.fork });
    if (forked.ok) {
      print(forked, `forked world ${def.id} at tick ${forked.tick} into ${forked.worldId}: state hash ${forked.hash}, world file ${forked.file}; the server opens it after a restart\n`);
      return 0;
    }
    if (forked.param !== null) return refuse(output, forked.param, forked.message);
    print(forked, [`not forked: the replay diverged at tick ${forked.divergence.tick}`, ...formatDivergence(forked.divergence)].join("\n") + "\n");
    return 1;
  }
  const planned: Planned = planRange(services.store, def, { from: flags.from, to: flags.to });
  if (!planned.ok) return refuse(output, planned.param, planned.message);
  if (flags.explain !== undefined) {
    const explanation = explainActor(planned.plan, rules, flags.explain);
    print(explanation, formatExplanation(explanation, planned.plan));
    return explanation.divergence === null ? 0 : 1;
  }
  const report = verifyJournal(services.store, planned.plan, rules);
  print(report, formatVerify(report, planned.plan));
  return report.divergence === null ? 0 : 1;
}

/** A coded start-up error (bad configuration, a world file, a snapshot that no longer fits): exit 2. Anything else is a bug: rethrown. */
function refuseSetup(error: unknown, output: CliOutput): number {
  if (!(error instanceof ArbiterError)) throw error;
  output.err(`replay: ${error.code}: ${error.message}\n`);
  return 2;
}

function refuse(output: CliOutput, flag: string, message: string): number {
  output.err(`replay: --${flag}: ${message}\n`);
  return 2;
}
