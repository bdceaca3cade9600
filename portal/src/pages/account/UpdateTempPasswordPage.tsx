/**
 * Update master password (issue 14): an admin recovered this account and chose a temporary password
 * (ForcePasswordReset); the user must choose their own before anything else (the route guard brings them here).
 * The user key, open in this session, goes under a master key from the new password (lib/crypto rewrapUserKey);
 * the server ends every session, so the page ends on the login page.
 */
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { MIN_MASTER_PASSWORD_LENGTH } from "../../lib/password/strength";
import { session } from "../../lib/session";
import { Button, Callout, ErrorBanner, PasswordField, TextField, messageOf } from "../../ui";
import { AuthLayout } from "./AuthLayout";

type Form = { password: string; confirm: string; hint: string };
type Errors = Partial<Record<keyof Form, string>>;

export function validateTempPasswordUpdate(form: Form): Errors {
  const errors: Errors = {};
  if (form.password.length < MIN_MASTER_PASSWORD_LENGTH) errors.password = `Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters.`;
  if (form.confirm !== form.password) errors.confirm = "The passwords do not match.";
  if (form.hint && form.hint.trim() === form.password) errors.hint = "The hint must not be your password.";
  return errors;
}

export function UpdateTempPasswordPage() {
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>({ password: "", confirm: "", hint: "" });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (field: keyof Form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validateTempPasswordUpdate(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      await session.updateTempPassword(form.password, form.hint.trim() || null);
      navigate("/login", { replace: true });
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Update master password">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Callout tone="warning">
          An administrator of your organization recovered your account. Choose your own master password to continue;
          you will then log in again with it.
        </Callout>
        <PasswordField
          label="New master password"
          autoComplete="new-password"
          required
          autoFocus
          value={form.password}
          onChange={set("password")}
          error={errors.password}
          hint={`At least ${MIN_MASTER_PASSWORD_LENGTH} characters. It cannot be recovered if you forget it.`}
        />
        <PasswordField
          label="Confirm new master password"
          autoComplete="new-password"
          required
          value={form.confirm}
          onChange={set("confirm")}
          error={errors.confirm}
        />
        <TextField label="Master password hint (optional)" value={form.hint} onChange={set("hint")} error={errors.hint} />
        <ErrorBanner message={error} />
        <Button type="submit" variant="primary" busy={busy}>
          {busy ? "Updating…" : "Update master password"}
        </Button>
        <Button type="button" variant="link" onClick={() => session.logout()}>
          Log out
        </Button>
      </form>
    </AuthLayout>
  );
}
