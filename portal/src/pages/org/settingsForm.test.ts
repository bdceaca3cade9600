import { describe, expect, it } from "vitest";
import { checkSettings, serverErrors } from "./settingsForm";

describe("checkSettings", () => {
  it("trims the name and lower-cases the billing email", () => {
    expect(checkSettings({ name: "  Contoso Ltd ", billingEmail: " AP@Contoso.TEST " })).toEqual({
      ok: true,
      values: { name: "Contoso Ltd", billingEmail: "ap@contoso.test" },
    });
  });

  it("refuses empty, long and control-character names and bad addresses", () => {
    expect(checkSettings({ name: " ", billingEmail: "a@b.test" })).toMatchObject({ ok: false, errors: { name: expect.any(String) } });
    expect(checkSettings({ name: "x".repeat(51), billingEmail: "a@b.test" })).toMatchObject({ ok: false });
    const control = checkSettings({ name: "Evil\nCorp", billingEmail: "not-an-email" });
    expect(control.ok).toBe(false);
    if (!control.ok) expect(Object.keys(control.errors).sort()).toEqual(["billingEmail", "name"]);
  });
});

describe("serverErrors", () => {
  it("keeps the form's fields and joins their messages", () => {
    expect(serverErrors({ name: ["must not contain control characters"], key: ["ignored"] })).toEqual({
      name: "must not contain control characters",
    });
  });
});

describe("billing email", () => {
  it("needs a domain with a dot, as every other email field of the portal", () => {
    expect(checkSettings({ name: "Contoso", billingEmail: "ap@localhost" })).toMatchObject({ ok: false, errors: { billingEmail: expect.any(String) } });
  });
});
