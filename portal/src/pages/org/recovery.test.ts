import { describe, expect, it } from "vitest";
import { SymmetricKey, deriveMasterKey, fromBase64, kdfConfigFromWire, toBase64, unlockUserKey } from "../../lib/crypto";
import { prepareRecovery } from "./recovery";
import vectors from "./recoveryVectors.json";

describe("account recovery in the admin's browser", () => {
  for (const v of vectors) {
    it(`sends what the Python client sends (${v.details.kdf === 0 ? "PBKDF2" : "Argon2id"})`, async () => {
      const orgKey = SymmetricKey.fromBytes(fromBase64(v.orgKey, "org key"));
      const request = await prepareRecovery(v.details, orgKey, v.email, v.newPassword);
      expect(request.newMasterPasswordHash).toBe(v.newMasterPasswordHash);

      // The member's new password opens the very user key they enrolled with.
      const kdf = kdfConfigFromWire(v.details.kdf, v.details.kdfIterations, v.details.kdfMemory ?? undefined, v.details.kdfParallelism ?? undefined);
      const reopened = await unlockUserKey(await deriveMasterKey(v.newPassword, v.email, kdf), request.key);
      expect(toBase64(reopened.toBytes())).toBe(v.userKey);
    }, 60_000);
  }

  it("refuses details the org key did not wrap", async () => {
    const v = vectors[0]!;
    await expect(prepareRecovery(v.details, SymmetricKey.generate(), v.email, v.newPassword)).rejects.toThrow();
  });
});
