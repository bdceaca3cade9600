/**
 * Change master password (issue 11): the current password is checked in this browser first (it must open the
 * stored user key), then the same user key goes under a master key from the new password (lib/crypto
 * rewrapUserKey); the server receives both hashes and the re-wrapped key only. It ends every session of the
 * account, this one too, so the page ends on the login page.
 */
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { MIN_MASTER_PASSWORD_LENGTH } from "../../lib/password/strength";
import { session } from "../../lib/session";
import { Button, Callout, ErrorBanner, PageHeader, PasswordField, TextField, messageOf } from "../../ui";

type Form = { current: string; password: string; confirm: string; hint: string };
type Errors = Partial<Record<keyof Form, string>>;

export function validatePasswordChange(form: Form): Errors {
  const errors: Errors = {};
  if (!form.current) errors.current = "Enter your current master password.";
  if (form.password.length < MIN_MASTER_PASSWORD_LENGTH) errors.password = `Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters.`;
  else if (form.password === form.current) errors.password = "Choose a password other than the current one.";
  if (form.confirm !== form.password) errors.confirm = "The passwords do not match.";
  if (form.hint && form.hint.trim() === form.password) errors.hint = "The hint must not be your password.";
  return errors;
}

export function ChangePasswordPage() {
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>({ current: "", password: "", confirm: "", hint: "" });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (field: keyof Form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validatePasswordChange(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      await session.changeMasterPassword(form.current, form.password, form.hint.trim() || null);
      navigate("/login", { replace: true });
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title="Change master password" />
      <form onSubmit={submit} noValidate>
        <Callout tone="warning">
          Every session of your account ends, here and in every other app and browser: log in again with the new password.
        </Callout>
        <PasswordField label="Current master password" required autoFocus value={form.current} onChange={set("current")} error={errors.current} />
        <PasswordField
          label="New master password"
          required
          value={form.password}
          onChange={set("password")}
          error={errors.password}
          hint={`At least ${MIN_MASTER_PASSWORD_LENGTH} characters. It cannot be recovered if you forget it.`}
        />
        <PasswordField label="Confirm new master password" required value={form.confirm} onChange={set("confirm")} error={errors.confirm} />
        <TextField label="Master password hint (optional)" value={form.hint} onChange={set("hint")} error={errors.hint} />
        <ErrorBanner message={error} />
        <Button type="submit" variant="primary" busy={busy}>
          {busy ? "Changing…" : "Change master password"}
        </Button>
      </form>
    </>
  );
}
