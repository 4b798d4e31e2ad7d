/**
 * Real Chromium for the web client's tests (issue 13): Debian's `/usr/bin/chromium` driven by
 * playwright-core, headless, with the flags this machine's closed network needs. `.ci/run` installs
 * chromium with apt-get when it is missing; without it these tests fail saying so (never skip).
 * The client is served from `dist/web/` as `npm start` serves it; `npm test` builds it first, and a
 * test run without a build builds it here.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { WEB_DIR } from "../../src/server/http/web-client.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/** Builds the client into `dist/web/` unless a build is there already. */
export async function ensureWebBuild(): Promise<void> {
  if (existsSync(join(WEB_DIR, "index.html")) && existsSync(join(WEB_DIR, "watch.html"))) return;
  const { build } = await import("vite");
  await build({ configFile: new URL("../../vite.config.ts", import.meta.url).pathname, logLevel: "warn" });
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
  await ensureWebBuild();
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/**
 * A new page in a context of its own (its own storage, so its own signed-in player), with the page's
 * uncaught errors collected: a test can assert there were none.
 */
export async function openPage(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page, errors };
}

/** Presses Tab until `selector` has the focus (at most 40 times): proves it is reachable by keyboard. */
export async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${selector} never took the focus within 40 Tab presses`);
}
