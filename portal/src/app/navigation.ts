/** Where to go after logging in or unlocking: the `next` the guard recorded, if it is a path inside the portal. */
export function safeNext(next: string | null | undefined, fallback = "/vault"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return fallback;
  return next;
}

/** `/login?next=…` (or /unlock, /register) for the page the user was on. */
export function withNext(path: string, next: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...extra, next });
  return `${path}?${query.toString()}`;
}
