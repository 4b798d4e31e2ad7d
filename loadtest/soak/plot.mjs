// The soak's plot, made with Vega-Lite and rendered headless by Vega (`view.toSVG()`), as the load
// test's (runner/plot.mjs, whose panels are the load test's own). Four panels over the run's
// minutes: server RSS and V8 heap used (each with a line through its readings right after major
// GCs), tick time p99 (per second, and per minute from the minute's buckets) and connected
// clients; a dashed rule marks the end of the warm-up.
//
// The PNG is rendered from the SVG by resvg (WebAssembly) with a system TrueType font; without one
// only the SVG is written.
import { writeVegaLite } from "../runner/plot.mjs";

const PANELS = [
  { id: "rss", title: "server RSS (MB)" },
  { id: "heap", title: "server V8 heap used (MB)" },
  { id: "tick", title: "tick time p99 (ms, core step, all worlds)" },
  { id: "clients", title: "connected clients" },
];

/** Long-format rows { minute, panel, series, value } for the spec. */
export function soakRows(series, minutes) {
  const rows = [];
  const push = (minute, panel, name, value) => Number.isFinite(value) && rows.push({ minute, panel, series: name, value });
  for (const s of series) {
    const minute = s.t / 60;
    push(minute, "rss", "RSS", s.rssMB);
    push(minute, "rss", "RSS after major GC", s.majorGc?.rssMB);
    push(minute, "heap", "heap used", s.heapUsedMB);
    push(minute, "heap", "heap used after major GC", s.majorGc?.heapUsedMB);
    push(minute, "tick", "p99 per second", s.tick?.p99);
    push(minute, "clients", "bots connected", s.connected);
    push(minute, "clients", "server's clients", s.serverClients);
  }
  for (const m of minutes) {
    push(m.minute, "tick", "p99 per minute", m.tickP99);
    push(m.minute + m.seconds / 60, "tick", "p99 per minute", m.tickP99);
  }
  return rows;
}

/** The Vega-Lite spec: one layered panel per metric, stacked, sharing the minutes axis. */
export function soakSpec({ series, minutes, warmupMinutes, title }) {
  const last = Math.max(1 / 60, series.length / 60);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, anchor: "start", fontSize: 14 },
    data: { values: soakRows(series, minutes) },
    config: { view: { stroke: "#ddd" }, axis: { labelFontSize: 11, titleFontSize: 11 }, legend: { labelFontSize: 11, labelLimit: 220 } },
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
    vconcat: PANELS.map((panel) => ({
      width: 720,
      height: 120,
      title: { text: panel.title, fontSize: 12, anchor: "start" },
      layer: [
        {
          transform: [{ filter: { field: "panel", equal: panel.id } }],
          mark: { type: "line", strokeWidth: 1.4, interpolate: "linear" },
          encoding: {
            x: { field: "minute", type: "quantitative", title: panel.id === "clients" ? "minute of the run" : null, scale: { domain: [0, last], nice: false } },
            y: { field: "value", type: "quantitative", title: null, scale: { zero: panel.id === "clients" } },
            color: { field: "series", type: "nominal", title: null, scale: { scheme: "tableau10" } },
            opacity: panel.id === "tick" ? { condition: { test: "datum.series === 'p99 per minute'", value: 1 }, value: 0.35 } : { value: 1 },
          },
        },
        { data: { values: [{ minute: warmupMinutes }] }, mark: { type: "rule", strokeDash: [4, 4], color: "#888" }, encoding: { x: { field: "minute", type: "quantitative" } } },
      ],
    })),
  };
}

/** Writes `<name>.svg` (and `<name>.png` when a font is found); returns the file names written. */
export async function writeSoakPlot({ outDir, name = "plot", ...spec }) {
  return writeVegaLite(outDir, name, soakSpec(spec));
}
