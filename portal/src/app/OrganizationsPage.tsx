/** Organizations the user can administer (as Owner/Admin/Custom, or as a provider user for a client). */
import { Link } from "react-router";
import { canAdminister, useSession } from "../lib/session";
import { EmptyState, PageHeader } from "../ui";

export function OrganizationsPage() {
  const state = useSession();
  if (state.status !== "unlocked") return null;
  const { profile } = state;
  const orgs = profile.organizations
    .filter((o) => canAdminister(profile, o.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <PageHeader title="Organizations" />
      {orgs.length === 0 ? (
        <EmptyState title="No organizations to administer" />
      ) : (
        <ul className="card-list">
          {orgs.map((o) => (
            <li key={o.id}>
              <Link to={`/organizations/${o.id}`}>{o.name}</Link>
              <p className="card-meta">{o.providerName ? `Managed by ${o.providerName}` : o.isProviderUser ? "Client organization" : "Member"}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
