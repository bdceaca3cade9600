import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { safeNext, withNext } from "../../app/navigation";
import { session, useSession } from "../../lib/session";
import { Button, ErrorBanner, PasswordField, TextField, messageOf } from "../../ui";
import { AuthLayout } from "./AuthLayout";

export function LoginPage() {
  const state = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get("next"));
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (state.status === "unlocked" && !busy) return <Navigate to={next} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (state.status !== "loggedOut") session.logout(); // another account was locked in this tab
      await session.login(email, password);
      navigate(next, { replace: true });
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
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
