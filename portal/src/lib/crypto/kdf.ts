/**
 * The master key and what is derived from it (client/src/mspvault/client/crypto.py is the reference):
 * - masterKey = PBKDF2-SHA256(password, salt = normalised email) or Argon2id(password, SHA-256(salt)), 32 bytes;
 * - masterPasswordHash = base64 PBKDF2-SHA256(masterKey, salt = password, 1 iteration): what the server sees;
 * - stretched key = HKDF-Expand-SHA256(masterKey, "enc") ‖ HKDF-Expand-SHA256(masterKey, "mac"): opens the
 *   user key. Expand only: the master key already is the pseudo-random key.
 */
import { type Bytes, CryptoError, concat, toBase64, utf8 } from "./bytes";
import { KEY_SIZE, SymmetricKey } from "./symmetric";

export const KdfType = { Pbkdf2Sha256: 0, Argon2id: 1 } as const;
export type KdfType = (typeof KdfType)[keyof typeof KdfType];

export type KdfConfig =
  | { readonly kdf: typeof KdfType.Pbkdf2Sha256; readonly iterations: number }
  | {
      readonly kdf: typeof KdfType.Argon2id;
      readonly iterations: number;
      readonly memory: number; // MiB
      readonly parallelism: number;
    };

/** KDF parameters outside Bitwarden's accepted ranges (also the guard against a prelogin downgrade). */
export class InvalidKdfConfig extends CryptoError {
  override name = "InvalidKdfConfig";
}

// Bitwarden's accepted ranges, as in the Python client. The floors stop a hostile server from talking the
// client into a cheap KDF at prelogin.
export const KDF_LIMITS = {
  pbkdf2Iterations: [5_000, 2_000_000],
  argon2Iterations: [2, 10],
  argon2MemoryMiB: [15, 1024],
  argon2Parallelism: [1, 16],
} as const;

export const DEFAULT_PBKDF2: KdfConfig = { kdf: KdfType.Pbkdf2Sha256, iterations: 600_000 };
export const DEFAULT_ARGON2ID: KdfConfig = { kdf: KdfType.Argon2id, iterations: 3, memory: 64, parallelism: 4 };

function inRange(value: unknown, [low, high]: readonly [number, number]): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= low && value <= high;
}

/** Build a KdfConfig from untrusted wire values (prelogin, token response); anything odd throws. */
export function kdfConfigFromWire(
  kdf: unknown,
  iterations: unknown,
  memory?: unknown,
  parallelism?: unknown,
): KdfConfig {
  if (kdf === KdfType.Pbkdf2Sha256) {
    if (!inRange(iterations, KDF_LIMITS.pbkdf2Iterations)) throw new InvalidKdfConfig("PBKDF2 iterations out of range");
    return { kdf, iterations };
  }
  if (kdf === KdfType.Argon2id) {
    if (!inRange(iterations, KDF_LIMITS.argon2Iterations)) throw new InvalidKdfConfig("Argon2id iterations out of range");
    if (!inRange(memory, KDF_LIMITS.argon2MemoryMiB)) throw new InvalidKdfConfig("Argon2id memory (MiB) out of range");
    if (!inRange(parallelism, KDF_LIMITS.argon2Parallelism)) {
      throw new InvalidKdfConfig("Argon2id parallelism out of range");
    }
    return { kdf, iterations, memory, parallelism };
  }
  throw new InvalidKdfConfig("unknown KDF type");
}

/** Re-validate a config made in code (e.g. from a form). */
export function validateKdfConfig(config: KdfConfig): KdfConfig {
  return config.kdf === KdfType.Argon2id
    ? kdfConfigFromWire(config.kdf, config.iterations, config.memory, config.parallelism)
    : kdfConfigFromWire(config.kdf, config.iterations);
}

/** 32 bytes derived from the master password. Never leaves the browser; never stored. */
export class MasterKey {
  readonly #raw: Bytes;

  constructor(raw: Uint8Array) {
    if (raw.length !== KEY_SIZE) throw new InvalidKdfConfig(`a master key is ${KEY_SIZE} bytes`);
    this.#raw = new Uint8Array(raw);
  }

  /** A copy of the raw bytes: for tests and derivations here, never for storage. */
  toBytes(): Bytes {
    return new Uint8Array(this.#raw);
  }

  toJSON(): never {
    throw new CryptoError("a key is never serialised");
  }
}

/** The KDF salt and the form the server stores: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function pbkdf2(password: Bytes, salt: Bytes, iterations: number): Promise<Bytes> {
  const base = await crypto.subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, base, KEY_SIZE * 8);
  return new Uint8Array(bits);
}

export async function deriveMasterKey(password: string, email: string, config: KdfConfig): Promise<MasterKey> {
  const kdf = validateKdfConfig(config);
  const secret = utf8(password);
  const salt = utf8(normalizeEmail(email));
  if (kdf.kdf === KdfType.Pbkdf2Sha256) return new MasterKey(await pbkdf2(secret, salt, kdf.iterations));
  // Loaded on demand: the WASM Argon2id is only needed by Argon2id accounts.
  const { argon2id } = await import("hash-wasm");
  const derived = await argon2id({
    password: secret,
    salt: new Uint8Array(await crypto.subtle.digest("SHA-256", salt)), // Bitwarden hashes the salt to a fixed size
    iterations: kdf.iterations,
    memorySize: kdf.memory * 1024, // MiB -> KiB
    parallelism: kdf.parallelism,
    hashLength: KEY_SIZE,
    outputType: "binary",
  });
  return new MasterKey(derived);
}

/** What the client sends instead of the password: base64 PBKDF2-SHA256(masterKey, salt = password, 1). */
export async function masterPasswordHash(masterKey: MasterKey, password: string): Promise<string> {
  return toBase64(await pbkdf2(masterKey.toBytes(), utf8(password), 1));
}

/** HKDF-Expand (RFC 5869 §2.3) with SHA-256. WebCrypto's HKDF always extracts first, so expand is done here. */
export async function hkdfExpand(prk: Bytes, info: Bytes, length: number): Promise<Bytes> {
  if (length > 255 * 32) throw new CryptoError("HKDF-Expand output too long");
  const key = await crypto.subtle.importKey("raw", prk, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const blocks: Bytes[] = [];
  let previous: Bytes = new Uint8Array(0);
  for (let i = 1; blocks.length * 32 < length; i++) {
    previous = new Uint8Array(await crypto.subtle.sign("HMAC", key, concat(previous, info, new Uint8Array([i]))));
    blocks.push(previous);
  }
  return concat(...blocks).slice(0, length);
}

export async function stretchMasterKey(masterKey: MasterKey): Promise<SymmetricKey> {
  const prk = masterKey.toBytes();
  return SymmetricKey.fromParts(await hkdfExpand(prk, utf8("enc"), KEY_SIZE), await hkdfExpand(prk, utf8("mac"), KEY_SIZE));
}
