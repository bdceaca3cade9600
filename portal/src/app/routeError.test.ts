import { describe, expect, it } from "vitest";
import { describeRouteError } from "./routeError";

describe("route error page", () => {
  it("offers a reload when a page area's script failed to download", () => {
    const view = describeRouteError(new TypeError("Failed to fetch dynamically imported module: https://127.0.0.1:8443/assets/org-abc.js"));
    expect(view).toMatchObject({ title: "This page could not be loaded", reload: true });
  });

  it("says not found for a route the router does not know", () => {
    const view = describeRouteError({ status: 404, statusText: "Not Found", internal: true, data: "" });
    expect(view).toMatchObject({ title: "Page not found", reload: false });
  });

  it("never shows an unexpected error's own text", () => {
    const view = describeRouteError(new Error("Cannot read properties of undefined (reading 'key') at decrypt"));
    expect(view.title).toBe("Something went wrong");
    expect(view.message).not.toContain("undefined");
  });
});
