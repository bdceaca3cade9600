/** Settings (Provider Admins): the provider's name, business name and billing email. */
import { useEffect, useId, useState, type FormEvent } from "react";
import { useProvider, useProviderDeps } from "./context";
import { ErrorMessage, Loading, NotFound, Status, messageOf } from "./parts";
import { NAME_MAX } from "./plans";

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function SettingsPage() {
  const { access } = useProvider();
  if (!access.canEditSettings) return <NotFound />;
  return <Settings />;
}

interface Form {
  name: string;
  businessName: string;
  billingEmail: string;
}

function Settings() {
  const { providerId } = useProvider();
  const { api, session } = useProviderDeps();
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    api.getProvider(providerId).then(
      (provider) => setForm({ name: provider.name, businessName: provider.businessName ?? "", billingEmail: provider.billingEmail ?? "" }),
      (failure: unknown) => setError(messageOf(failure)),
    );
  }, [api, providerId]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (form === null) return;
    const name = form.name.trim();
    const billingEmail = form.billingEmail.trim().toLowerCase();
    if (name === "" || name.length > NAME_MAX) return setError(`Enter a name of 1 to ${NAME_MAX} characters.`);
    if (form.businessName.trim().length > NAME_MAX) return setError(`Use at most ${NAME_MAX} characters for the business name.`);
    if (!EMAIL.test(billingEmail)) return setError("Enter a billing email address.");
    setBusy(true);
    setError(null);
    try {
      await api.updateProvider(providerId, { name, businessName: form.businessName.trim() || null, billingEmail });
      setStatus("Saved.");
      await session.refresh(); // the navigation shows the provider's name from the profile
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="pv-page" aria-labelledby={`${id}-title`}>
      <header className="pv-page-header">
        <h1 id={`${id}-title`}>Settings</h1>
      </header>
      {form === null && error === null && <Loading what="the provider" />}
      {form !== null && (
        <form className="pv-form pv-settings" onSubmit={(event) => void save(event)} noValidate>
          <label htmlFor={`${id}-name`}>Provider name</label>
          <input id={`${id}-name`} required maxLength={NAME_MAX} value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} />
          <label htmlFor={`${id}-business`}>Business name</label>
          <input
            id={`${id}-business`}
            maxLength={NAME_MAX}
            autoComplete="organization"
            value={form.businessName}
            onChange={(event) => setForm({ ...form, businessName: event.target.value })}
          />
          <label htmlFor={`${id}-email`}>Billing email</label>
          <input
            id={`${id}-email`}
            type="email"
            required
            autoComplete="email"
            value={form.billingEmail}
            onChange={(event) => setForm({ ...form, billingEmail: event.target.value })}
          />
          <div className="pv-dialog-actions">
            <button type="submit" className="pv-primary" disabled={busy}>
              {busy ? "Saving…" : "Save"}
            </button>
          </div>
        </form>
      )}
      <ErrorMessage error={error} />
      <Status message={status} />
    </section>
  );
}
