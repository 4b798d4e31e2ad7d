/** Column-aligned plain-text tables for benchmark output. */

export interface Column {
  header: string;
  /** Numbers read best right-aligned; labels left-aligned. */
  align: "left" | "right";
}

/** Renders a header, a rule and the rows, columns separated by two spaces. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((col, i) => Math.max(col.header.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    columns
      .map((col, i) => pad(cells[i] ?? "", widths[i]!, col.align))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join("\n");
}

function pad(text: string, width: number, align: Column["align"]): string {
  return align === "right" ? text.padStart(width) : text.padEnd(width);
}

/** A fixed-decimals number, for table cells. */
export function fixed(value: number, decimals: number): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : "n/a";
}

/** A rate with a k/M suffix (1234567 → "1.23M"). */
export function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "n/a";
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return perSecond.toFixed(0);
}

/** An actor count as "1k", "10k", "50k" when it is a whole number of thousands. */
export function countLabel(count: number): string {
  return count % 1000 === 0 ? `${count / 1000}k` : String(count);
}
