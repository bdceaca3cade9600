/**
 * Identity calls that happen before there is a session: prelogin, register, and the OAuth token endpoint
 * (`/identity/connect/token`, form-encoded and untyped in the OpenAPI document, so wrapped here by hand).
 * Every value read from the server is checked; the KDF settings go through the downgrade guard.
 */
import { type KdfConfig, fromBase64Url, fromUtf8, kdfConfigFromWire } from "../crypto";
import { API_ORIGIN, ApiError, api, call, field, readBody } from "./client";

/** The KDF for an email (unknown emails get the server's default, so this does not reveal accounts). */
export async function prelogin(email: string): Promise<KdfConfig> {
  const body = await call(api.POST("/identity/accounts/prelogin/password", { body: { email } }));
  return kdfConfigFromWire(
    field(body, "kdf"),
    field(body, "kdfIterations"),
    field(body, "kdfMemory") ?? undefined,
    field(body, "kdfParallelism") ?? undefined,
  );
}

export type Registration = {
  email: string;
  name: string | null;
  masterPasswordHash: string;
  masterPasswordHint: string | null;
  key: string;
  publicKey: string;
  encryptedPrivateKey: string;
  kdf: KdfConfig;
};

export async function register(r: Registration): Promise<void> {
  await call(
    api.POST("/identity/accounts/register", {
      body: {
        email: r.email,
        name: r.name,
        masterPasswordHash: r.masterPasswordHash,
        masterPasswordHint: r.masterPasswordHint,
        key: r.key,
        keys: { publicKey: r.publicKey, encryptedPrivateKey: r.encryptedPrivateKey },
        kdf: r.kdf.kdf,
        kdfIterations: r.kdf.iterations,
        kdfMemory: r.kdf.kdf === 1 ? r.kdf.memory : null,
        kdfParallelism: r.kdf.kdf === 1 ? r.kdf.parallelism : null,
      },
    }),
  );
}

/** The Bitwarden client id of the web vault, and its device fields. */
export const CLIENT_ID = "web";

export type Device = { identifier: string; type: number; name: string };

export type Tokens = {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
};

/** The password grant's answer: tokens plus the wrapped keys that unlock the account. */
export type LoginResult = Tokens & {
  protectedUserKey: string;
  encryptedPrivateKey: string | null;
  kdf: KdfConfig;
};

function requireString(body: unknown, ...names: string[]): string {
  for (const name of names) {
    const value = field(body, name);
    if (typeof value === "string" && value !== "") return value;
  }
  throw new ApiError(502, { message: `The token response has no ${names[0]}.` });
}

function tokensOf(body: unknown, now: number): Tokens {
  const seconds = field(body, "expires_in");
  const lifetime = typeof seconds === "number" && seconds > 0 ? seconds : 3600;
  const refresh = field(body, "refresh_token");
  return {
    accessToken: requireString(body, "access_token"),
    refreshToken: typeof refresh === "string" && refresh !== "" ? refresh : null,
    expiresAt: now + lifetime * 1000,
  };
}

async function tokenRequest(form: Record<string, string>): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${API_ORIGIN}/identity/connect/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", Accept: "application/json" },
      body: new URLSearchParams(form).toString(),
    });
  } catch (error) {
    throw new ApiError(0, error instanceof Error ? error.message : null);
  }
  const body = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, body, response.headers.get("X-Correlation-Id"));
  return body;
}

/** Bitwarden's two-step login providers the portal offers: authenticator app, email, recovery code. */
export const TwoFactorProvider = { Authenticator: 0, Email: 1, RecoveryCode: 8 } as const;

/** The second step of a login: the provider's number, the code, and whether to remember this device. */
export type TwoFactorAttempt = { provider: number; token: string; remember: boolean };

/** The password was right and the account has two-step login: the providers it offers (`TwoFactorProviders2`),
 * and the redacted address a code was (or can be) mailed to. */
export class TwoFactorRequired extends Error {
  override name = "TwoFactorRequired";

  constructor(
    readonly providers: number[],
    readonly redactedEmail: string | null,
  ) {
    super("Enter the code of your two-step login.");
  }
}

