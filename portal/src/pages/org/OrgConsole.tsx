// The organization admin console (routes /organizations/:orgId/...; links are absolute, since a splat route
// resolves relative links against the whole current path): a client org opened from the Provider
// Portal, or an ordinary org by its Owner/Admin. Each area is its own lazily loaded chunk.

import { Suspense, lazy, useCallback, useMemo } from "react";
import type { Profile } from "../../lib/session";
import { NavLink, Navigate, Route, Routes, useParams } from "react-router";
import { canOpenConsole, rightsOf } from "../../lib/org/roles";
import { NotFoundPage } from "../../app/NotFoundPage";
import { Loading } from "../../ui";
import { type VaultKeys, useVault } from "../vault/store";
import { OrgContext, type OrgContextValue, findOrganization } from "./context";
import "../vault/vault.css";
import "./org.css";

const OrgVault = lazy(() => import("./OrgVault"));
const Members = lazy(() => import("./Members"));
const Groups = lazy(() => import("./Groups"));
const Collections = lazy(() => import("./Collections"));
const Policies = lazy(() => import("./Policies"));
const Events = lazy(() => import("./Events"));
const Settings = lazy(() => import("./Settings"));
const ImportExport = lazy(() => import("./ImportExport"));

export function OrgConsole(props: { keys: VaultKeys; profile: Profile }) {
  const { orgId = "" } = useParams();
  const vault = useVault(props.keys);
  const found = useMemo(() => findOrganization(props.profile, orgId), [props.profile, orgId]);
  const { keys } = props.keys;
  const orgKey = useCallback(() => keys.orgKey(orgId), [keys, orgId]);

  if (found === null) return <OrgNotFound />;
  if (vault.sync === null) {
    return vault.status === "error" ? (
      <p role="alert" className="error">
        The organization could not be loaded: {vault.error}
      </p>
    ) : (
      <Loading label="Loading the organization…" />
    );
  }
  const rights = found ? rightsOf(found.entry, found.provider !== null) : null;
  if (rights === null || !canOpenConsole(rights)) return <OrgNotFound />;
  const caller = { id: props.profile.id, name: props.profile.name || props.profile.email };
  const value: OrgContextValue = { orgId, entry: found.entry, provider: found.provider, caller, rights, keys: props.keys, vault, orgKey };
  const areas: Array<[string, string, boolean]> = [
    ["vault", "Vault", true],
    ["collections", "Collections", rights.manageCollections],
    ["members", "Members", rights.manageUsers],
    ["groups", "Groups", rights.manageGroups],
    ["policies", "Policies", rights.managePolicies],
    ["events", "Event logs", rights.accessEventLogs],
    ["import-export", "Import/Export", rights.importExport],
    ["settings", "Settings", rights.manageSettings],
  ];
  return (
    <OrgContext.Provider value={value}>
      <div className="org-console">
        {found.provider ? (
          <p className="provider-banner" role="note">
            You are accessing this organization using provider {found.provider.name}.
          </p>
        ) : null}
        {/* Absolute links: under this splat route a relative "collections" would resolve against the current
            area (…/vault/collections), since react-router 7 resolves relative paths inside the splat. */}
        <header className="org-header">
          <p className="hint">Admin console</p>
          <h1 className="org-name">{found.entry.name}</h1>
          <nav aria-label={`${found.entry.name} admin console`}>
            <ul className="org-nav">
              {areas
                .filter(([, , allowed]) => allowed)
                .map(([path, label]) => (
                  <li key={path}>
                    <NavLink to={`/organizations/${orgId}/${path}`}>{label}</NavLink>
                  </li>
                ))}
            </ul>
          </nav>
        </header>
        <div className="org-page">
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route index element={<Navigate to={`/organizations/${orgId}/vault`} replace />} />
              <Route path="vault" element={<OrgVault />} />
              {rights.manageCollections ? <Route path="collections" element={<Collections />} /> : null}
              {rights.manageUsers ? <Route path="members" element={<Members />} /> : null}
              {rights.manageGroups ? <Route path="groups" element={<Groups />} /> : null}
              {rights.managePolicies ? <Route path="policies" element={<Policies />} /> : null}
              {rights.accessEventLogs ? <Route path="events" element={<Events />} /> : null}
              {rights.importExport ? <Route path="import-export" element={<ImportExport />} /> : null}
              {rights.manageSettings ? <Route path="settings" element={<Settings />} /> : null}
              <Route path="*" element={<OrgNotFound inline />} />
            </Routes>
          </Suspense>
        </div>
      </div>
    </OrgContext.Provider>
  );
}

/** Whatever the caller may not see looks like something that does not exist (the API answers 404 too). */
export function OrgNotFound(props: { inline?: boolean }) {
  if (!props.inline) return <NotFoundPage />;
  return (
    <section>
      <h2>Not found</h2>
      <p>This page does not exist, or you do not have access to it.</p>
    </section>
  );
}

export default OrgConsole;
