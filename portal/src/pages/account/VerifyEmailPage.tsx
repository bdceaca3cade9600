/** Where the email verification link lands (`/#/verify-email?userId&token`): it opens the link at once and says
 * how it went. Outside the shell, so it works logged in or not; operators count only once this is done. */
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { verifyEmailToken } from "../../lib/api/account";
import { Callout, ErrorBanner, Loading, messageOf } from "../../ui";
import { AuthLayout } from "./AuthLayout";

type State = { status: "working" } | { status: "done" } | { status: "failed"; message: string };

export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const userId = params.get("userId") ?? "";
  const token = params.get("token") ?? "";
  const [state, setState] = useState<State>({ status: "working" });

  useEffect(() => {
    if (!userId || !token) {
      setState({ status: "failed", message: "This link is incomplete. Open the whole link from the mail." });
      return;
    }
    let current = true;
    verifyEmailToken(userId, token).then(
      () => current && setState({ status: "done" }),
      (error: unknown) => current && setState({ status: "failed", message: messageOf(error) }),
    );
    return () => {
      current = false;
    };
  }, [userId, token]);

  return (
    <AuthLayout title="Verify email">
      {state.status === "working" ? <Loading label="Verifying your email…" /> : null}
      {state.status === "done" ? (
        <Callout tone="success" title="Your email is verified">
          <p>
            Log in again for it to count everywhere. <Link to="/login">Log in</Link>
          </p>
        </Callout>
      ) : null}
      {state.status === "failed" ? (
        <>
          <ErrorBanner message={state.message} />
          <p>
            Ask for a new link from your account&apos;s security page. <Link to="/login">Log in</Link>
          </p>
        </>
      ) : null}
    </AuthLayout>
  );
}
