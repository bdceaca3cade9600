// The organization's API key (`client_credentials` as `organization.<id>`, scope `api.organization`): its Owners
// and its provider's users view or rotate it. The master password is typed here and only its hash is sent.

import { useState } from "react";
import { session } from "../../lib/session";
import { Button, Callout, ErrorBanner, PasswordField, TextField, messageOf } from "../../ui";
import { organizationApiKey } from "./api";

export function ApiKeySection(props: { orgId: string }) {
  const [password, setPassword] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function show(rotate: boolean) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setSecret(await organizationApiKey(props.orgId, await session.masterPasswordHash(password), rotate));
      if (rotate) setNotice("A new API key was made; the old one and every token made with it no longer work.");
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="org-api-key-heading" className="org-api-key">
      <h3 id="org-api-key-heading">API key</h3>
      <p>
        For automation against the organization&apos;s own API: client id <code>organization.{props.orgId}</code>, scope{" "}
        <code>api.organization</code>. Keep the secret like a password.
      </p>
      <PasswordField
        label="Your master password"
        hint="Needed to view or rotate the key; it never leaves this page."
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <ErrorBanner message={error} />
      {notice ? <Callout tone="success">{notice}</Callout> : null}
      <div className="ui-actions">
        <Button onClick={() => void show(false)} disabled={!password || busy}>
          View API key
        </Button>
        <Button variant="danger" onClick={() => void show(true)} disabled={!password || busy}>
          Rotate API key
        </Button>
      </div>
      {secret !== null ? <TextField label="client_secret" readOnly value={secret} /> : null}
    </section>
  );
}
