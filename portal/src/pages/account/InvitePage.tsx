/**
 * An invitation from a mail link: say what it is for, let the invitee log in, unlock or create the account
 * (each comes back here through `next`), then accept — or, for the first admin of a new provider, set the
 * provider up (the provider key is made in this browser). After accepting, an admin still has to confirm the
 * invitee (that is when the key is handed over), so the page says so.
 */
import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { withNext } from "../../app/navigation";
import { session, useSession } from "../../lib/session";
import { Button, Callout, ErrorBanner, TextField, messageOf, useToast } from "../../ui";
import { AuthLayout } from "./AuthLayout";
import { type Invitation, organizationInvitation, providerInvitation, providerSetupInvitation } from "./invites";

function describe(invite: Invitation): string {
  if (invite.kind === "organization") return invite.name ? `the organization ${invite.name}` : "an organization";
  return invite.name ? `the provider ${invite.name}` : "a provider on MSPVault";
}

const TITLES: Record<Invitation["kind"], string> = {
  organization: "Join organization",
  provider: "Join provider",
  providerSetup: "Set up your provider",
};

/** The frame every invitation shares; `ready` is what an unlocked invitee with the right account sees. */
function InviteFrame({ invite, ready }: { invite: Invitation | null; ready: ReactNode }) {
  const state = useSession();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;

  if (invite === null) {
    return (
      <AuthLayout title="Invitation">
        <ErrorBanner message="This invitation link is incomplete. Open the link from the mail again, or ask for a new invitation." />
      </AuthLayout>
    );
  }
  let body: ReactNode;
  if (state.status === "loggedOut") {
    body = (
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
    );
  } else if (state.status === "locked") {
    body = (
      <>
        <p>Unlock your vault to accept.</p>
        <Link className="ui-button ui-button-primary" to={withNext("/unlock", here)}>
          Unlock
        </Link>
      </>
    );
  } else if (state.account.email.toLowerCase() !== invite.email.toLowerCase()) {
    body = (
      <>
        <Callout tone="warning" title="This invitation is for another account.">
          <p>
            You are logged in as {state.account.email}. Log out, then log in as {invite.email} to accept.
          </p>
        </Callout>
        <Button onClick={() => session.logout()}>Log out</Button>
      </>
    );
  } else {
    body = ready;
  }
  return (
    <AuthLayout title={TITLES[invite.kind]}>
      <p className="auth-invite">
        <strong>{invite.email}</strong> is invited to join {describe(invite)}.
      </p>
      {body}
    </AuthLayout>
  );
}

function AcceptPanel({ invite }: { invite: Invitation }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState(false);

  async function accept() {
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

  if (accepted) {
    return (
      <Callout tone="success" title="You have accepted the invitation.">
        <p>
          An administrator now confirms you; then{" "}
          {invite.kind === "organization" ? "its shared items appear in My Vault" : "the Provider Portal opens for you"}.
        </p>
        <p>
          <Link to="/vault">Continue to My Vault</Link>
        </p>
      </Callout>
    );
  }
  return (
    <>
      <ErrorBanner message={error} />
      <div className="ui-actions">
        <Button variant="primary" busy={busy} onClick={accept}>
          Accept invitation
        </Button>
        <Link to="/vault">Not now</Link>
      </div>
    </>
  );
}

function SetupPanel({ invite }: { invite: NonNullable<ReturnType<typeof providerSetupInvitation>> }) {
  const toast = useToast();
  const navigate = useNavigate();
  const [name, setName] = useState(invite.name ?? "");
  const [businessName, setBusinessName] = useState("");
  const [billingEmail, setBillingEmail] = useState(invite.email);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const publicKey = await session.keys().privateKey.publicKey();
      await invite.setUp(publicKey, { name: name.trim(), businessName: businessName.trim() || null, billingEmail: billingEmail.trim() });
      await session.refreshProfile();
      toast("Provider set up");
      navigate(`/providers/${invite.providerId}`, { replace: true });
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <p>You are its first Provider Admin. Confirm its details; its key is made in this browser.</p>
      <TextField label="Provider name" required maxLength={50} value={name} onChange={(e) => setName(e.target.value)} />
      <TextField label="Business name (optional)" maxLength={50} value={businessName} onChange={(e) => setBusinessName(e.target.value)} />
      <TextField label="Billing email" type="email" required value={billingEmail} onChange={(e) => setBillingEmail(e.target.value)} />
      <ErrorBanner message={error} />
      <Button type="submit" variant="primary" busy={busy} disabled={!name.trim() || !billingEmail.trim()}>
        Set up provider
      </Button>
    </form>
  );
}

export function AcceptOrganizationPage() {
  const [params] = useSearchParams();
  const invite = organizationInvitation(params);
  return <InviteFrame invite={invite} ready={invite && <AcceptPanel invite={invite} />} />;
}

export function AcceptProviderPage() {
  const [params] = useSearchParams();
  const invite = providerInvitation(params);
  return <InviteFrame invite={invite} ready={invite && <AcceptPanel invite={invite} />} />;
}

export function SetupProviderPage() {
  const [params] = useSearchParams();
  const invite = providerSetupInvitation(params);
  return <InviteFrame invite={invite} ready={invite && <SetupPanel invite={invite} />} />;
}
