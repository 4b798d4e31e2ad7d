/** Plain-text report of the sync benchmark: what was timed, timing, bytes and memory, ratios, targets. */
import type { ModeResult, SyncBenchReport, SyncCaseResult } from "./sync-bench.ts";
import { countLabel, fixed, formatTable, type Column } from "./table.ts";

const KB = 1024;

export function formatSyncHeader(report: Pick<SyncBenchReport, "config" | "target" | "anchor">): string {
  const { config, target, anchor } = report;
  return [
    "== sync: one room tick = core + area of interest + mirror + schema encode for every client (no sockets) ==",
    "timed:    core = stepSimulation; interest = InterestManager.update; mirror = WorldRoom.mirror's copy of the",
    "          tick's moves/respawns/stats into the WorldState; encode = SchemaSerializer.applyPatches over all",
    "          clients (shared encode + one encodeView per client + discardChanges), as broadcastPatch calls it.",
    "          full tick = their sum. submitInput, mover choice and all counting are outside the timers.",
    `scene:    dense world (~37.5% of floor cells hold an actor), clients = player actors joined on random free`,
    `          cells via WorldRoom's join path; each tick ${Math.round(config.moverShare * 100)}% of all actors (fresh random subset, players`,
    "          included) get one move in a random direction; pushes and blocks decide what actually moves.",
    `modes:    AOI = radius ${config.radius} (world default); no-AOI = radius 0, every client sees every actor. Same world, joins`,
    "          and inputs in one process, ticks alternating; state hashes must match every tick.",
    "bytes:    per client per tick = mean patch frame length a client receives (1-byte header + shared part +",
    "          its view). B/changed = that ÷ actors visible to the client that changed this tick (moved,",
    "          respawned or stats; entering actors count, leaving ones do not). KB = 1024 B.",
    `joins:    one patch after each join; 'join snapshot' = getFullState (encodeAll + encodeAllView) for the last`,
    `          ${config.snapshotJoins} joins of a batch. heap/client = growth of heapUsed+external over a join batch ÷ its clients,`,
    "          after forced full GCs. memory per player: a fresh process per size joins clients into an AOI scene",
    `          (one patch every ${config.memoryProbe.patchEvery} joins) and reads RSS and heap after full GCs at ${config.memoryProbe.checkpoints.join(", ")} clients, once RSS`,
    "          has settled (the loop yields until two readings 250 ms apart agree: V8 unmaps freed pages in the background): growth ÷",
    "          clients, and the marginal slope between the first and last reading (fixed costs drop out). A player",
    "          = its core actor, ActorState, StateView, observer, visibility bits and share of encoder buffers.",
    "stock:    the scene a Colyseus user would write (stock-scene.ts), fed the AOI run's actors and moves tick for tick:",
    "          schema { id, x, y }, one StateView per client refreshed by a plain scan of every actor, encoded by",
    "          applyPatches. Its full tick = mirror + interest + encode (no simulation of its own).",
    `targets:  at ${countLabel(target.actors)} actors × ${target.clients} clients with AOI: full tick ≤ ${target.fullTickMs} ms, ≤ ${target.bytesPerClientTick / KB} KB/client/tick,`,
    `          ≤ ${target.bytesPerChangedActor} B per changed visible actor, ≤ ${target.bytesPerPlayer / KB} KB memory per player.`,
    `anchor:   ${anchor.source}: ${anchor.msPerTick} ms/tick, ~${anchor.bytesPerClientTick / KB} KB/client/tick.`,
  ].join("\n");
}

const TIMING_COLUMNS: readonly Column[] = [
  { header: "actors", align: "right" },
  { header: "clients", align: "right" },
  { header: "AOI", align: "left" },
  { header: "ticks", align: "right" },
  { header: "moved/tick", align: "right" },
  { header: "core ms", align: "right" },
  { header: "interest ms", align: "right" },
  { header: "mirror ms", align: "right" },
  { header: "encode ms", align: "right" },
  { header: "µs/view", align: "right" },
  { header: "full ms", align: "right" },
  { header: "full p99", align: "right" },
];

