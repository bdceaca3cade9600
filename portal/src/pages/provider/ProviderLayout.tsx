/**
 * `/providers/:providerId/*`: the provider's navigation and the guard. Service Users see Clients only; admins
 * also People, Event logs and Settings. Anyone without access to the provider gets the not-found page, as the API
 * answers 404.
 */
import { NavLink, Outlet, useParams } from "react-router";
import { accessTo } from "./access";
import { useProfileProviders, type ProviderOutlet } from "./context";
import { NotFound } from "./parts";
import "./provider.css";

export function ProviderLayout() {
  const { providerId = "" } = useParams();
  const access = accessTo(useProfileProviders(), providerId);
  if (access === null) return <NotFound />;
  const outlet: ProviderOutlet = { providerId, access };
  const base = `/providers/${providerId}`;
  return (
    <div className="pv-layout">
      <nav className="pv-nav" aria-label="Provider">
        <p className="pv-nav-title">
          <span className="pv-nav-kind">Provider Portal</span>
          <span className="pv-nav-name">{access.provider.name}</span>
        </p>
        <ul>
          <li>
            <NavLink to={`${base}/clients`}>Clients</NavLink>
          </li>
          {access.canManageUsers && (
            <li>
              <NavLink to={`${base}/manage/people`}>People</NavLink>
            </li>
          )}
          {access.canAccessEventLogs && (
            <li>
              <NavLink to={`${base}/manage/events`}>Event logs</NavLink>
            </li>
          )}
          {access.canEditSettings && (
            <li>
              <NavLink to={`${base}/settings`}>Settings</NavLink>
            </li>
          )}
        </ul>
      </nav>
      <div className="pv-main">
        <Outlet context={outlet} />
      </div>
    </div>
  );
}
