// Account recovery (admin password reset), all in the admin's browser: the org private key (under the org key)
// opens the member's user key (RSA-OAEP, wrapped to the org public key when they enrolled); that same user key
// goes under a master key made from the new password with the member's own KDF and email. The server receives
// the new hash and the re-wrapped key only — what the Python client's `recover_account` sends.

import {
  type NewMasterPassword,
  type SymmetricKey,
  PrivateKey,
  kdfConfigFromWire,
  rewrapUserKey,
  unwrapSymmetricKey,
} from "../../lib/crypto";

/** `GET …/users/{id}/reset-password-details` (Bitwarden's OrganizationUserResetPasswordDetailsResponseModel). */
export interface RecoveryDetails {
  encryptedPrivateKey: string;
  resetPasswordKey: string;
  kdf: number;
  kdfIterations: number;
  kdfMemory?: number | null;
  kdfParallelism?: number | null;
}

/** The body of `PUT …/users/{id}/reset-password`. */
export interface RecoveryRequest {
  newMasterPasswordHash: string;
  key: string;
}

export async function prepareRecovery(
  details: RecoveryDetails,
  orgKey: SymmetricKey,
  memberEmail: string,
  newPassword: string,
): Promise<RecoveryRequest> {
  const orgPrivateKey = await PrivateKey.fromPkcs8(await orgKey.decrypt(details.encryptedPrivateKey));
  const userKey = await unwrapSymmetricKey(details.resetPasswordKey, { privateKey: orgPrivateKey });
  const kdf = kdfConfigFromWire(details.kdf, details.kdfIterations, details.kdfMemory ?? undefined, details.kdfParallelism ?? undefined);
  const fresh: NewMasterPassword = await rewrapUserKey(memberEmail, newPassword, kdf, userKey);
  return { newMasterPasswordHash: fresh.masterPasswordHash, key: fresh.protectedUserKey };
}