/** Medians per tick unless the header says p99. */
export function formatSyncTimingTable(results: readonly SyncCaseResult[]): string {
  const rows = modeRows(results).map(({ r, m }) => [
    countLabel(r.actors),
    String(r.clients),
    modeLabel(m),
    String(r.measuredTicks),
    fixed(r.perTick.moved, 0),
    fixed(m.ms.core.median, 2),
    fixed(m.ms.interest.median, 2),
    fixed(m.ms.mirror.median, 2),
    fixed(m.ms.encode.median, 2),
    fixed(m.perViewUs, 1),
    fixed(m.ms.fullTick.median, 2),
    fixed(m.ms.fullTick.p99, 2),
  ]);
  return formatTable(TIMING_COLUMNS, rows);
}

const BYTES_COLUMNS: readonly Column[] = [
  { header: "actors", align: "right" },
  { header: "clients", align: "right" },
  { header: "AOI", align: "left" },
  { header: "visible", align: "right" },
  { header: "changed vis.", align: "right" },
  { header: "enter/leave", align: "right" },
  { header: "B/client/tick", align: "right" },
  { header: "max frame", align: "right" },
  { header: "B/changed", align: "right" },
  { header: "join snapshot", align: "right" },
  { header: "join ms", align: "right" },
  { header: "heap/client", align: "right" },
];

/** Visibility counts are per client per tick (means). */
export function formatSyncBytesTable(results: readonly SyncCaseResult[]): string {
  const rows = modeRows(results).map(({ r, m }) => [
    countLabel(r.actors),
    String(r.clients),
    modeLabel(m),
    fixed(m.visibility.visible, 0),
    fixed(m.visibility.changedVisible, 1),
    `${fixed(m.visibility.enters, 1)}/${fixed(m.visibility.leaves, 1)}`,
    fixed(m.bytesPerClientTick, 0),
    String(m.maxFrameBytes),
    fixed(m.bytesPerChangedVisible, 2),
    bytesLabel(m.join.bytes),
    `${fixed(m.join.ms.median, 1)}`,
    `${fixed(m.memory.heapPerClient / KB, 1)} KB`,
  ]);
  return formatTable(BYTES_COLUMNS, rows);
}

/** Memory per player from the isolated probe: RSS | heap per client at each checkpoint, then the slope. */
export function formatSyncMemoryTable(report: SyncBenchReport): string {
  const checkpoints = report.config.memoryProbe.checkpoints;
  const columns: Column[] = [
    { header: "actors", align: "left" },
    ...checkpoints.map((c) => ({ header: `${c} clients RSS | heap`, align: "right" as const })),
    { header: `marginal ${checkpoints[0]}→${checkpoints[checkpoints.length - 1]} RSS | heap`, align: "right" },
  ];
  const kb = (rss: number, heap: number): string => `${fixed(rss / KB, 1)} | ${fixed(heap / KB, 1)} KB`;
  const rows = report.playerMemory.map((m) => [
    `${countLabel(m.actors)} (AOI)`,
    ...m.points.map((p) => kb(p.rssPerClient, p.heapPerClient)),
    kb(m.marginal.rssPerClient, m.marginal.heapPerClient),
  ]);
  return formatTable(columns, rows);
}

const RATIO_COLUMNS: readonly Column[] = [
  { header: "actors", align: "right" },
  { header: "clients", align: "right" },
  { header: "full tick no-AOI/AOI", align: "right" },
  { header: "encode no-AOI/AOI", align: "right" },
  { header: "bytes no-AOI/AOI", align: "right" },
];

export function formatSyncRatioTable(results: readonly SyncCaseResult[]): string {
  const rows = results.map((r) =>
    r.ratio
      ? [countLabel(r.actors), String(r.clients), `${fixed(r.ratio.fullTick, 1)}x`, `${fixed(r.ratio.encode, 1)}x`, `${fixed(r.ratio.bytes, 1)}x`]
      : [countLabel(r.actors), String(r.clients), "not run", "not run", "not run"],
  );
  return formatTable(RATIO_COLUMNS, rows);
}

