/** `/providers`: the providers the caller can open. With exactly one, it opens that provider's clients. */
import { useId } from "react";
import { Link, Navigate } from "react-router";
import { myProviders } from "./access";
import { useProfileProviders } from "./context";
import "./provider.css";

export function MyProvidersPage() {
  const providers = myProviders(useProfileProviders());
  const id = useId();
  const only = providers.length === 1 ? providers[0] : undefined;
  if (only) return <Navigate to={`/providers/${only.id}/clients`} replace />;
  return (
    <section className="pv-page" aria-labelledby={`${id}-title`}>
      <header className="pv-page-header">
        <h1 id={`${id}-title`}>My providers</h1>
      </header>
      {providers.length === 0 ? (
        <p className="pv-empty">You are not a confirmed user of any provider.</p>
      ) : (
        <ul className="pv-cards">
          {providers.map((provider) => (
            <li key={provider.id}>
              <Link to={`/providers/${provider.id}/clients`}>{provider.name}</Link>
              <span className="pv-sub">{provider.type === 0 ? "Provider admin" : "Service user"}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
