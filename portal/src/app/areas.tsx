/**
 * The page areas mounted inside the signed-in shell. Each area owns a routes module with lazy pages (so the
 * first load stays small); add yours here. An area that needs a context (e.g. its API port) wraps its routes
 * in a layout route of its own. Paths are relative to `/` (hash routing: `#/providers/…`).
 *
 * Reserved by the shell: `login`, `register`, `unlock`, `accept-organization`, `verify-email`, `providers/accept-provider`,
 * `providers/setup`, `organizations` (the list), and `*` (not found).
 */
import type { RouteObject } from "react-router";
import { providerRoutes } from "../pages/provider/routes";

export const areaRoutes: RouteObject[] = [
  ...providerRoutes,
  // My Vault and the organization admin console, each loaded when first opened.
  { path: "vault", lazy: async () => ({ Component: (await import("../pages/vault/routes")).MyVaultRoute }) },
  { path: "organizations/:orgId/*", lazy: async () => ({ Component: (await import("../pages/org/routes")).OrgConsoleRoute }) },
];