const STOCK_COLUMNS: readonly Column[] = [
  { header: "actors", align: "right" },
  { header: "clients", align: "right" },
  { header: "stock full ms", align: "right" },
  { header: "stock interest", align: "right" },
  { header: "stock encode", align: "right" },
  { header: "stock B/client", align: "right" },
  { header: "full ×", align: "right" },
  { header: "encode ×", align: "right" },
  { header: "interest ×", align: "right" },
  { header: "bytes ×", align: "right" },
];

/**
 * The stock scene (stock-scene.ts) beside Arbiter's AOI run, same run, same moves: its medians, and
 * Arbiter ÷ stock for each (below 1 = Arbiter is cheaper).
 */
export function formatSyncStockTable(results: readonly SyncCaseResult[]): string {
  const rows = results.map((r) => [
    countLabel(r.actors),
    String(r.clients),
    fixed(r.stock.ms.fullTick.median, 2),
    fixed(r.stock.ms.interest.median, 2),
    fixed(r.stock.ms.encode.median, 2),
    fixed(r.stock.bytesPerClientTick, 0),
    `${fixed(r.vsStock.fullTick, 2)}x`,
    `${fixed(r.vsStock.encode, 2)}x`,
    `${fixed(r.vsStock.interest, 2)}x`,
    `${fixed(r.vsStock.bytes, 2)}x`,
  ]);
  return formatTable(STOCK_COLUMNS, rows);
}

/** One line per target: measured, target, MET/MISSED and by how much. */
export function formatSyncTargets(report: SyncBenchReport): string {
  const { target } = report;
  const r = report.results.find((c) => c.actors === target.actors && c.clients === target.clients);
  if (!r) return "targets: no run at the target size";
  const m = r.aoi;
  const lines = [
    verdict("full tick (core + interest + mirror + encode), median", m.ms.fullTick.median, target.fullTickMs, "ms"),
    verdict("bytes per client per tick", m.bytesPerClientTick / KB, target.bytesPerClientTick / KB, "KB"),
    verdict("bytes per changed visible actor", m.bytesPerChangedVisible, target.bytesPerChangedActor, "B"),
    verdict("bytes for an actor entering a view (join snapshot ÷ actors in it)", m.join.bytes / m.visibility.visible, target.bytesPerEnter, "B"),
    verdict("full tick ÷ the stock scene's, same run", r.vsStock.fullTick, target.vsStock.fullTick, "x"),
    verdict("encode ÷ the stock scene's", r.vsStock.encode, target.vsStock.encode, "x"),
    verdict("interest ÷ the stock scene's naive scan", r.vsStock.interest, target.vsStock.interest, "x"),
    ...memoryVerdicts(report),
  ];
  return [`targets at ${countLabel(target.actors)} actors × ${target.clients} clients, AOI radius ${m.radius}:`, ...lines].join("\n");
}

function memoryVerdicts(report: SyncBenchReport): string[] {
  const { target } = report;
  const mem = report.playerMemory.find((p) => p.actors === target.actors);
  const at = mem?.points.find((p) => p.clients === target.clients);
  if (!mem || !at) return ["  memory per player: no probe at the target size"];
  const limit = target.bytesPerPlayer / KB;
  const span = `${mem.points[0]!.clients}→${mem.points[mem.points.length - 1]!.clients}`;
  return [
    verdict(`memory per player, RSS growth ÷ ${at.clients} clients (fresh process)`, at.rssPerClient / KB, target.rssPerPlayer / KB, "KB"),
    verdict(`memory per player, marginal RSS ${span} clients`, mem.marginal.rssPerClient / KB, target.rssPerPlayer / KB, "KB"),
    verdict(`memory per player, heap growth ÷ ${at.clients} clients`, at.heapPerClient / KB, limit, "KB"),
    verdict(`memory per player, marginal heap ${span} clients`, mem.marginal.heapPerClient / KB, limit, "KB"),
  ];
}

function verdict(label: string, measured: number, limit: number, unit: string): string {
  const met = measured <= limit;
  const by = met ? `${fixed(((limit - measured) / limit) * 100, 0)}% under` : `${fixed(measured / limit, 1)}x the target`;
  return `  ${met ? "MET   " : "MISSED"} ${label}: ${fixed(measured, 2)} ${unit} (target ≤ ${limit} ${unit}; ${by})`;
}

