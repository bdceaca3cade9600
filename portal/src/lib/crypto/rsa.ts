/**
 * RSA-2048 key pairs and EncString type 4 (RSA-OAEP with SHA-1 for both the hash and MGF1: Bitwarden's wire
 * format; SHA-1's collision weakness does not touch OAEP). Public keys travel as base64 SPKI DER, private keys
 * as PKCS#8 DER encrypted with the user or org key.
 */
import { type Bytes, CryptoError, fromBase64, toBase64 } from "./bytes";
import { type EncString, UnsupportedEncStringType, asEncString, formatEncString, rsaEncString } from "./encstring";
import { DecryptionFailed, InvalidKey } from "./symmetric";

export const RSA_BITS = 2048;
const OAEP = { name: "RSA-OAEP", hash: "SHA-1" } as const;

/** A private key in memory. The PKCS#8 bytes are kept only to re-wrap it (e.g. key rotation); never stored. */
export class PrivateKey {
  readonly #pkcs8: Bytes;
  readonly #key: CryptoKey;

  private constructor(pkcs8: Bytes, key: CryptoKey) {
    this.#pkcs8 = pkcs8;
    this.#key = key;
  }

  /** Import PKCS#8 DER; refuses anything but an RSA-2048 key. */
  static async fromPkcs8(pkcs8: Uint8Array): Promise<PrivateKey> {
    const der = new Uint8Array(pkcs8);
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey("pkcs8", der, OAEP, false, ["decrypt"]);
    } catch {
      throw new InvalidKey("not an unencrypted PKCS#8 DER RSA private key");
    }
    const algorithm = key.algorithm as RsaHashedKeyAlgorithm;
    if (algorithm.modulusLength !== RSA_BITS) throw new InvalidKey(`expected an RSA-${RSA_BITS} private key`);
    return new PrivateKey(der, key);
  }

  toPkcs8(): Bytes {
    return new Uint8Array(this.#pkcs8);
  }

  toJSON(): never {
    throw new CryptoError("a key is never serialised");
  }

  /** Open a type-4 EncString (an org or provider key handed to us). */
  async decrypt(value: EncString | string): Promise<Bytes> {
    const enc = asEncString(value);
    if (enc.type !== 4) throw new UnsupportedEncStringType("a private key opens type 4 only");
    try {
      return new Uint8Array(await crypto.subtle.decrypt(OAEP, this.#key, enc.data));
    } catch {
      throw new DecryptionFailed("RSA-OAEP decryption failed");
    }
  }

  /** The matching public key, base64 SPKI DER (re-deriving it also proves the private key is sound). */
  async publicKey(): Promise<string> {
    return publicKeyOf(this.#pkcs8);
  }
}

export type KeyPair = { publicKey: string; privateKey: PrivateKey };

export async function generateKeyPair(): Promise<KeyPair> {
  const pair = await crypto.subtle.generateKey(
    { ...OAEP, modulusLength: RSA_BITS, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["encrypt", "decrypt"],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { publicKey: toBase64(spki), privateKey: await PrivateKey.fromPkcs8(pkcs8) };
}

/** Base64 SPKI of the public half of a PKCS#8 RSA key (through JWK: WebCrypto has no direct way). */
export async function publicKeyOf(pkcs8: Bytes): Promise<string> {
  let jwk: JsonWebKey;
  try {
    const extractable = await crypto.subtle.importKey("pkcs8", pkcs8, OAEP, true, ["decrypt"]);
    jwk = await crypto.subtle.exportKey("jwk", extractable);
  } catch {
    throw new InvalidKey("not an unencrypted PKCS#8 DER RSA private key");
  }
  const publicJwk: JsonWebKey = { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RSA-OAEP", ext: true };
  const key = await crypto.subtle.importKey("jwk", publicJwk, OAEP, true, ["encrypt"]);
  return toBase64(new Uint8Array(await crypto.subtle.exportKey("spki", key)));
}

async function importPublicKey(publicKey: string): Promise<CryptoKey> {
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey("spki", fromBase64(publicKey, "public key"), OAEP, false, ["encrypt"]);
  } catch {
    throw new InvalidKey("not a base64 DER SubjectPublicKeyInfo RSA key");
  }
  if ((key.algorithm as RsaHashedKeyAlgorithm).modulusLength !== RSA_BITS) {
    throw new InvalidKey(`type 4 needs an RSA-${RSA_BITS} public key`);
  }
  return key;
}

/** Hand a key (org or provider key bytes) to someone: a type-4 EncString only their private key opens. */
export async function wrapForPublicKey(keyBytes: Uint8Array, publicKey: string): Promise<string> {
  const key = await importPublicKey(publicKey);
  const data = new Uint8Array(await crypto.subtle.encrypt(OAEP, key, new Uint8Array(keyBytes)));
  return formatEncString(rsaEncString(data));
}
