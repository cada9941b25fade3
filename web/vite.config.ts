import { defineConfig } from "vite";

// A static build (web/dist): index.html + hashed assets, no CDN at run time. Preact's JSX
// through the compiler's automatic runtime (tsconfig: jsxImportSource "preact"), no plugin.
export default defineConfig({
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    assetsInlineLimit: 0, // no data: URLs, so the CSP can stay strict
    reportCompressedSize: true,
  },
  server: { host: "127.0.0.1" },
});
