import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Hashed asset names so the gateway can cache them for a year; no inline scripts (the CSP forbids them).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
