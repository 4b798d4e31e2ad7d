// Command-line options of the fuzzer (`npm run fuzz -- …`), validated once here. A bad value exits
// with code 2 and a message naming the option.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { optionReader } from "../cli-options.mjs";

export const USAGE = `usage: npm run fuzz -- [options]

  --seed N            seed of every generated message (default 1); same seed, same messages
  --count N           messages (frames) to send, 100–1000000 (default 20000)
  --clients N         hostile clients at a time, 2–32, half SDK, half raw (default 10)
  --rate R            messages per second per hostile client, 1–35 (default 25; the server's
                      flood limit is 40, only "flood" items go over it)
  --sdk-share F       share of the messages sent through the SDK, 0–1 (default 0.5)
  --hostile-joins N   joins with hostile options, 0–1000 (default 40)
  --deadline S        hard limit of the whole run in seconds, 30–3600 (default 300)
  --rss-ceiling MB    the server's RSS must end below this (default 400)
  --heap-wait S       after the traffic, wait at most S seconds for a major GC to read the live
                      heap (default 60; see fuzz/heap-monitor.mjs)
  --keep              keep the temporary directory (data, database, server log)
  --repo DIR          run the server from another checkout of Arbiter (say, an older commit
                      exported with git archive), to see what the fuzzer finds there
  --dry-run           only generate the messages; print their counts and digest`;

const { fail, parse, readInt, readNumber } = optionReader("fuzz", USAGE);

const SPEC = {
  seed: { type: "string", default: "1" },
  count: { type: "string", default: "20000" },
  clients: { type: "string", default: "10" },
  rate: { type: "string", default: "25" },
  "sdk-share": { type: "string", default: "0.5" },
  "hostile-joins": { type: "string", default: "40" },
  deadline: { type: "string", default: "300" },
  "rss-ceiling": { type: "string", default: "400" },
  "heap-wait": { type: "string", default: "60" },
  keep: { type: "boolean", default: false },
  repo: { type: "string" },
  "dry-run": { type: "boolean", default: false },
  help: { type: "boolean", default: false },
};

/**
 * Parses argv. Returns { seed, count, clients, rate, sdkShare, hostileJoins, deadlineS, rssCeilingMB, heapWaitS,
 * keep, repo (absolute path | undefined), dryRun }.
 */
export function readOptions(argv = process.argv.slice(2)) {
  const values = parse(argv, SPEC);
  if (values.repo !== undefined && !existsSync(join(values.repo, "src", "server", "main.ts"))) fail(`--repo: no src/server/main.ts under ${values.repo}`);
  return {
    seed: readInt("seed", values.seed, 0, 2 ** 32 - 1),
    count: readInt("count", values.count, 100, 1_000_000),
    clients: readInt("clients", values.clients, 2, 32),
    rate: readNumber("rate", values.rate, 1, 35),
    sdkShare: readNumber("sdk-share", values["sdk-share"], 0, 1),
    hostileJoins: readInt("hostile-joins", values["hostile-joins"], 0, 1000),
    deadlineS: readNumber("deadline", values.deadline, 30, 3600),
    rssCeilingMB: readNumber("rss-ceiling", values["rss-ceiling"], 50, 16_384),
    heapWaitS: readNumber("heap-wait", values["heap-wait"], 0, 600),
    keep: values.keep,
    repo: values.repo === undefined ? undefined : resolve(values.repo),
    dryRun: values["dry-run"],
  };
}
