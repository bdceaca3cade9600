/**
 * The portal's client-side crypto: the only place that touches key material. Pages and the session use these
 * functions and classes; no UI module imports WebCrypto directly. Byte-for-byte compatible with the Python
 * client (client/src/mspvault/client/) and Bitwarden's clients; `vectors.json` (made by
 * portal/scripts/make_vectors.py) proves it in crypto.test.ts.
 *
 * Keys (SymmetricKey, MasterKey, PrivateKey) keep their bytes in private fields, refuse JSON serialisation,
 * and live in memory only.
 */
export { CryptoError, MalformedError, constantTimeEqual, fromBase64, fromBase64Url, fromUtf8, toBase64, utf8 } from "./bytes";
export type { Bytes } from "./bytes";
export {
  EncType,
  UnsupportedEncStringType,
  asEncString,
  formatEncString,
  parseEncString,
} from "./encstring";
export type { EncString, RsaEncString, SymmetricEncString } from "./encstring";
export { DecryptionFailed, InvalidKey, MacMismatch, SymmetricKey } from "./symmetric";
export {
  DEFAULT_ARGON2ID,
  DEFAULT_PBKDF2,
  InvalidKdfConfig,
  KDF_LIMITS,
  KdfType,
  MasterKey,
  deriveMasterKey,
  kdfConfigFromWire,
  masterPasswordHash,
  normalizeEmail,
  stretchMasterKey,
  validateKdfConfig,
} from "./kdf";
export type { KdfConfig } from "./kdf";
export { PrivateKey, generateKeyPair, publicKeyOf, wrapForPublicKey } from "./rsa";
export type { KeyPair } from "./rsa";
export {
  makeAccountKeys,
  makeOrganizationKeys,
  makeProviderKey,
  rewrapUserKey,
  unlockPrivateKey,
  unlockUserKey,
  unwrapSymmetricKey,
  wrapKeyForMember,
} from "./keys";
export type { AccountKeys, NewMasterPassword, OrganizationKeys } from "./keys";
export { fingerprintPhrase } from "./fingerprint";
