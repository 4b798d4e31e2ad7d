// Where the server and the load generator run. On a small machine they compete for the same cores,
// and a saturated generator then looks like a slow server. So the runner pins them apart with
// taskset(1) (util-linux): the generator (this process, every thread: workers inherit the mask of
// the thread that creates them) to the first half of the CPUs this process may use, the server it
// starts to the rest; on 2 CPUs, generator on CPU 0 and server on CPU 1. --generator-cpus and
// --server-cpus choose the lists, --no-pin turns pinning off. Without taskset, or with one CPU,
// nothing is pinned and the report says that both share the CPUs.
//
// Several server processes (--processes N) get the server's CPUs dealt out, one contiguous share
// each, when there are at least N of them; with fewer, every process shares all of them. On 2 CPUs
// that puts both processes on CPU 1 with the generator alone on CPU 0: the same one core of server
// as one process gets, so 1 and N processes are compared on equal CPU, and N processes cannot
// hold more than one could there (what they cost, not what they add, is measured).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { delimiter, join } from "node:path";

/** "0-2,5" → [0, 1, 2, 5] (sorted, unique); throws on anything else. */
export function parseCpuList(text) {
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text)) throw new Error(`"${text}" is not a CPU list (e.g. 0 or 0-1,3)`);
  const cpus = new Set();
  for (const part of text.split(",")) {
    const [from, to = from] = part.split("-").map(Number);
    if (to < from || to - from > 1024) throw new Error(`"${part}" is not a CPU range`);
    for (let cpu = from; cpu <= to; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

export const formatCpus = (cpus) => cpus.join(",");

/** The CPUs this process may run on (Linux's Cpus_allowed_list), else 0..n-1. */
function allowedCpus() {
  try {
    const line = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (line) return parseCpuList(line[1]);
  } catch {
    // Not Linux: assume every CPU.
  }
  return Array.from({ length: availableParallelism() }, (_, i) => i);
}

function findTaskset() {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/bin", "/bin", "/usr/sbin"];
  return dirs.filter(Boolean).map((dir) => join(dir, "taskset")).find((path) => existsSync(path));
}

/**
 * Decides the placement. pin: false for --no-pin; generatorCpus / serverCpus: lists from the
 * options (or undefined); ownServer: false with --endpoint (that server is not ours to pin);
 * processes: how many server processes share the server's CPUs (processCpus), for the note.
 * Returns { pinned, taskset, generator: cpus, server: cpus | undefined, note }. Throws when a given
 * list names a CPU this process may not use, or the two lists overlap.
 */
export function planPlacement({ pin, generatorCpus, serverCpus, ownServer, processes = 1 }) {
  const allowed = allowedCpus();
  const shared = (why) => ({ pinned: false, generator: allowed, server: ownServer ? allowed : undefined, note: `not pinned: ${why}; the server and the load generator share CPUs ${formatCpus(allowed)}` });
  for (const [name, list] of [["--generator-cpus", generatorCpus], ["--server-cpus", serverCpus]]) {
    const foreign = (list ?? []).filter((cpu) => !allowed.includes(cpu));
    if (foreign.length) throw new Error(`${name}: CPU ${formatCpus(foreign)} is not one this process may use (${formatCpus(allowed)})`);
  }
  if (generatorCpus && serverCpus && generatorCpus.some((cpu) => serverCpus.includes(cpu))) throw new Error("--generator-cpus and --server-cpus overlap");
  if (!pin) return shared("--no-pin");
  const taskset = findTaskset();
  if (!taskset) return shared("taskset not found");
  const half = Math.max(1, Math.floor(allowed.length / 2));
  const generator = generatorCpus ?? (serverCpus ? allowed.filter((cpu) => !serverCpus.includes(cpu)) : allowed.slice(0, half));
  const server = ownServer ? serverCpus ?? allowed.filter((cpu) => !generator.includes(cpu)) : undefined;
  if (generator.length === 0) return shared(`no CPU left for the load generator (${allowed.length} available)`);
  if (ownServer && server.length === 0) return shared(`no CPU left for the server (${allowed.length} available)`);
  const placement = { pinned: true, taskset, generator, server };
  const serverNote = ownServer ? describeServerCpus(placement, processes) : "server not started here (--endpoint): not pinned";
  return { ...placement, note: `${serverNote}, load generator on CPU ${formatCpus(generator)} (taskset)` };
}

/**
 * Pins this process, every thread of it, to the generator's CPUs. Call before any worker starts.
 * Returns the placement, changed to "not pinned" (with the reason) when taskset fails.
 */
export function pinGenerator(placement) {
  if (!placement.pinned) return placement;
  try {
    execFileSync(placement.taskset, ["-a", "-p", "-c", formatCpus(placement.generator), String(process.pid)], { stdio: "ignore", timeout: 5000 });
    return placement;
  } catch (e) {
    const all = allowedCpus();
    return { ...placement, pinned: false, generator: all, server: placement.server && all, note: `not pinned: taskset failed (${String(e?.message ?? e).split("\n")[0]}); the server and the load generator share CPUs ${formatCpus(all)}` };
  }
}

/**
 * The CPUs of each of `count` server processes: the server's CPUs in `count` contiguous shares
 * when there are at least `count`, else all of them for every process. Returns one list per
 * process, or undefined entries when nothing is pinned.
 */
export function processCpus(placement, count) {
  const cpus = placement?.pinned ? placement.server : undefined;
  if (!cpus || cpus.length < count) return Array.from({ length: count }, () => cpus);
  return Array.from({ length: count }, (_, i) => cpus.slice(Math.floor((i * cpus.length) / count), Math.floor(((i + 1) * cpus.length) / count)));
}

/** "server on CPU 1", or for several processes "2 server processes, all on CPU 1" / "… on CPU 2 and 3". */
function describeServerCpus(placement, processes) {
  if (processes === 1) return `server on CPU ${formatCpus(placement.server)}`;
  const shares = processCpus(placement, processes);
  if (shares[0] === placement.server) return `${processes} server processes, all on CPU ${formatCpus(placement.server)}`;
  return `${processes} server processes on CPU ${shares.map(formatCpus).join(", ")} (one share each)`;
}

/**
 * How to start a server: { command, args }, under `taskset -c <cpus>` when pinned; cpus defaults
 * to every server CPU of the placement (one process).
 */
export function serverCommand(placement, nodeArgs, cpus = placement?.server) {
  if (!placement?.pinned || !cpus) return { command: process.execPath, args: nodeArgs };
  return { command: placement.taskset, args: ["-c", formatCpus(cpus), process.execPath, ...nodeArgs] };
}
