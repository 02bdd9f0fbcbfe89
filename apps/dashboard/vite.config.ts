import { defineConfig } from "vite";

// The web UI: web/ -> dist/web (served by the dashboard server). `pnpm dev` runs Vite on GAMETEL_DASHBOARD_PORT
// (default 3000) and proxies the API and the feed to the server started next to it on GAMETEL_DASHBOARD_API_PORT
// (default 3001; scripts/dev.mjs).
const api = `http://127.0.0.1:${process.env.GAMETEL_DASHBOARD_API_PORT ?? "3001"}`;

export default defineConfig({
  root: "web",
  build: { outDir: "../dist/web", emptyOutDir: true, sourcemap: true },
  server: {
    port: Number(process.env.GAMETEL_DASHBOARD_PORT || 3000),
    strictPort: true,
    // changeOrigin off: the feed's context and next links then name the dev server, not the API port.
    proxy: Object.fromEntries(
      ["/api", "/odata", "/export"].map((path) => [path, { target: api, changeOrigin: false }]),
    ),
  },
});
