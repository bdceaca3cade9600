import { describe, expect, it } from "vitest";
import { validateRegistration } from "../pages/account/RegisterPage";
import { safeNext, withNext } from "./navigation";

describe("next after log in", () => {
  it("keeps paths inside the portal and refuses anything that leaves it", () => {
    expect(safeNext("/providers/p1/clients?search=x")).toBe("/providers/p1/clients?search=x");
    for (const bad of [null, "", "https://evil.example/", "//evil.example", "/\\evil.example", "vault"]) {
      expect(safeNext(bad)).toBe("/vault");
    }
  });

  it("carries the page and extra fields in the query", () => {
    const url = withNext("/login", "/accept-organization?token=a&b=c", { email: "a@b.c" });
    const params = new URLSearchParams(url.split("?")[1]);
    expect([params.get("next"), params.get("email")]).toEqual(["/accept-organization?token=a&b=c", "a@b.c"]);
  });
});

describe("create account form", () => {
  const good = { email: "new@example.org", name: "New", password: "twelve chars!", confirm: "twelve chars!", hint: "", kdf: "pbkdf2" as const };

  it("accepts a complete form", () => {
    expect(validateRegistration(good)).toEqual({});
  });

  it("names each problem by field", () => {
    expect(validateRegistration({ ...good, email: "nope", password: "short", confirm: "other", hint: "short" })).toEqual({
      email: "Enter a valid email address.",
      password: "Use at least 12 characters.",
      confirm: "The passwords do not match.",
      hint: "The hint must not be your password.",
    });
  });
});
