/** `/providers`: the providers the caller can open. With exactly one, it opens that provider's clients. */
import { Link, Navigate } from "react-router";
import { EmptyState, PageHeader } from "../../ui";
import { myProviders } from "./access";
import { useProfileProviders } from "./context";
import "./provider.css";

export function MyProvidersPage() {
  const providers = myProviders(useProfileProviders());
  const only = providers.length === 1 ? providers[0] : undefined;
  if (only) return <Navigate to={`/providers/${only.id}/clients`} replace />;
  return (
    <>
      <PageHeader title="My providers" />
      {providers.length === 0 ? (
        <EmptyState title="You are not a confirmed user of any provider" />
      ) : (
        <ul className="card-list">
          {providers.map((provider) => (
            <li key={provider.id}>
              <Link to={`/providers/${provider.id}/clients`}>{provider.name}</Link>
              <p className="card-meta">{provider.type === 0 ? "Provider admin" : "Service user"}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
