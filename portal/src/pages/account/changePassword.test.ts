import { describe, expect, it } from "vitest";
import { DEFAULT_PBKDF2, SymmetricKey, deriveMasterKey, rewrapUserKey, unlockUserKey } from "../../lib/crypto";
import { validatePasswordChange } from "./ChangePasswordPage";
import { validateTempPasswordUpdate } from "./UpdateTempPasswordPage";

describe("changing the master password", () => {
  it("puts the same user key under a master key from the new password", async () => {
    const userKey = SymmetricKey.generate();
    const kdf = { ...DEFAULT_PBKDF2, iterations: 600_000 };
    const fresh = await rewrapUserKey("Carol@Client.test", "a brand new master password", kdf, userKey);
    const reopened = await unlockUserKey(await deriveMasterKey("a brand new master password", "carol@client.test", kdf), fresh.protectedUserKey);
    const probe = await userKey.encrypt(new TextEncoder().encode("probe"));
    expect(new TextDecoder().decode(await reopened.decrypt(probe))).toBe("probe");
    await expect(unlockUserKey(await deriveMasterKey("the old one", "carol@client.test", kdf), fresh.protectedUserKey)).rejects.toThrow();
  }, 120_000); // three PBKDF2 runs of 600,000 rounds on a shared machine

  it("checks the form before anything is derived", () => {
    expect(validatePasswordChange({ current: "", password: "short", confirm: "other", hint: "" })).toEqual({
      current: "Enter your current master password.",
      password: "Use at least 12 characters.",
      confirm: "The passwords do not match.",
    });
    const same = "the same password twice";
    expect(validatePasswordChange({ current: same, password: same, confirm: same, hint: "" }).password).toMatch(/other than/);
    expect(validatePasswordChange({ current: "old password here", password: "new password here", confirm: "new password here", hint: "" })).toEqual({});
  });
});

describe("updating a recovered account's temporary password", () => {
  it("asks for no current password and checks the rest", () => {
    expect(validateTempPasswordUpdate({ password: "short", confirm: "other", hint: "" })).toEqual({
      password: "Use at least 12 characters.",
      confirm: "The passwords do not match.",
    });
    const own = "a password of my own";
    expect(validateTempPasswordUpdate({ password: own, confirm: own, hint: own }).hint).toMatch(/must not be/);
    expect(validateTempPasswordUpdate({ password: own, confirm: own, hint: "" })).toEqual({});
  });
});