function twoFactorRequired(error: unknown): TwoFactorRequired | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const providers = field(error.body, "TwoFactorProviders2");
  if (providers === null || typeof providers !== "object") return null;
  const numbers = Object.keys(providers).map(Number).filter((n) => Number.isInteger(n));
  const email = field(field(providers, "1"), "Email");
  return new TwoFactorRequired(numbers, typeof email === "string" ? email : null);
}

/** Remember-device tokens, per account, so a remembered browser skips the code (Bitwarden's provider 5). */
const REMEMBER_PREFIX = "mspvault.twoFactorToken.";
const rememberStore: Storage | null = typeof localStorage === "undefined" ? null : localStorage;

/** Ask for a login code by mail (the login page's "Send a code by email"); the password is proved again. */
export async function sendLoginCode(email: string, masterPasswordHash: string): Promise<void> {
  await call(api.POST("/api/two-factor/send-email-login", { body: { email, masterPasswordHash } }));
}

export async function passwordGrant(
  email: string,
  masterPasswordHash: string,
  device: Device,
  twoFactor: TwoFactorAttempt | null = null,
): Promise<LoginResult> {
  const now = Date.now();
  const form: Record<string, string> = {
    grant_type: "password",
    username: email,
    password: masterPasswordHash,
    scope: "api offline_access",
    client_id: CLIENT_ID,
    deviceType: String(device.type),
    deviceIdentifier: device.identifier,
    deviceName: device.name,
  };
  const remembered = twoFactor === null ? rememberStore?.getItem(REMEMBER_PREFIX + email) : null;
  if (twoFactor !== null) {
    form.twoFactorToken = twoFactor.token.replace(/\s+/g, "");
    form.twoFactorProvider = String(twoFactor.provider);
    form.twoFactorRemember = twoFactor.remember ? "1" : "0";
  } else if (remembered) {
    form.twoFactorToken = remembered;
    form.twoFactorProvider = "5";
    form.twoFactorRemember = "0";
  }
  let body: unknown;
  try {
    body = await tokenRequest(form);
  } catch (error) {
    const required = twoFactorRequired(error);
    if (required !== null) {
      if (remembered) rememberStore?.removeItem(REMEMBER_PREFIX + email);
      throw required;
    }
    throw error;
  }
  const rememberToken = field(body, "TwoFactorToken");
  if (typeof rememberToken === "string" && rememberToken !== "") rememberStore?.setItem(REMEMBER_PREFIX + email, rememberToken);
  const unlock = field(field(body, "UserDecryptionOptions"), "MasterPasswordUnlock");
  const pair = field(field(body, "AccountKeys"), "publicKeyEncryptionKeyPair");
  const wrappedPrivate = field(pair, "wrappedPrivateKey") ?? field(body, "PrivateKey");
  return {
    ...tokensOf(body, now),
    protectedUserKey: field(body, "Key") ? requireString(body, "Key") : requireString(unlock, "MasterKeyEncryptedUserKey"),
    encryptedPrivateKey: typeof wrappedPrivate === "string" && wrappedPrivate !== "" ? wrappedPrivate : null,
    kdf: kdfConfigFromWire(
      field(body, "Kdf"),
      field(body, "KdfIterations"),
      field(body, "KdfMemory") ?? undefined,
      field(body, "KdfParallelism") ?? undefined,
    ),
  };
}

export async function refreshGrant(refreshToken: string): Promise<Tokens> {
  const now = Date.now();
  return tokensOf(await tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: CLIENT_ID }), now);
}

/** Claims of our own access token, read without verifying (the server verifies its tokens; we only learn
 * who it says we are). */
export type TokenClaims = { sub: string; email: string; name: string | null; exp: number | null };

export function readClaims(accessToken: string): TokenClaims {
  const payload = accessToken.split(".")[1];
  if (payload === undefined) throw new ApiError(502, { message: "The access token is not a JWT." });
  let claims: unknown;
  try {
    claims = JSON.parse(fromUtf8(fromBase64Url(payload, "JWT payload"))); // UTF-8: names need not be ASCII
  } catch {
    throw new ApiError(502, { message: "The access token payload is not JSON." });
  }
  const name = field(claims, "name");
  const exp = field(claims, "exp");
  return {
    sub: requireString(claims, "sub"),
    email: requireString(claims, "email"),
    name: typeof name === "string" ? name : null,
    exp: typeof exp === "number" ? exp : null,
  };
}
