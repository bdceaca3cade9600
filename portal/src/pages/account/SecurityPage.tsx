/** The account's security: two-step login with an authenticator app or by email (set up, turn off, recovery code)
 * and the personal API key (view, rotate). Each action asks for the master password; its hash is made in the page. */
import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import {
  authenticatorKey,
  disableTwoFactor,
  emailTwoFactor,
  enableAuthenticator,
  enableEmailTwoFactor,
  otpauthUri,
  personalApiKey,
  recoveryCode,
  sendEmailSetupCode,
  sendVerificationEmail,
  twoFactorProviders,
} from "../../lib/api/account";
import { TwoFactorProvider, session, useSession } from "../../lib/session";
import { Badge, Button, Callout, ErrorBanner, PageHeader, PasswordField, TextField, messageOf } from "../../ui";

type Shown =
  | { kind: "setup"; key: string }
  | { kind: "emailSetup"; email: string; sent: boolean }
  | { kind: "recovery"; code: string }
  | { kind: "apiKey"; secret: string }
  | null;

export function SecurityPage() {
  const state = useSession();
  const [providers, setProviders] = useState<number[] | null>(null);
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [shown, setShown] = useState<Shown>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    twoFactorProviders().then(setProviders, (e: unknown) => setError(messageOf(e)));
  }, []);

  if (state.status !== "unlocked") return null;
  const { account } = state;
  const authenticatorOn = providers?.includes(TwoFactorProvider.Authenticator) ?? false;
  const emailOn = providers?.includes(TwoFactorProvider.Email) ?? false;

  async function run(action: (hash: string) => Promise<void>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action(await session.masterPasswordHash(password));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const startSetup = () => run(async (hash) => setShown({ kind: "setup", key: (await authenticatorKey(hash)).key }));
  const showRecovery = () => run(async (hash) => setShown({ kind: "recovery", code: await recoveryCode(hash) }));
  const showApiKey = (rotate: boolean) =>
    run(async (hash) => {
      setShown({ kind: "apiKey", secret: await personalApiKey(hash, rotate) });
      if (rotate) setNotice("A new API key was made; the old one no longer works.");
    });
  const turnOff = () =>
    run(async (hash) => {
      await disableTwoFactor(hash, TwoFactorProvider.Authenticator);
      setProviders(await twoFactorProviders());
      setShown(null);
      setNotice("Two-step login with an authenticator app is off.");
    });

  const startEmailSetup = () =>
    run(async (hash) => {
      setShown({ kind: "emailSetup", email: (await emailTwoFactor(hash)).email, sent: false });
      setCode("");
    });
  const sendEmailCode = () =>
    run(async (hash) => {
      if (shown?.kind !== "emailSetup") return;
      await sendEmailSetupCode(hash, shown.email.trim());
      setShown({ ...shown, sent: true });
      setNotice(`We sent a code to ${shown.email.trim()}.`);
    });
  const turnOffEmail = () =>
    run(async (hash) => {
      await disableTwoFactor(hash, TwoFactorProvider.Email);
      setProviders(await twoFactorProviders());
      setShown(null);
      setNotice("Two-step login by email is off.");
    });

  async function confirmEmailSetup(event: FormEvent) {
    event.preventDefault();
    if (shown?.kind !== "emailSetup") return;
    const email = shown.email.trim();
    await run(async (hash) => {
      await enableEmailTwoFactor(hash, email, code);
      setProviders(await twoFactorProviders());
      setShown(null);
      setCode("");
      setNotice("Two-step login by email is on.");
    });
  }

  async function confirmSetup(event: FormEvent) {
    event.preventDefault();
    if (shown?.kind !== "setup") return;
    const key = shown.key;
    await run(async (hash) => {
      await enableAuthenticator(hash, key, code);
      setProviders(await twoFactorProviders());
      setShown(null);
      setCode("");
      setNotice("Two-step login with an authenticator app is on.");
    });
  }

  return (
    <>
      <PageHeader title="Account security" />
      <PasswordField
        label="Master password"
        hint="Asked again for every change below; it never leaves this page."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <ErrorBanner message={error} />
      {notice ? <Callout tone="success">{notice}</Callout> : null}

      <section aria-labelledby="two-step-heading" className="account-section">
        <h2 id="two-step-heading">
          Two-step login{" "}
          {providers === null ? null : authenticatorOn || emailOn ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
        </h2>
        <h3>Authenticator app {providers === null ? null : authenticatorOn ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}</h3>
        <p>An authenticator app (such as Aegis, Google Authenticator or 1Password) gives a new six-digit code every 30 seconds.</p>
        <div className="account-actions">
          {authenticatorOn ? (
            <Button onClick={turnOff} disabled={!password || busy}>
              Turn off authenticator app
            </Button>
          ) : (
            <Button variant="primary" onClick={startSetup} disabled={!password || busy}>
              Set up authenticator app
            </Button>
          )}
          <Button onClick={showRecovery} disabled={!password || busy}>
            View recovery code
          </Button>
        </div>
        {shown?.kind === "setup" ? (
          <form onSubmit={confirmSetup} noValidate>
            <p>Add this key to your authenticator app (or paste the link into it), then enter the code it shows.</p>
            <TextField label="Authenticator key" readOnly value={shown.key} />
            <TextField label="Link for authenticator apps" readOnly value={otpauthUri(account.email, shown.key)} />
            <TextField
              label="Code from the app"
              autoComplete="one-time-code"
              inputMode="numeric"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <Button type="submit" variant="primary" busy={busy} disabled={!code.trim() || !password}>
              Turn on
            </Button>
          </form>
        ) : null}
        <h3>Email {providers === null ? null : emailOn ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}</h3>
        <p>A six-digit code is mailed to you at each login.</p>
        <div className="account-actions">
          {emailOn ? (
            <Button onClick={turnOffEmail} disabled={!password || busy}>
              Turn off email codes
            </Button>
          ) : (
            <Button variant="primary" onClick={startEmailSetup} disabled={!password || busy}>
              Set up email codes
            </Button>
          )}
        </div>
        {shown?.kind === "emailSetup" ? (
          <form onSubmit={confirmEmailSetup} noValidate>
            <p>Choose the address that gets your login codes, send yourself a code, then enter it.</p>
            <TextField
              label="Email for login codes"
              type="email"
              autoComplete="email"
              value={shown.email}
              onChange={(e) => setShown({ kind: "emailSetup", email: e.target.value, sent: false })}
            />
            <div className="account-actions">
              <Button onClick={sendEmailCode} disabled={!password || !shown.email.trim() || busy}>
                {shown.sent ? "Send another code" : "Send code"}
              </Button>
            </div>
            {shown.sent ? (
              <>
                <TextField
                  label="Code from the email"
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                />
                <Button type="submit" variant="primary" busy={busy} disabled={!code.trim() || !password}>
                  Turn on email codes
                </Button>
              </>
            ) : null}
          </form>
        ) : null}
        {shown?.kind === "recovery" ? (
          <Callout tone="warning" title="Recovery code">
            <p>
              Keep it somewhere safe: it turns two-step login off if you lose your device. <code className="account-secret">{shown.code}</code>
            </p>
          </Callout>
        ) : null}
      </section>

      <section aria-labelledby="api-key-heading" className="account-section">
        <h2 id="api-key-heading">API key</h2>
        <p>
          For the Bitwarden CLI&apos;s <code>bw login --apikey</code>: client id <code>user.{account.userId}</code>.
        </p>
        <div className="account-actions">
          <Button onClick={() => showApiKey(false)} disabled={!password || busy}>
            View API key
          </Button>
          <Button onClick={() => showApiKey(true)} disabled={!password || busy}>
            Rotate API key
          </Button>
        </div>
        {shown?.kind === "apiKey" ? <TextField label="client_secret" readOnly value={shown.secret} /> : null}
      </section>
      <section aria-labelledby="email-heading" className="account-section">
        <h2 id="email-heading">Email</h2>
        <p>Prove you read your address: we mail a link; platform operators count only once it is opened.</p>
        <div className="account-actions">
          <Button
            onClick={() => {
              setError(null);
              sendVerificationEmail().then(
                () => setNotice("We sent a verification link to your email."),
                (e: unknown) => setError(messageOf(e)),
              );
            }}
          >
            Send verification email
          </Button>
        </div>
      </section>
      <section aria-labelledby="master-password-heading" className="account-section">
        <h2 id="master-password-heading">Master password</h2>
        <p>
          <Link to="/account/password">Change master password</Link> — every session of your account ends with it.
        </p>
      </section>
    </>
  );
}
