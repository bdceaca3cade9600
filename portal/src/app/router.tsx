/**
 * The route table. Hash routing, because mail links are `/#/accept-organization?…` and the gateway serves one
 * index.html. Account and invitation pages stand outside the shell; everything else needs an unlocked session.
 */
import { type RouteObject, Navigate, Outlet, createHashRouter } from "react-router";
import { ToastProvider } from "../ui";
import { areaRoutes } from "./areas";
import { RequireUnlocked } from "./guards";
import { NotFoundPage } from "./NotFoundPage";
import { RouteErrorPage } from "./RouteErrorPage";
import { Shell } from "./Shell";

function Root() {
  return (
    <ToastProvider>
      <Outlet />
    </ToastProvider>
  );
}

type AccountPage =
  | "LoginPage"
  | "RegisterPage"
  | "UnlockPage"
  | "AcceptOrganizationPage"
  | "AcceptProviderPage"
  | "SetupProviderPage"
  | "VerifyEmailPage"
  | "UpdateTempPasswordPage";

const account = (name: AccountPage) => async () => {
  const pages = await import("../pages/account");
  return { Component: pages[name] };
};

export const routes: RouteObject[] = [
  {
    path: "/",
    Component: Root,
    ErrorBoundary: RouteErrorPage,
    children: [
      { path: "login", lazy: account("LoginPage") },
      { path: "register", lazy: account("RegisterPage") },
      { path: "unlock", lazy: account("UnlockPage") },
      { path: "accept-organization", lazy: account("AcceptOrganizationPage") },
      { path: "providers/accept-provider", lazy: account("AcceptProviderPage") },
      { path: "providers/setup", lazy: account("SetupProviderPage") },
      { path: "verify-email", lazy: account("VerifyEmailPage") },
      {
        Component: RequireUnlocked,
        children: [
          // Outside the shell: nothing else is reachable until a recovered account has its own password.
          { path: "update-password", lazy: account("UpdateTempPasswordPage") },
          {
            Component: Shell,
            children: [
              // Errors inside the shell keep the navigation: the boundary is a pathless child around every page.
              {
                ErrorBoundary: RouteErrorPage,
                children: [
                  { index: true, element: <Navigate to="/vault" replace /> },
                  ...areaRoutes,
                  { path: "organizations", lazy: async () => ({ Component: (await import("./OrganizationsPage")).OrganizationsPage }) },
                  { path: "account", lazy: async () => ({ Component: (await import("../pages/account/SecurityPage")).SecurityPage }) },
                  {
                    path: "account/password",
                    lazy: async () => ({ Component: (await import("../pages/account/ChangePasswordPage")).ChangePasswordPage }),
                  },
                  { path: "*", Component: NotFoundPage },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
];

export function createRouter() {
  return createHashRouter(routes);
}
