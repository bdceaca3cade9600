import { describe, expect, it } from "vitest";
import { SymmetricKey, generateKeyPair, unwrapSymmetricKey } from "../../lib/crypto";
import { bulkActions, prepareConfirmation, rowActions, searchMembers, statusCounts } from "./members";

describe("members page", () => {
  it("counts members per status", () => {
    expect(statusCounts([{ status: 0 }, { status: 1 }, { status: 1 }, { status: 2 }, { status: -1 }])).toEqual({
      all: 5,
      invited: 1,
      accepted: 2,
      revoked: 1,
    });
  });

  it("offers per-row and bulk actions by status", () => {
    expect(rowActions({ status: 0 })).toEqual(["edit", "reinvite", "revoke", "remove"]);
    expect(rowActions({ status: 1 })).toEqual(["edit", "confirm", "revoke", "remove"]);
    expect(rowActions({ status: -1 })).toEqual(["edit", "restore", "remove"]);
    // Recover account: only for a confirmed member enrolled in account recovery, and a caller who may recover.
    expect(rowActions({ status: 2, resetPasswordEnrolled: true }, true)).toEqual(["edit", "recover", "revoke", "remove"]);
    expect(rowActions({ status: 2, resetPasswordEnrolled: true }, false)).not.toContain("recover");
    expect(rowActions({ status: 2, resetPasswordEnrolled: false }, true)).not.toContain("recover");
    expect(rowActions({ status: 1, resetPasswordEnrolled: true }, true)).not.toContain("recover");
    expect(bulkActions([{ status: 1 }, { status: 1 }])).toEqual(["confirm", "revoke", "remove"]);
    expect(bulkActions([{ status: 1 }, { status: -1 }])).toEqual(["revoke", "restore", "remove"]);
    expect(bulkActions([])).toEqual([]);
  });

  it("searches names and emails", () => {
    const people = [
      { name: "Carol", email: "carol@contoso.example" },
      { name: null, email: "dave@other.example" },
    ];
    expect(searchMembers(people, "CONTOSO").map((m) => m.email)).toEqual(["carol@contoso.example"]);
    expect(searchMembers(people, "")).toHaveLength(2);
  });

  it("wraps the org key to the member's public key and shows their fingerprint phrase", async () => {
    const orgKey = SymmetricKey.generate();
    const member = await generateKeyPair();
    const ready = await prepareConfirmation({ id: "m1", userId: "a09726a0-9590-49d1-a5f5-afe300b6a515", key: member.publicKey }, orgKey);
    expect(ready.fingerprint.split("-")).toHaveLength(5);
    expect(ready.key.startsWith("4.")).toBe(true);
    const opened = await unwrapSymmetricKey(ready.key, { privateKey: member.privateKey });
    expect(opened.toBytes()).toEqual(orgKey.toBytes());
  });
});
