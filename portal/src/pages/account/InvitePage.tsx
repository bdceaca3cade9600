/**
 * An invitation from a mail link: say what it is for, let the invitee log in, unlock or create the account
 * (each comes back here through `next`), then accept. After accepting, an admin still has to confirm the
 * invitee (that is when the key is handed over), so the page says so.
 */
import { useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router";
import { withNext } from "../../app/navigation";
import { session, useSession } from "../../lib/session";
import { Button, Callout, ErrorBanner, messageOf, useToast } from "../../ui";
import { AuthLayout } from "./AuthLayout";
import { type Invitation, organizationInvitation, providerInvitation } from "./invites";

function describe(invite: Invitation): string {
  if (invite.kind === "organization") return invite.name ? `the organization ${invite.name}` : "an organization";
  return invite.name ? `the provider ${invite.name}` : "a provider on MSPVault";
}

function InvitePage({ invite }: { invite: Invitation | null }) {
  const state = useSession();
  const location = useLocation();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState(false);
  const here = `${location.pathname}${location.search}`;

  if (invite === null) {
    return (
      <AuthLayout title="Invitation">
        <ErrorBanner message="This invitation link is incomplete. Open the link from the mail again, or ask for a new invitation." />
      </AuthLayout>
    );
  }
  const what = describe(invite);

  async function accept() {
    if (invite === null) return;
    setBusy(true);
    setError(null);
    try {
      await invite.accept();
      await session.refreshProfile().catch(() => undefined); // the membership shows at the next sync anyway
      setAccepted(true);
      toast("Invitation accepted");
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title={invite.kind === "organization" ? "Join organization" : "Join provider"}>
      <p className="auth-invite">
        <strong>{invite.email}</strong> is invited to join {what}.
      </p>
      {accepted ? (
        <Callout tone="success" title="You have accepted the invitation.">
          <p>An administrator now confirms you; then {invite.kind === "organization" ? "its shared items appear in My Vault" : "the Provider Portal opens for you"}.</p>
          <p>
            <Link to={invite.kind === "organization" ? "/vault" : "/providers"}>Continue</Link>
          </p>
        </Callout>
      ) : state.status === "loggedOut" ? (
        <>
          <p>Log in with this email address to accept, or create your account first.</p>
          <div className="ui-actions">
            <Link className="ui-button ui-button-primary" to={withNext("/login", here, { email: invite.email })}>
              Log in
            </Link>
            <Link className="ui-button ui-button-secondary" to={withNext("/register", here, { email: invite.email })}>
              Create account
            </Link>
          </div>
        </>
      ) : state.status === "locked" ? (
        <>
          <p>Unlock your vault to accept.</p>
          <Link className="ui-button ui-button-primary" to={withNext("/unlock", here)}>
            Unlock
          </Link>
        </>
      ) : state.account.email.toLowerCase() !== invite.email.toLowerCase() ? (
        <>
          <Callout tone="warning" title="This invitation is for another account.">
            <p>
              You are logged in as {state.account.email}. Log out, then log in as {invite.email} to accept.
            </p>
          </Callout>
          <Button onClick={() => session.logout()}>Log out</Button>
        </>
      ) : (
        <>
          <ErrorBanner message={error} />
          <div className="ui-actions">
            <Button variant="primary" busy={busy} onClick={accept}>
              Accept invitation
            </Button>
            <Link to="/vault">Not now</Link>
          </div>
        </>
      )}
    </AuthLayout>
  );
}

export function AcceptOrganizationPage() {
  const [params] = useSearchParams();
  return <InvitePage invite={organizationInvitation(params)} />;
}

export function AcceptProviderPage() {
  const [params] = useSearchParams();
  return <InvitePage invite={providerInvitation(params)} />;
}
