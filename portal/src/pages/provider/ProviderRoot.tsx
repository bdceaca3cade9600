/** Above every provider route: the pages' dependencies, made from the portal's API client and session. */
import { Outlet } from "react-router";
import { session } from "../../lib/session";
import { ProviderDepsContext, type ProviderDeps } from "./context";
import { providerApi } from "./providerApi";
import { sessionPort } from "./sessionPort";

const deps: ProviderDeps = { api: providerApi, session: sessionPort(session) };

export function ProviderRoot() {
  return (
    <ProviderDepsContext value={deps}>
      <Outlet />
    </ProviderDepsContext>
  );
}
