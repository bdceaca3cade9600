/**
 * The provider routes, each page loaded on first use so the first page load stays small. The app's router mounts
 * them among its unlocked routes (hash routes: `#/providers`, `#/providers/:providerId/clients`, …).
 * `providers/accept-provider` (the invitation link) belongs to the account pages; a static segment outranks
 * `:providerId`.
 */
import { Navigate, type RouteObject } from "react-router";

export const providerRoutes: RouteObject[] = [
  {
    lazy: async () => ({ Component: (await import("./ProviderRoot")).ProviderRoot }),
    children: [
      { path: "providers", lazy: async () => ({ Component: (await import("./MyProvidersPage")).MyProvidersPage }) },
      {
        path: "providers/:providerId",
        lazy: async () => ({ Component: (await import("./ProviderLayout")).ProviderLayout }),
        children: [
          { index: true, element: <Navigate to="clients" replace /> },
          { path: "clients", lazy: async () => ({ Component: (await import("./ClientsPage")).ClientsPage }) },
          { path: "manage/people", lazy: async () => ({ Component: (await import("./PeoplePage")).PeoplePage }) },
          { path: "manage/events", lazy: async () => ({ Component: (await import("./EventsPage")).EventsPage }) },
          { path: "settings", lazy: async () => ({ Component: (await import("./SettingsPage")).SettingsPage }) },
          { path: "*", lazy: async () => ({ Component: (await import("./parts")).NotFound }) },
        ],
      },
    ],
  },
];
