/**
 * Create an account: every key is made in this browser (lib/crypto makeAccountKeys via session.register); the
 * server receives the master-password hash and wrapped keys only. KDF: PBKDF2-SHA256 600,000 by default,
 * Argon2id (3 iterations, 64 MiB, 4 threads) on request.
 */
import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { safeNext, withNext } from "../../app/navigation";
import { DEFAULT_ARGON2ID, DEFAULT_PBKDF2, type KdfConfig } from "../../lib/crypto";
import { MIN_MASTER_PASSWORD_LENGTH, passwordStrength } from "../../lib/password/strength";
import { session, useSession } from "../../lib/session";
import { Button, ErrorBanner, PasswordField, RadioGroup, TextField, messageOf } from "../../ui";
import { AuthLayout } from "./AuthLayout";

type Form = { email: string; name: string; password: string; confirm: string; hint: string; kdf: "pbkdf2" | "argon2id" };
type Errors = Partial<Record<keyof Form, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateRegistration(form: Form): Errors {
  const errors: Errors = {};
  if (!EMAIL.test(form.email.trim())) errors.email = "Enter a valid email address.";
  if (form.name.trim().length > 50) errors.name = "Use at most 50 characters.";
  if (form.password.length < MIN_MASTER_PASSWORD_LENGTH) errors.password = `Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters.`;
  if (form.confirm !== form.password) errors.confirm = "The passwords do not match.";
  if (form.hint && form.hint.trim() === form.password) errors.hint = "The hint must not be your password.";
  return errors;
}

export function RegisterPage() {
  const state = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get("next"));
  const [form, setForm] = useState<Form>({ email: params.get("email") ?? "", name: "", password: "", confirm: "", hint: "", kdf: "pbkdf2" });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (state.status === "unlocked" && !busy) return <Navigate to={next} replace />;

  const set = (name: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const strength = passwordStrength(form.password, [form.email, form.name]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validateRegistration(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      if (state.status !== "loggedOut") session.logout();
      const kdf: KdfConfig = form.kdf === "argon2id" ? DEFAULT_ARGON2ID : DEFAULT_PBKDF2;
      await session.register({ email: form.email, name: form.name, password: form.password, hint: form.hint || null, kdf });
      navigate(next, { replace: true });
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Create account">
      <form onSubmit={submit} noValidate>
        <TextField label="Email address" type="email" autoComplete="email" required value={form.email} onChange={set("email")} error={errors.email} />
        <TextField label="Name" autoComplete="name" value={form.name} onChange={set("name")} error={errors.name} />
        <PasswordField
          label="Master password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={set("password")}
          error={errors.password}
          hint={`At least ${MIN_MASTER_PASSWORD_LENGTH} characters. It cannot be recovered if you forget it.`}
        />
        <div className="ui-strength">
          <meter min={0} max={4} low={2} high={3} optimum={4} value={strength.score} aria-label="Password strength" aria-valuetext={strength.label} />
          <span className="ui-strength-label" aria-live="polite">
            {form.password ? strength.label : ""}
          </span>
        </div>
        {form.password && strength.warnings.length > 0 ? <p className="ui-hint">{strength.warnings.join(" ")}</p> : null}
        <PasswordField label="Confirm master password" autoComplete="new-password" required value={form.confirm} onChange={set("confirm")} error={errors.confirm} />
        <TextField label="Master password hint (optional)" value={form.hint} onChange={set("hint")} error={errors.hint} hint="Shown to you if you forget your password. Never your password itself." />
        <RadioGroup
          legend="Key derivation"
          name="kdf"
          value={form.kdf}
          onChange={(kdf) => setForm((f) => ({ ...f, kdf }))}
          options={[
            { value: "pbkdf2", label: "PBKDF2-SHA256, 600,000 iterations", hint: "The default; fast to unlock on every device." },
            { value: "argon2id", label: "Argon2id, 3 iterations, 64 MiB, 4 threads", hint: "Memory-hard: costlier to attack with GPUs." },
          ]}
        />
        <ErrorBanner message={error} />
        <Button type="submit" variant="primary" busy={busy}>
          {busy ? "Creating your keys…" : "Create account"}
        </Button>
      </form>
      <p className="auth-alt">
        Already have an account? <Link to={withNext("/login", next, form.email ? { email: form.email } : {})}>Log in</Link>
      </p>
    </AuthLayout>
  );
}
