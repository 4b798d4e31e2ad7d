/**
 * Turns zod issues into lines an operator can act on: `<field path>: <problem>`, for example
 * `npcs[1].at: [5, 1] is a wall`. Shared by world files, environment config and client messages.
 */
import type { z } from "zod";

/** `["npcs", 1, "at"]` → `npcs[1].at`; the empty path is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

/** One line per issue: `path: message`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}
