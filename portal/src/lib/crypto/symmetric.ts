/**
 * SymmetricKey: 64 bytes, an AES-256-CBC key then an HMAC-SHA256 key. User, org, provider and item keys and the
 * stretched master key are all of this kind; they encrypt to EncString type 2 (encrypt-then-MAC over iv‖ct).
 *
 * The raw bytes stay in a private field (memory only) because keys are wrapped under other keys; nothing in
 * this class logs, serialises or stores them. `toJSON` refuses, so a key never lands in JSON by accident.
 */
import { type Bytes, CryptoError, concat, constantTimeEqual, fromUtf8, randomBytes, utf8 } from "./bytes";
import {
  type EncString,
  IV_SIZE,
  type SymmetricEncString,
  UnsupportedEncStringType,
  asEncString,
  formatEncString,
  symmetricEncString,
} from "./encstring";

export const KEY_SIZE = 32;

/** Wrong key, tampered data, or data not made by this key. Says nothing about the plaintext. */
export class DecryptionFailed extends CryptoError {
  override name = "DecryptionFailed";
}

/** The HMAC over iv‖ct does not verify: tampered data or the wrong key (a wrong password shows up here). */
export class MacMismatch extends DecryptionFailed {
  override name = "MacMismatch";
}

/** Key material of the wrong size, kind or encoding. */
export class InvalidKey extends CryptoError {
  override name = "InvalidKey";
}

export class SymmetricKey {
  readonly #raw: Bytes;
  #aes: Promise<CryptoKey> | undefined;
  #hmac: Promise<CryptoKey> | undefined;

  private constructor(raw: Bytes) {
    this.#raw = raw;
  }

  static generate(): SymmetricKey {
    return new SymmetricKey(randomBytes(2 * KEY_SIZE));
  }

  /** 64 bytes (enc ‖ mac). 32-byte keys are Bitwarden's legacy type 0, refused as the Python client does. */
  static fromBytes(raw: Uint8Array): SymmetricKey {
    if (raw.length !== 2 * KEY_SIZE) throw new InvalidKey(`a symmetric key is ${2 * KEY_SIZE} bytes, got ${raw.length}`);
    return new SymmetricKey(new Uint8Array(raw));
  }

  static fromParts(encKey: Uint8Array, macKey: Uint8Array): SymmetricKey {
    if (encKey.length !== KEY_SIZE || macKey.length !== KEY_SIZE) {
      throw new InvalidKey(`a symmetric key is two ${KEY_SIZE}-byte halves`);
    }
    return new SymmetricKey(concat(encKey, macKey));
  }

  /** A copy of the 64 raw bytes, to wrap this key under another (never to store it). */
  toBytes(): Bytes {
    return new Uint8Array(this.#raw);
  }

  toJSON(): never {
    throw new CryptoError("a key is never serialised");
  }

  async encrypt(plaintext: Uint8Array): Promise<SymmetricEncString> {
    const iv = randomBytes(IV_SIZE);
    const data = new Uint8Array(
      await crypto.subtle.encrypt({ name: "AES-CBC", iv }, await this.#aesKey(), new Uint8Array(plaintext)),
    );
    return symmetricEncString(iv, data, await this.#mac(iv, data));
  }

  async decrypt(value: EncString | string): Promise<Bytes> {
    const enc = asEncString(value);
    if (enc.type !== 2) throw new UnsupportedEncStringType("a symmetric key opens type 2 only; type 4 needs a private key");
    // Verify before decrypting, in constant time: never feed unauthenticated bytes to CBC unpadding.
    if (!constantTimeEqual(await this.#mac(enc.iv, enc.data), enc.mac)) throw new MacMismatch("MAC check failed");
    try {
      return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv: enc.iv }, await this.#aesKey(), enc.data));
    } catch {
      throw new DecryptionFailed("bad padding");
    }
  }

  async encryptString(text: string): Promise<string> {
    return formatEncString(await this.encrypt(utf8(text)));
  }

  async decryptString(value: EncString | string): Promise<string> {
    const bytes = await this.decrypt(value);
    try {
      return fromUtf8(bytes);
    } catch {
      throw new DecryptionFailed("plaintext is not UTF-8");
    }
  }

  /** This key wrapped under `wrappingKey` (type 2), e.g. an org key under the provider key. */
  async wrapWith(wrappingKey: SymmetricKey): Promise<string> {
    return formatEncString(await wrappingKey.encrypt(this.#raw));
  }

  #aesKey(): Promise<CryptoKey> {
    this.#aes ??= crypto.subtle.importKey("raw", this.#raw.slice(0, KEY_SIZE), "AES-CBC", false, ["encrypt", "decrypt"]);
    return this.#aes;
  }

  async #mac(iv: Bytes, data: Bytes): Promise<Bytes> {
    this.#hmac ??= crypto.subtle.importKey("raw", this.#raw.slice(KEY_SIZE), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    return new Uint8Array(await crypto.subtle.sign("HMAC", await this.#hmac, concat(iv, data)));
  }
}
