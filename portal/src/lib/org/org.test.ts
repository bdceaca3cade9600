import { describe, expect, it } from "vitest";
import { ACCESS_LEVELS, grantOf, levelOf, levelsOf, selections } from "./access";
import { POLICIES, formValues, policyData } from "./policies";
import { parseEmails, rightsOf } from "./roles";

describe("collection access levels", () => {
  it("map to and from {readOnly, hidePasswords, manage} both ways", () => {
    for (const [level] of ACCESS_LEVELS) expect(levelOf(grantOf(level))).toBe(level);
    expect(grantOf("viewHidePasswords")).toEqual({ readOnly: true, hidePasswords: true, manage: false });
    expect(levelOf({ readOnly: true, hidePasswords: true, manage: true })).toBe("manage");
  });

  it("travel as selection rows", () => {
    const rows = selections(new Map([["c1", "edit" as const]]));
    expect(rows).toEqual([{ id: "c1", readOnly: false, hidePasswords: false, manage: false }]);
    expect(levelsOf(rows).get("c1")).toBe("edit");
  });
});

describe("console rights", () => {
  it("give owners, admins and provider users the console; custom members what they were granted", () => {
    expect(rightsOf({ type: 2 }, false).manageUsers).toBe(false);
    expect(rightsOf({ type: 1 }, false)).toMatchObject({ manageUsers: true, manageSettings: false });
    expect(rightsOf(null, true)).toMatchObject({ manageUsers: true, manageSettings: true, manageResetPassword: true });
    expect(rightsOf({ type: 2 }, false).manageResetPassword).toBe(false);
    expect(rightsOf({ type: 4, permissions: { manageResetPassword: true } }, false).manageResetPassword).toBe(true);
    const custom = rightsOf({ type: 4, permissions: { manageGroups: true, accessEventLogs: true } }, false);
    expect(custom).toMatchObject({ manageGroups: true, accessEventLogs: true, manageUsers: false, managePolicies: false });
  });
});

describe("invite emails", () => {
  it("split on commas and spaces, dedupe, and report what is not an address", () => {
    expect(parseEmails("a@x.io, B@x.io\nb@x.io; nope")).toEqual({ emails: ["a@x.io", "b@x.io"], invalid: ["nope"] });
  });
});

describe("policy forms", () => {
  it("turn form values into the API's data and back", () => {
    const master = POLICIES.find((p) => p.type === 1)!;
    const data = policyData(master, { minLength: "200", minComplexity: "", requireUpper: true });
    expect(data).toMatchObject({ minLength: 128, minComplexity: null, requireUpper: true, requireLower: false });
    expect(formValues(master, data)).toMatchObject({ minLength: "128", requireUpper: true, minComplexity: "" });
    expect(policyData(POLICIES.find((p) => p.type === 3)!, {})).toBeNull();
  });
});
