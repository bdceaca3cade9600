// Organization info: name, billing email, plan, seats, the provider managing it, and the org's id.
// Read-only here: the organization service has no route to edit an organization yet.

import { useEffect, useState } from "react";
import { type Organization, getOrganization } from "./api";
import { useOrg } from "./context";

export default function Settings() {
  const { orgId, provider } = useOrg();
  const [org, setOrg] = useState<Organization | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getOrganization(orgId).then(setOrg, (caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)));
  }, [orgId]);
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Organization info</h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {org === null && !error ? <p role="status">Loading…</p> : null}
      {org ? (
        <dl className="info">
          <dt>Organization name</dt>
          <dd>{org.name}</dd>
          <dt>Billing email</dt>
          <dd>{org.billingEmail}</dd>
          <dt>Plan type</dt>
          <dd>{org.planType}</dd>
          <dt>Seats</dt>
          <dd>{org.seats ?? "Unlimited"}</dd>
          <dt>Status</dt>
          <dd>{org.enabled ? "Enabled" : "Disabled"}</dd>
          <dt>Managed by provider</dt>
          <dd>{provider ? provider.name : org.providerId ? "Yes" : "No"}</dd>
          <dt>Organization ID</dt>
          <dd className="mono">{org.id}</dd>
        </dl>
      ) : null}
    </section>
  );
}
