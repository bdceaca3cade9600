/**
 * The typed API client: openapi-fetch over the gateway's OpenAPI document (schema.d.ts, generated), so a
 * server change breaks the build, not the user.
 *
 *   import { api, call } from "../lib/api";
 *   const clients = await call(api.GET("/api/providers/{provider_id}/organizations", {
 *     params: { path: { provider_id: providerId } },
 *   }));
 *
 * `call` returns the body or throws an ApiError (status, message, field errors, correlation id). Every request
 * carries the session's bearer token; a 401 triggers one refresh and one retry. The session registers itself
 * with `setAuth`; nothing here knows about keys.
 */
import createClient from "openapi-fetch";
import type { paths } from "./schema";

/** Where the session plugs in: a valid access token (refreshed when due), and a forced refresh after a 401. */
export interface Auth {
  /** The current access token, refreshed first if it is about to expire; null when logged out. */
  accessToken(): Promise<string | null>;
  /** Refresh now (the server said 401); the new token, or null when the session is over. */
  refreshAfterUnauthorized(): Promise<string | null>;
  /** This browser's Bitwarden device type, sent as `Device-Type` so event logs name the device. */
  deviceType(): number;
}

let auth: Auth | null = null;

export function setAuth(next: Auth | null): void {
  auth = next;
}

/** A non-2xx answer (or no answer: status 0). The message is the server's, safe to show. */
export class ApiError extends Error {
  override name = "ApiError";

  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly correlationId: string | null = null,
  ) {
    super(messageOf(status, body));
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  /** Per-field messages from a 400 (`validationErrors`), keyed by the API's field name. */
  get fieldErrors(): Record<string, string[]> {
    const errors = field(this.body, "validationErrors");
    return isRecord(errors) ? (errors as Record<string, string[]>) : {};
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Case-insensitive field read: the API answers camelCase, /connect/token PascalCase and snake_case. */
export function field(body: unknown, name: string): unknown {
  if (!isRecord(body)) return undefined;
  if (name in body) return body[name];
  const lower = name.toLowerCase();
  const key = Object.keys(body).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : body[key];
}

function messageOf(status: number, body: unknown): string {
  const model = field(body, "errorModel");
  for (const candidate of [
    field(model, "message"),
    field(body, "message"),
    field(body, "error_description"),
    field(body, "error"),
    field(body, "detail"),
  ]) {
    if (typeof candidate === "string" && candidate !== "") return candidate;
  }
  if (typeof body === "string" && body !== "") return body;
  if (status === 0) return "The server could not be reached.";
  if (status === 404) return "Not found.";
  return `The request failed (HTTP ${status}).`;
}

export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function withToken(request: Request, token: string | null): Request {
  if (token !== null) request.headers.set("Authorization", `Bearer ${token}`);
  if (auth !== null) request.headers.set("Device-Type", String(auth.deviceType()));
  return request;
}

/** fetch with the bearer token; on 401, one refresh and one retry (the body is cloned before the first try). */
export async function authorizedFetch(request: Request): Promise<Response> {
  const token = auth === null ? null : await auth.accessToken();
  const retry = request.clone();
  let response: Response;
  try {
    response = await fetch(withToken(request, token));
  } catch (error) {
    throw new ApiError(0, error instanceof Error ? error.message : null);
  }
  if (response.status !== 401 || auth === null || token === null) return response;
  const fresh = await auth.refreshAfterUnauthorized();
  return fresh === null ? response : fetch(withToken(retry, fresh));
}

/** The portal is served by the gateway, so the API is on the page's own origin (a fixed one outside a
 * browser, for the unit tests). */
export const API_ORIGIN = typeof location === "undefined" ? "http://localhost" : location.origin;

export const api = createClient<paths>({ baseUrl: API_ORIGIN, fetch: authorizedFetch });

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** The body of a successful call, or an ApiError. Use around every `api.GET/POST/...`. */
export async function call<T>(request: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok) throw new ApiError(response.status, error ?? null, response.headers.get("X-Correlation-Id"));
  return data as T;
}
