/**
 * The portal's API layer. Pages use `api` + `call` for every `/api/*` route (typed from schema.d.ts) and
 * catch `ApiError`; identity's pre-session calls are in identity.ts (used by the session module).
 * Types of request/response bodies: `components["schemas"]["CreateClientRequest"]` etc. from "./schema".
 */
export { ApiError, api, call, field, setAuth } from "./client";
export type { Auth } from "./client";
export type { components, operations, paths } from "./schema";
