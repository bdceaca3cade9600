/**
 * The layout of every signed-in page: a skip link, the header with the main navigation (My Vault, the
 * Provider Portal when the user belongs to a provider, Organizations when they can administer one), the
 * account's Lock and Log out, and the page in <main>.
 */
import { type MouseEvent, Suspense } from "react";
import { Link, NavLink, Outlet } from "react-router";
import { type Profile, canAdminister, confirmedProviders, session, useSession } from "../lib/session";
import { Button, Loading } from "../ui";

function providerLink(profile: Profile): string | null {
  const providers = confirmedProviders(profile);
  if (providers.length === 0) return null;
  return providers.length === 1 && providers[0] ? `/providers/${providers[0].id}` : "/providers";
}

export function Shell() {
  const state = useSession();
  if (state.status !== "unlocked") return null; // the guard above redirects
  const { profile, account } = state;
  const providers = providerLink(profile);
  const administers = profile.organizations.some((o) => canAdminister(profile, o.id));
  return (
    <>
      <a className="app-skip-link" href="#main" onClick={skipToMain}>
        Skip to main content
      </a>
      <header className="app-header">
        <Link to="/vault" className="app-brand">
          MSPVault
        </Link>
        <nav className="app-nav" aria-label="Main">
          <ul>
            <li>
              <NavLink to="/vault">My Vault</NavLink>
            </li>
            {providers ? (
              <li>
                <NavLink to={providers}>Provider Portal</NavLink>
              </li>
            ) : null}
            {administers ? (
              <li>
                <NavLink to="/organizations">Organizations</NavLink>
              </li>
            ) : null}
            <li>
              <NavLink to="/account">Account</NavLink>
            </li>
          </ul>
        </nav>
        <div className="app-account">
          <span className="app-account-name">{account.name ?? account.email}</span>
          <Button onClick={() => session.lock()}>Lock</Button>
          <Button onClick={() => session.logout()}>Log out</Button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}

// With hash routing, `href="#main"` would be taken for a route; move focus by hand instead.
function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById("main")?.focus();
}
