/** Settings (Provider Admins): the provider's name, business name and billing email. */
import { useEffect, useState, type FormEvent } from "react";
import { Button, ErrorBanner, Loading, PageHeader, TextField, messageOf, useToast } from "../../ui";
import { useProvider, useProviderDeps } from "./context";
import { NotFound } from "./parts";
import { EMAIL_ADDRESS, NAME_MAX, nameProblem } from "../../lib/fields";

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

type Errors = Partial<Record<keyof Form, string>>;

/** The form checked as the server will; the values to send, or what is wrong with each field. */
function check(form: Form): { ok: true; name: string; businessName: string | null; billingEmail: string } | { ok: false; errors: Errors } {
  const errors: Errors = {};
  const name = form.name.trim();
  const businessName = form.businessName.trim();
  const billingEmail = form.billingEmail.trim().toLowerCase();
  const nameError = nameProblem(name);
  if (nameError) errors.name = nameError;
  const businessNameError = nameProblem(businessName, null);
  if (businessNameError) errors.businessName = businessNameError;
  if (!EMAIL_ADDRESS.test(billingEmail)) errors.billingEmail = "Enter a billing email address.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, name, businessName: businessName || null, billingEmail };
}

function Settings() {
  const { providerId } = useProvider();
  const { api, session } = useProviderDeps();
  const notify = useToast();
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.getProvider(providerId).then(
      (provider) => setForm({ name: provider.name, businessName: provider.businessName ?? "", billingEmail: provider.billingEmail ?? "" }),
      (failure: unknown) => setError(messageOf(failure)),
    );
  }, [api, providerId]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (form === null) return;
    const checked = check(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setError(null);
    try {
      await api.updateProvider(providerId, { name: checked.name, businessName: checked.businessName, billingEmail: checked.billingEmail });
      notify("Provider settings saved.");
      await session.refresh(); // the navigation shows the provider's name from the profile
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title="Settings" />
      {form === null && error === null && <Loading label="Loading the provider…" />}
      {form !== null && (
        <form className="pv-form pv-settings" onSubmit={(event) => void save(event)} noValidate>
          <TextField label="Provider name" required maxLength={NAME_MAX} value={form.name} error={errors.name} onChange={(event) => setForm({ ...form, name: event.target.value })} />
          <TextField
            label="Business name"
            maxLength={NAME_MAX}
            autoComplete="organization"
            value={form.businessName}
            error={errors.businessName}
            onChange={(event) => setForm({ ...form, businessName: event.target.value })}
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
      )}
      <ErrorBanner message={error} />
    </>
  );
}
