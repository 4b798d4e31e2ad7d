// Plots of a load test, made with Vega-Lite and rendered headless by Vega (`view.toSVG()`, no
// canvas). Five panels over the run's seconds: move → patch latency (p50/p95/p99, probes only), CCU,
// messages per second, CPU (the server's, the load generator's, and its thin bots' and probes'
// worker threads, % of one core) and the server's RSS.
// With --compare-bare both runs share the panels, told apart by the line's dash. With several server
// processes (--processes N) the CPU panel adds each process's line, and a panel shows the commands
// their Redis ran per second.
//
// The PNG is rendered from the SVG by resvg (WebAssembly, no native build) with a system TrueType
// font; without one (no DejaVu or Liberation font found) only the SVG is written.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as vega from "vega";
import { compile } from "vega-lite";

const FONT_PATHS = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
  "/usr/share/fonts/TTF/DejaVuSans.ttf",
  "/Library/Fonts/Arial.ttf",
  "C:\\Windows\\Fonts\\arial.ttf",
];

const PANELS = [
  { id: "latency", title: "move → patch latency (ms, probes)", series: [["p50", "p50"], ["p95", "p95"], ["p99", "p99"]] },
  { id: "ccu", title: "connected clients", series: [["connected", "clients (runner)"], ["serverClients", "clients (server)"]] },
  { id: "messages", title: "messages per second", series: [["msgsIn", "in: server → clients"], ["movesOut", "out: moves"]] },
  { id: "cpu", title: "CPU (% of one core)", series: [["serverCpuPct", "server"], ["runnerCpuPct", "load generator"], ["thinCpuPct", "thin bots' workers"], ["probeCpuPct", "probes' workers"]] },
  { id: "redis", title: "Redis commands per second", series: [["redisCommands", "Redis commands"]], optional: true },
  { id: "rss", title: "server RSS (MB)", series: [["serverRssMB", "server RSS"]] },
];

/** Long-format rows { t, panel, series, run, value } for the spec. */
export function plotRows(runs) {
  const rows = [];
  for (const run of runs) {
    for (const s of run.series) {
      for (const panel of PANELS) {
        for (const [key, name] of panel.series) {
          if (s[key] !== null && s[key] !== undefined) rows.push({ t: s.t, panel: panel.id, series: name, run: run.label, value: s[key] });
        }
      }
      (s.processes ?? []).forEach((p, i) => {
        if (p.cpuPct !== null) rows.push({ t: s.t, panel: "cpu", series: `server process ${i + 1}`, run: run.label, value: p.cpuPct });
      });
    }
  }
  return rows;
}

/** The Vega-Lite spec: one panel per metric, stacked, sharing the time axis. */
export function plotSpec(runs, title) {
  const compared = runs.length > 1;
  const lastSecond = Math.max(1, ...runs.map((run) => run.series.length - 1));
  const rows = plotRows(runs);
  const panels = PANELS.filter((panel) => !panel.optional || rows.some((row) => row.panel === panel.id));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, anchor: "start", fontSize: 14 },
    data: { values: rows },
    config: { view: { stroke: "#ddd" }, axis: { labelFontSize: 11, titleFontSize: 11 }, legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 220 } },
    resolve: { scale: { color: "independent", strokeDash: "independent" }, legend: { color: "independent", strokeDash: "independent" } },
    vconcat: panels.map((panel) => ({
      width: 720,
      height: panel.id === "latency" ? 170 : 110,
      title: { text: panel.title, fontSize: 12, anchor: "start" },
      transform: [{ filter: { field: "panel", equal: panel.id } }],
      mark: { type: "line", strokeWidth: 1.6 },
      encoding: {
        x: {
          field: "t", type: "quantitative", title: panel.id === "rss" ? "second of the run (values are per second)" : null,
          scale: { domain: [0, lastSecond], nice: false }, axis: { format: "d", tickMinStep: 1 },
        },
        y: { field: "value", type: "quantitative", title: null, scale: { zero: panel.id !== "latency" } },
        color: { field: "series", type: "nominal", title: null, sort: panel.series.map(([, name]) => name), scale: { scheme: "tableau10" } },
        ...(compared ? { strokeDash: { field: "run", type: "nominal", title: "run" } } : {}),
        detail: { field: "run" },
      },
    })),
  };
}

/** Writes `<name>.svg` (and `<name>.png` when a font is found); returns the file names written. */
export async function writePlots({ outDir, runs, title, name = "plot" }) {
  return writeVegaLite(outDir, name, plotSpec(runs, title));
}

/** Renders the Vega-Lite `spec` headless into `<name>.svg` (and `<name>.png` when a font is found) in `outDir`; returns the file names written. */
export async function writeVegaLite(outDir, name, spec) {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  writeFileSync(join(outDir, `${name}.svg`), svg);
  const written = [`${name}.svg`];
  const png = await renderPng(svg);
  if (png) {
    writeFileSync(join(outDir, `${name}.png`), png);
    written.push(`${name}.png`);
  }
  return written;
}

let wasmReady;

/** `svg` rendered to PNG with resvg and the first system font found, or null without one. */
async function renderPng(svg) {
  const fontPath = FONT_PATHS.find((p) => existsSync(p));
  if (!fontPath) return null;
  const { initWasm, Resvg } = await import("@resvg/resvg-wasm");
  wasmReady ??= initWasm(readFileSync(createRequire(import.meta.url).resolve("@resvg/resvg-wasm/index_bg.wasm")));
  await wasmReady;
  const font = { fontBuffers: [readFileSync(fontPath)], defaultFontFamily: "sans-serif", sansSerifFamily: fontFamilyOf(fontPath) };
  return new Resvg(svg, { font, background: "white", fitTo: { mode: "zoom", value: 1.5 } }).render().asPng();
}

function fontFamilyOf(path) {
  if (path.includes("DejaVu")) return "DejaVu Sans";
  if (path.includes("Liberation")) return "Liberation Sans";
  return "Arial";
}
