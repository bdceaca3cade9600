// Organization info: name and billing email (editable by its Owners and its provider's users), plan, seats, the
// provider managing it, the org's id, and (for the same people) the organization's API key.

import { type FormEvent, useEffect, useState } from "react";
import { ApiError } from "../../lib/api";
import { session } from "../../lib/session";
import { Button, ErrorBanner, Loading, TextField, messageOf, useToast } from "../../ui";
import { type Organization, getOrganization, updateOrganization } from "./api";
import { ApiKeySection } from "./ApiKeySection";
import { useOrg } from "./context";
import { NAME_MAX, type SettingsErrors, type SettingsForm, checkSettings, serverErrors } from "./settingsForm";

export default function Settings() {
  const { orgId, provider, rights } = useOrg();
  const notify = useToast();
  const [org, setOrg] = useState<Organization | null>(null);
  const [form, setForm] = useState<SettingsForm>({ name: "", billingEmail: "" });
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function show(found: Organization) {
    setOrg(found);
    setForm({ name: found.name, billingEmail: found.billingEmail });
  }

  useEffect(() => {
    getOrganization(orgId).then(show, (caught: unknown) => setError(messageOf(caught)));
  }, [orgId]);

  async function save(event: FormEvent) {
    event.preventDefault();
    const checked = checkSettings(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setError(null);
    setBusy(true);
    try {
      show(await updateOrganization(orgId, checked.values));
      notify("Organization info saved.");
      await session.refreshProfile(); // the console and the vault show the name from the profile
    } catch (caught) {
      const fields = caught instanceof ApiError ? serverErrors(caught.fieldErrors) : {};
      setErrors(fields);
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Organization info</h2>
      <ErrorBanner message={error} />
      {org === null && !error ? <Loading label="Loading the organization…" /> : null}
      {org && rights.manageSettings ? (
        <form className="org-settings" onSubmit={(event) => void save(event)} noValidate>
          <TextField
            label="Organization name"
            required
            maxLength={NAME_MAX}
            autoComplete="organization"
            value={form.name}
            error={errors.name}
            onChange={(event) => setForm({ ...form, name: event.target.value })}
          />
          <TextField
            label="Billing email"
            type="email"
            required
            autoComplete="email"
            value={form.billingEmail}
            error={errors.billingEmail}
            onChange={(event) => setForm({ ...form, billingEmail: event.target.value })}
          />
          <div className="ui-actions">
            <Button type="submit" variant="primary" busy={busy}>
              Save
            </Button>
          </div>
        </form>
      ) : null}
      {org ? (
        <dl className="info">
          {rights.manageSettings ? null : (
            <>
              <dt>Organization name</dt>
              <dd>{org.name}</dd>
              <dt>Billing email</dt>
              <dd>{org.billingEmail}</dd>
            </>
          )}
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
      {org && rights.manageSettings ? <ApiKeySection orgId={orgId} /> : null}
    </section>
  );
}
