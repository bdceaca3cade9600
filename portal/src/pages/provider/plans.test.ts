import { describe, expect, it } from "vitest";
import { checkClientChange, checkNewClient, clientPlans } from "./plans";

describe("client plans", () => {
  it("offers an MSP Teams or Enterprise monthly, a Business Unit Enterprise only", () => {
    expect(clientPlans(0).map((plan) => plan.planType)).toEqual([17, 19]);
    expect(clientPlans(2).map((plan) => plan.planType)).toEqual([19, 20]);
    expect(clientPlans(99).map((plan) => plan.planType)).toEqual([17, 19]);
  });

  it("accepts a well-filled form, trimming the name and lower-casing the email", () => {
    expect(checkNewClient({ name: "  Contoso ", ownerEmail: " Owner@Contoso.test ", planType: 19, seats: "5" }, 0)).toEqual({
      ok: true,
      value: { name: "Contoso", ownerEmail: "owner@contoso.test", planType: 19, seats: 5 },
    });
  });

  it("names each field that is wrong", () => {
    const checked = checkNewClient({ name: "x".repeat(51), ownerEmail: "nope", planType: 20, seats: "0" }, 0);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(["name", "ownerEmail", "planType", "seats"]);
    expect(checkNewClient({ name: "", ownerEmail: "a@b.co", planType: 17, seats: "1.5" }, 0)).toMatchObject({
      ok: false,
      errors: { name: "Enter the organization's name.", seats: "Enter a whole number of seats, at least 1." },
    });
  });
});

describe("client changes", () => {
  it("keeps at least the seats in use", () => {
    expect(checkClientChange({ name: " Contoso Ltd ", seats: "8" }, 3)).toEqual({ ok: true, name: "Contoso Ltd", seats: 8 });
    expect(checkClientChange({ name: "Contoso", seats: "2" }, 3)).toMatchObject({ ok: false, errors: { seats: expect.stringContaining("at least 3") } });
    expect(checkClientChange({ name: "", seats: "0" }, 0)).toMatchObject({ ok: false, errors: { name: expect.any(String), seats: expect.stringContaining("at least 1") } });
  });
});

describe("names with control characters", () => {
  it("are refused by every client form, as the services refuse them", () => {
    const created = checkNewClient({ name: "Evil\nCorp", ownerEmail: "a@b.co", planType: 19, seats: "1" }, 0);
    expect(created).toMatchObject({ ok: false, errors: { name: expect.stringContaining("control characters") } });
    expect(checkClientChange({ name: "Evil\u2028Corp", seats: "1" }, 0)).toMatchObject({ ok: false, errors: { name: expect.stringContaining("control characters") } });
  });
});
