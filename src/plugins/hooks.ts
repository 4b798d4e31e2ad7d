/**
 * Running one lifecycle hook with a timeout (issue 9 §3 "Lifecycle"; anchor: avvio's
 * `timeout`, default 10 s, after which boot fails naming the plugin).
 *
 * A hook may be sync or async. It gets `timeoutMs` to settle; after that the host stops waiting
 * (a JS function cannot be cancelled: it may still finish later, and its late result or error is
 * dropped).
 */
import { ArbiterError } from "../errors.ts";

/** The lifecycle hooks, in the order the host calls them. */
export const HOOK_NAMES = ["onLoad", "onEnable", "onDisable"] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** Default of `PLUGIN_HOOK_TIMEOUT_MS`, ms (issue 9 §3; avvio's default too). */
export const DEFAULT_HOOK_TIMEOUT_MS = 10_000;

/** Largest timeout `setTimeout` honours, ms (2³¹ − 1); larger values would fire at once. */
export const MAX_HOOK_TIMEOUT_MS = 2_147_483_647;

/** One hook call. */
export interface HookCall {
  pluginId: string;
  hook: HookName;
  /** Calls the hook; its return value is awaited. */
  run: () => unknown;
  /** ms, 1 … {@link MAX_HOOK_TIMEOUT_MS}. */
  timeoutMs: number;
}

/**
 * Runs `call.run` and waits for it at most `call.timeoutMs`. Rejects with `plugin/hook-timeout`
 * when time runs out, or with `plugin/hook-failed` (the thrown value as `cause`) when the hook
 * throws or rejects. A coded `plugin/*` error thrown by a capability inside the hook (such as
 * `plugin/duplicate-route`) passes through with its own code.
 */
export async function runHook(call: HookCall): Promise<void> {
  const timedOut = new ArbiterError(
    "plugin/hook-timeout",
    `plugin "${call.pluginId}" did not finish ${call.hook} within ${call.timeoutMs} ms (PLUGIN_HOOK_TIMEOUT_MS)`,
    { plugin: call.pluginId, hook: call.hook, timeoutMs: call.timeoutMs },
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut), call.timeoutMs);
  });
  const work = Promise.resolve().then(call.run);
  work.catch(() => undefined); // settling after the deadline must not be an unhandled rejection
  try {
    await Promise.race([work, deadline]);
  } catch (error) {
    if (error === timedOut || isPluginError(error)) throw error;
    throw hookFailed(call, error);
  } finally {
    clearTimeout(timer);
  }
}

/** A `plugin/*` ArbiterError (the host's or a capability's own coded fault). */
function isPluginError(error: unknown): error is ArbiterError {
  return error instanceof ArbiterError && error.code.startsWith("plugin/");
}

/** `plugin/hook-failed` naming the plugin and the hook, with the thrown value as `cause`. */
function hookFailed(call: HookCall, thrown: unknown): ArbiterError {
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  const error = new ArbiterError("plugin/hook-failed", `plugin "${call.pluginId}" failed in ${call.hook}: ${reason}`, {
    plugin: call.pluginId,
    hook: call.hook,
  });
  error.cause = thrown;
  return error;
}
