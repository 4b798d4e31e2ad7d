/**
 * What plugins add to world files (issue 9 §1): AI kinds (`npcs[].ai` must name a registered
 * brain), a world section `plugins.<pluginId>` and per-NPC sections `npcs[].plugins.<pluginId>`,
 * each validated by that plugin's zod schema at start-up. Problems name the field path, like every
 * other world-file problem (`npcs[3].plugins.interactions.slots[0].config.chance: …`). A section
 * for a plugin that is not loaded, or that declares no schema for it, is refused: core fields stay
 * strict, and so do unknown sections.
 */
import type { z } from "zod";
import { formatIssues } from "./format-issues.ts";

/** A plugin's world-file schemas. */
export interface WorldSectionSchemas {
  /** `plugins.<id>` at the world's top level. */
  world?: z.ZodType;
  /** `npcs[].plugins.<id>` of each NPC. */
  npc?: z.ZodType;
}

export interface WorldExtensions {
  /** Registered AI kinds. */
  brains: ReadonlySet<string>;
  /** Section schemas by plugin id, for the loaded plugins. */
  sections: ReadonlyMap<string, WorldSectionSchemas>;
}

interface ExtensibleFile {
  plugins?: Record<string, unknown>;
  npcs: ReadonlyArray<{ ai?: string; plugins?: Record<string, unknown> }>;
}

/** Every problem of `file`'s AI kinds and plugin sections, as `path: message` lines. */
export function checkExtensions(file: ExtensibleFile, extensions: WorldExtensions): string[] {
  const problems: string[] = [];
  const kinds = [...extensions.brains].join(", ") || "none";
  for (const [pluginId, section] of Object.entries(file.plugins ?? {})) {
    problems.push(...checkSection(extensions, pluginId, "world", section, `plugins.${pluginId}`));
  }
  file.npcs.forEach((npc, i) => {
    if (npc.ai !== undefined && !extensions.brains.has(npc.ai)) problems.push(`npcs[${i}].ai: no AI kind "${npc.ai}" (registered: ${kinds})`);
    for (const [pluginId, section] of Object.entries(npc.plugins ?? {})) {
      problems.push(...checkSection(extensions, pluginId, "npc", section, `npcs[${i}].plugins.${pluginId}`));
    }
  });
  return problems;
}

function checkSection(extensions: WorldExtensions, pluginId: string, where: keyof WorldSectionSchemas, section: unknown, path: string): string[] {
  const schema = extensions.sections.get(pluginId)?.[where];
  if (!schema) {
    const known = [...extensions.sections].filter(([, s]) => s[where]).map(([id]) => id);
    return [`${path}: no loaded plugin "${pluginId}" takes a ${where} section here (have: ${known.join(", ") || "none"})`];
  }
  const parsed = schema.safeParse(section);
  return parsed.success ? [] : formatIssues(parsed.error.issues).map((line) => `${path}.${line}`);
}
