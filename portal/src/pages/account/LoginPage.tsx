import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { safeNext, withNext } from "../../app/navigation";
import { TwoFactorProvider, TwoFactorRequired, session, useSession } from "../../lib/session";
import { Button, Checkbox, ErrorBanner, PasswordField, SelectField, TextField, messageOf } from "../../ui";
import { AuthLayout } from "./AuthLayout";

const METHOD_NAMES: Record<number, string> = {
  [TwoFactorProvider.Authenticator]: "Authenticator app",
  [TwoFactorProvider.Email]: "Email",
  [TwoFactorProvider.RecoveryCode]: "Recovery code",
};

export function LoginPage() {
  const state = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get("next"));
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The second step, once the server asked for it: which providers, which one the user picked, the code.
  const [required, setRequired] = useState<TwoFactorRequired | null>(null);
  const [method, setMethod] = useState<number>(TwoFactorProvider.Authenticator);
  const [code, setCode] = useState("");
  const [remember, setRemember] = useState(false);
  const [mailed, setMailed] = useState(false);

  if (state.status === "unlocked" && !busy) return <Navigate to={next} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (state.status !== "loggedOut") session.logout(); // another account was locked in this tab
      const attempt = required === null ? null : { provider: method, token: code, remember };
      await session.login(email, password, attempt);
      navigate(next, { replace: true });
    } catch (e) {
      if (e instanceof TwoFactorRequired) {
        if (required === null) setMethod(e.providers.includes(TwoFactorProvider.Authenticator) ? 0 : e.providers[0] ?? 0);
        setRequired(e);
        setError(required === null ? null : messageOf(e));
      } else {
        setError(messageOf(e));
      }
      setBusy(false);
    }
  }

  async function mailCode() {
    setError(null);
    try {
      await session.sendLoginCode(email, password);
      setMailed(true);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  if (required !== null) {
    const methods = [...required.providers.filter((p) => p in METHOD_NAMES), TwoFactorProvider.RecoveryCode];
    const label =
      method === TwoFactorProvider.RecoveryCode
        ? "Recovery code"
        : method === TwoFactorProvider.Email
          ? `Code mailed to ${required.redactedEmail ?? "your address"}`
          : "Code from your authenticator app";
    return (
      <AuthLayout title="Two-step login">
        <form onSubmit={submit} noValidate>
          <SelectField
            label="Method"
            value={String(method)}
            onChange={(e) => {
              setMethod(Number(e.target.value));
              setCode("");
            }}
            options={methods.map((p) => ({ value: String(p), label: METHOD_NAMES[p] ?? String(p) }))}
          />
          <TextField
            label={label}
            autoComplete="one-time-code"
            inputMode={method === TwoFactorProvider.RecoveryCode ? "text" : "numeric"}
            required
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          {method === TwoFactorProvider.Email && (
            <p>
              <Button type="button" onClick={mailCode}>
                {mailed ? "Send another code" : "Send a code by email"}
              </Button>
            </p>
          )}
          {method !== TwoFactorProvider.RecoveryCode && (
            <Checkbox label="Remember this browser for 30 days" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          )}
          <ErrorBanner message={error} />
          <Button type="submit" variant="primary" busy={busy} disabled={!code.trim()}>
            {busy ? "Checking…" : "Continue"}
          </Button>
        </form>
        <p className="auth-alt">
          <Button
            type="button"
            onClick={() => {
              setRequired(null);
              setCode("");
              setError(null);
            }}
          >
            Back
          </Button>
        </p>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Log in">
      <form onSubmit={submit} noValidate>
        <TextField label="Email address" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <PasswordField label="Master password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorBanner message={error} />
        <Button type="submit" variant="primary" busy={busy} disabled={!email || !password}>
          {busy ? "Logging in…" : "Log in"}
        </Button>
      </form>
      <p className="auth-alt">
        New here? <Link to={withNext("/register", next, email ? { email } : {})}>Create an account</Link>
      </p>
    </AuthLayout>
  );
}
