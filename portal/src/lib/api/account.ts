/**
 * The account's own security settings: two-step login providers and the personal API key. Every change sends
 * the master-password hash (`session.masterPasswordHash(password)`), as Bitwarden's web vault does.
 */
import { api, call, field } from "./client";

export type TwoFactorStatus = { providers: number[] };

export async function twoFactorProviders(): Promise<number[]> {
  const body = await call(api.GET("/api/two-factor"));
  const data = field(body, "data");
  return Array.isArray(data) ? data.map((p) => Number(field(p, "type"))).filter((n) => Number.isInteger(n)) : [];
}

/** A new authenticator key (base32) to scan, or the one in use. */
export async function authenticatorKey(masterPasswordHash: string): Promise<{ enabled: boolean; key: string }> {
  const body = await call(api.POST("/api/two-factor/get-authenticator", { body: { masterPasswordHash } }));
  return { enabled: field(body, "enabled") === true, key: String(field(body, "key") ?? "") };
}

export async function enableAuthenticator(masterPasswordHash: string, key: string, token: string): Promise<void> {
  await call(api.PUT("/api/two-factor/authenticator", { body: { masterPasswordHash, key, token: token.replace(/\s+/g, "") } }));
}

/** The address two-step login codes go to (the account's own until set), and whether email codes are on. */
export async function emailTwoFactor(masterPasswordHash: string): Promise<{ enabled: boolean; email: string }> {
  const body = await call(api.POST("/api/two-factor/get-email", { body: { masterPasswordHash } }));
  return { enabled: body.enabled, email: body.email };
}

/** Mail a setup code to `email`: typing it back proves the address reads its mail. */
export async function sendEmailSetupCode(masterPasswordHash: string, email: string): Promise<void> {
  await call(api.POST("/api/two-factor/send-email", { body: { masterPasswordHash, email } }));
}

export async function enableEmailTwoFactor(masterPasswordHash: string, email: string, token: string): Promise<void> {
  await call(api.PUT("/api/two-factor/email", { body: { masterPasswordHash, email, token: token.replace(/\s+/g, "") } }));
}

export async function disableTwoFactor(masterPasswordHash: string, type: number): Promise<void> {
  await call(api.PUT("/api/two-factor/disable", { body: { masterPasswordHash, type } }));
}

export async function recoveryCode(masterPasswordHash: string): Promise<string> {
  const body = await call(api.POST("/api/two-factor/get-recover", { body: { masterPasswordHash } }));
  return String(field(body, "code") ?? "");
}

export async function personalApiKey(masterPasswordHash: string, rotate: boolean): Promise<string> {
  const body = rotate
    ? await call(api.POST("/api/accounts/rotate-api-key", { body: { masterPasswordHash } }))
    : await call(api.POST("/api/accounts/api-key", { body: { masterPasswordHash } }));
  return String(field(body, "apiKey") ?? "");
}

/** Mail the account a link that proves it reads its address (400 `Email already verified.` once it does). */
export async function sendVerificationEmail(): Promise<void> {
  await call(api.POST("/api/accounts/verify-email"));
}

/** Open that link: its `userId` and `token` (no login needed: the link is the proof). */
export async function verifyEmailToken(userId: string, token: string): Promise<void> {
  await call(api.POST("/api/accounts/verify-email-token", { body: { userId, token } }));
}

/** What an authenticator app scans (as text: the portal loads nothing from another origin, draws no QR). */
export function otpauthUri(email: string, key: string): string {
  const label = encodeURIComponent(`MSPVault:${email}`);
  return `otpauth://totp/${label}?secret=${key}&issuer=MSPVault&algorithm=SHA1&digits=6&period=30`;
}
