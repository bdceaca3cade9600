/**
 * Bitwarden's EncString, the one format every encrypted value travels in: `2.iv|ct|mac` (AES-256-CBC +
 * HMAC-SHA256) and `4.ct` (RSA-2048-OAEP-SHA1). Parsing validates the shape, so an EncString in hand is well
 * formed. Mirrors client/src/mspvault/client/encstring.py.
 */
import { type Bytes, MalformedError, fromBase64, toBase64 } from "./bytes";

export const IV_SIZE = 16;
export const MAC_SIZE = 32;
export const RSA_CIPHERTEXT_SIZE = 2048 / 8;

export const EncType = { AesCbc256HmacSha256: 2, Rsa2048OaepSha1: 4 } as const;

/** An EncString type this client neither reads nor writes (only 2 and 4). */
export class UnsupportedEncStringType extends MalformedError {
  override name = "UnsupportedEncStringType";
}

export type SymmetricEncString = { readonly type: 2; readonly iv: Bytes; readonly data: Bytes; readonly mac: Bytes };
export type RsaEncString = { readonly type: 4; readonly data: Bytes };
export type EncString = SymmetricEncString | RsaEncString;

export function symmetricEncString(iv: Bytes, data: Bytes, mac: Bytes): SymmetricEncString {
  if (iv.length !== IV_SIZE) throw new MalformedError(`type 2 needs a ${IV_SIZE}-byte IV`);
  if (mac.length !== MAC_SIZE) throw new MalformedError(`type 2 needs a ${MAC_SIZE}-byte MAC`);
  if (data.length === 0 || data.length % IV_SIZE !== 0) {
    throw new MalformedError("type 2 ciphertext must be a non-empty multiple of the AES block");
  }
  return { type: 2, iv, data, mac };
}

export function rsaEncString(data: Bytes): RsaEncString {
  if (data.length !== RSA_CIPHERTEXT_SIZE) {
    throw new MalformedError(`type 4 ciphertext must be ${RSA_CIPHERTEXT_SIZE} bytes`);
  }
  return { type: 4, data };
}

export function parseEncString(text: string): EncString {
  if (typeof text !== "string") throw new MalformedError("an EncString must be a string");
  const dot = text.indexOf(".");
  const header = dot < 0 ? "" : text.slice(0, dot);
  if (!/^\d+$/.test(header)) throw new MalformedError("an EncString starts with '<type>.'");
  const parts = text.slice(dot + 1).split("|");
  if (header === "2") {
    const [iv, data, mac] = parts;
    if (parts.length !== 3 || iv === undefined || data === undefined || mac === undefined) {
      throw new MalformedError("type 2 has three parts: iv|ct|mac");
    }
    return symmetricEncString(fromBase64(iv, "iv"), fromBase64(data, "ct"), fromBase64(mac, "mac"));
  }
  if (header === "4") {
    const [data] = parts;
    if (parts.length !== 1 || data === undefined) throw new MalformedError("type 4 has one part");
    return rsaEncString(fromBase64(data, "ct"));
  }
  throw new UnsupportedEncStringType(`EncString type ${header} is not supported`);
}

export function formatEncString(enc: EncString): string {
  return enc.type === 2
    ? `2.${toBase64(enc.iv)}|${toBase64(enc.data)}|${toBase64(enc.mac)}`
    : `4.${toBase64(enc.data)}`;
}

export function asEncString(value: EncString | string): EncString {
  return typeof value === "string" ? parseEncString(value) : value;
}
