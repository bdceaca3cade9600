/**
 * Bitwarden's fingerprint phrase: five words an admin compares with the invitee before handing over a key
 * (client/src/mspvault/client/fingerprint.py is the reference): f = HKDF-Expand-SHA256(PRK = SHA-256(SPKI),
 * info = material, 32); five base-7,776 digits of f (big-endian), least significant first, index the EFF long
 * word list. The material is the user id (the org id for an org fingerprint).
 *
 * The word list (~60 KB) is loaded on first use, so it stays out of the first page load.
 */
import { CryptoError, fromBase64, utf8 } from "./bytes";
import { hkdfExpand } from "./kdf";

const MINIMUM_ENTROPY_BITS = 64;

export async function fingerprintPhrase(material: string, publicKey: string): Promise<string> {
  const spki = fromBase64(publicKey, "public key");
  const prk = new Uint8Array(await crypto.subtle.digest("SHA-256", spki));
  return hashPhrase(await hkdfExpand(prk, utf8(material), 32));
}

export async function hashPhrase(digest: Uint8Array): Promise<string> {
  const { EFF_LONG_WORD_LIST: words } = await import("./wordlist");
  const bitsPerWord = Math.log2(words.length);
  const count = Math.ceil(MINIMUM_ENTROPY_BITS / bitsPerWord);
  if (count * bitsPerWord > digest.length * 4) throw new CryptoError("digest too short for a fingerprint phrase");
  let number = BigInt(`0x${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("") || "0"}`);
  const size = BigInt(words.length);
  const phrase: string[] = [];
  for (let i = 0; i < count; i++) {
    phrase.push(words[Number(number % size)] ?? "");
    number /= size;
  }
  return phrase.join("-");
}