export function formatSyncNotes(report: SyncBenchReport): string {
  const { anchor, target } = report;
  const r = report.results.find((c) => c.actors === target.actors && c.clients === target.clients);
  const mismatches = report.results.flatMap((c) => [c.aoi, c.none].filter((m): m is ModeResult => m !== null).map((m) => m.interestMismatches));
  const lines = [
    `gc: ${report.gc} (memory probes: ${report.playerMemory[0]?.gc ?? "n/a"}). state hashes equal in both modes every tick: ${report.results.every((c) => c.hashesMatch) ? "yes" : "NO"}.`,
    `interest cross-check (InterestManager visible sets vs geometry after each run): ${mismatches.reduce((a, b) => a + b, 0)} mismatching clients.`,
    `encoder buffer regrowths (each logs a @colyseus/schema 'buffer overflow' warning; silenced here): ${report.bufferRegrowths}.`,
  ];
  const maxClients = Math.max(...report.config.clientCounts);
  for (const size of report.config.sizes) {
    if (size.noAoiMaxClients >= maxClients) continue;
    lines.push(`not run: no-AOI at ${countLabel(size.actors)} actors above ${size.noAoiMaxClients} clients (each no-AOI join puts every actor in a view; bounded run time).`);
  }
  if (r) lines.push(formatByteSplit(r));
  if (r) {
    lines.push(
      `anchor vs here at ${countLabel(r.actors)} × ${r.clients}: ${anchor.msPerTick} ms/tick and ~${anchor.bytesPerClientTick / KB} KB/client on 16 threads;` +
        ` here encode ${fixed(r.aoi.ms.encode.median, 2)} ms (AOI) / ${r.none ? fixed(r.none.ms.encode.median, 2) : "n/a"} ms (no-AOI),` +
        ` ${fixed(r.aoi.bytesPerClientTick / KB, 2)} KB (AOI) / ${r.none ? fixed(r.none.bytesPerClientTick / KB, 2) : "n/a"} KB (no-AOI) per client per tick.`,
    );
  }
  return lines.join("\n");
}

/**
 * An estimate of where an AOI client's bytes go: entering actors cost about what they cost in the
 * join snapshot (its bytes ÷ the actors it holds); the rest, over the changed visible actors, is
 * the per-update cost that the no-AOI run measures directly (no enters there).
 */
function formatByteSplit(r: SyncCaseResult): string {
  const m = r.aoi;
  const perEnter = m.join.bytes / m.visibility.visible;
  const enterBytes = m.visibility.enters * perEnter;
  const rest = m.bytesPerClientTick - enterBytes;
  const none = r.none ? `; no-AOI (no enters) measures ${fixed(r.none.bytesPerChangedVisible, 2)} B per changed actor` : "";
  return (
    `byte split at ${countLabel(r.actors)} × ${r.clients} AOI (estimate): ${fixed(m.visibility.enters, 1)} entering actors × ~${fixed(perEnter, 0)} B (snapshot bytes ÷ visible)` +
    ` = ~${fixed(enterBytes, 0)} of ${fixed(m.bytesPerClientTick, 0)} B/client/tick; the other ~${fixed(rest, 0)} B over ${fixed(m.visibility.changedVisible, 1)} changed visible actors` +
    ` = ~${fixed(rest / m.visibility.changedVisible, 2)} B each${none}.`
  );
}

function modeRows(results: readonly SyncCaseResult[]): { r: SyncCaseResult; m: ModeResult }[] {
  return results.flatMap((r) => [r.aoi, r.none].filter((m): m is ModeResult => m !== null).map((m) => ({ r, m })));
}

function modeLabel(m: ModeResult): string {
  return m.mode === "aoi" ? `r=${m.radius}` : "none";
}

function bytesLabel(bytes: number): string {
  if (!Number.isFinite(bytes)) return "n/a";
  if (bytes >= KB * KB) return `${fixed(bytes / KB / KB, 2)} MB`;
  if (bytes >= KB) return `${fixed(bytes / KB, 1)} KB`;
  return `${fixed(bytes, 0)} B`;
}
