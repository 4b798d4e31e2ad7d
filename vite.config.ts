/**
 * The web client's build (issue 13): `src/web/` → `dist/web/` (the server serves it:
 * src/server/http/web-client.ts). Two pages: `index.html` (play) and `watch.html` (admins).
 * `npm run build:web` runs it; `npm start` and `npm test` build first.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const web = (path: string) => fileURLToPath(new URL(`./src/web/${path}`, import.meta.url));

export default defineConfig({
  root: web(""),
  base: "/",
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // The server's CSP allows no inline script: keep the module preload polyfill out of the page.
    modulePreload: { polyfill: false },
    rollupOptions: { input: { play: web("index.html"), watch: web("watch.html") } },
  },
});
