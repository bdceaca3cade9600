// Authenticator codes (RFC 6238) from what a login stores: a bare base32 secret, an otpauth:// URI or a
// steam:// secret (portal-ux §3.4). HMAC through WebCrypto.

export interface TotpParams {
  secret: Uint8Array;
  algorithm: "SHA-1" | "SHA-256" | "SHA-512";
  digits: number;
  period: number;
  steam: boolean;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const STEAM_CHARS = "23456789BCDFGHJKMNPQRTVWXY";

export function base32Decode(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/[^A-Z2-7]/g, "");
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    value = (value << 5) | BASE32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

/** Null when the text holds no usable secret. */
export function parseTotp(text: string | null): TotpParams | null {
  if (!text) return null;
  const trimmed = text.trim();
  let params: TotpParams = { secret: new Uint8Array(), algorithm: "SHA-1", digits: 6, period: 30, steam: false };
  if (/^steam:\/\//i.test(trimmed)) {
    params = { ...params, secret: base32Decode(trimmed.slice(8)), digits: 5, steam: true };
  } else if (/^otpauth:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return null;
    }
    const q = url.searchParams;
    const algorithm = (q.get("algorithm") ?? "sha1").toLowerCase();
    const digits = Number.parseInt(q.get("digits") ?? "6", 10);
    const period = Number.parseInt(q.get("period") ?? "30", 10);
    params = {
      ...params,
      secret: base32Decode(q.get("secret") ?? ""),
      algorithm: algorithm === "sha256" ? "SHA-256" : algorithm === "sha512" ? "SHA-512" : "SHA-1",
      digits: Number.isFinite(digits) && digits > 0 ? Math.min(digits, 10) : 6,
      period: Number.isFinite(period) && period >= 1 ? period : 30,
    };
  } else {
    params = { ...params, secret: base32Decode(trimmed) };
  }
  return params.secret.length > 0 ? params : null;
}

export async function totpCode(params: TotpParams, unixSeconds: number): Promise<string> {
  const counter = Math.floor(unixSeconds / params.period);
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(counter));
  const key = await crypto.subtle.importKey("raw", params.secret as BufferSource, { name: "HMAC", hash: params.algorithm }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary =
    (((mac[offset] ?? 0) & 0x7f) << 24) |
    ((mac[offset + 1] ?? 0) << 16) |
    ((mac[offset + 2] ?? 0) << 8) |
    (mac[offset + 3] ?? 0);
  if (params.steam) {
    let full = binary;
    let code = "";
    for (let i = 0; i < params.digits; i++) {
      code += STEAM_CHARS[full % STEAM_CHARS.length];
      full = Math.floor(full / STEAM_CHARS.length);
    }
    return code;
  }
  return String(binary % 10 ** params.digits).padStart(params.digits, "0");
}

export function secondsLeft(params: TotpParams, unixSeconds: number): number {
  return params.period - (Math.floor(unixSeconds) % params.period);
}

/** "123 456": codes longer than four characters are split in two halves. */
export function formatCode(code: string): string {
  if (code.length <= 4) return code;
  const half = Math.floor(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}
