import { type FormEvent, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { safeNext, withNext } from "../../app/navigation";
import { session, useSession } from "../../lib/session";
import { Button, ErrorBanner, PasswordField, messageOf } from "../../ui";
import { AuthLayout } from "./AuthLayout";

/** After a reload, the lock button or 15 idle minutes: the tokens are still there, the keys are not. */
export function UnlockPage() {
  const state = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get("next"));
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (state.status === "loggedOut") return <Navigate to={withNext("/login", next)} replace />;
  if (state.status === "unlocked" && !busy) return <Navigate to={next} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.unlock(password);
      navigate(next, { replace: true });
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Your vault is locked">
      <form onSubmit={submit} noValidate>
        <p>
          Logged in as <strong>{state.account.email}</strong>. Enter your master password to unlock.
        </p>
        <PasswordField label="Master password" required autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorBanner message={error} />
        <Button type="submit" variant="primary" busy={busy} disabled={!password}>
          {busy ? "Unlocking…" : "Unlock"}
        </Button>
        <Button variant="link" onClick={() => session.logout()}>
          Log out
        </Button>
      </form>
    </AuthLayout>
  );
}
