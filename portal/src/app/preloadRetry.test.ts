import { describe, expect, it } from "vitest";
import { stylesheetToRetry } from "./preloadRetry";

describe("stylesheetToRetry", () => {
  it("finds the stylesheet in Vite's preload error", () => {
    const error = new Error("Unable to preload CSS for https://127.0.0.1:8443/assets/vault-DTYO1eEa.css");
    expect(stylesheetToRetry(error)).toBe("https://127.0.0.1:8443/assets/vault-DTYO1eEa.css");
  });

  it("leaves failed scripts alone", () => {
    expect(stylesheetToRetry(new Error("Failed to fetch dynamically imported module: https://x/assets/a.js"))).toBeNull();
  });
});
