/**
 * README examples for tests that load them exactly as written (the "Writing a plugin" and
 * "Writing an interaction" sections): the ```ts block right after a `<!-- example: … -->` marker.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The code block after `marker` in README.md; throws naming what is missing. */
export function readmeExample(marker: string): string {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`no \`\`\`ts block after ${marker}`);
  return block[1]!;
}
