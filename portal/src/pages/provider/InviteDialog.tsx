/** Invite people to the provider: up to 20 emails at a time, as Service users (the default) or Provider admins. */
import { useId, useState, type FormEvent } from "react";
import { useProviderDeps } from "./context";
import { ErrorMessage, Modal, messageOf } from "./parts";
import { MAX_INVITES, ProviderUserType, TYPE_DESCRIPTIONS, TYPE_LABELS, parseEmails, type ProviderUserTypeValue } from "./people";

export function TypeChoice(props: { name: string; value: number; onChange: (type: ProviderUserTypeValue) => void }) {
  return (
    <fieldset className="pv-choices">
      <legend>User type</legend>
      {[ProviderUserType.ServiceUser, ProviderUserType.ProviderAdmin].map((type) => (
        <label key={type} className="pv-choice">
          <input type="radio" name={props.name} checked={props.value === type} onChange={() => props.onChange(type)} />
          <span>{TYPE_LABELS.get(type)}</span>
          <span className="pv-hint">{TYPE_DESCRIPTIONS.get(type)}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function InviteDialog(props: { providerId: string; onClose: () => void; onInvited: (count: number) => void }) {
  const { api } = useProviderDeps();
  const [emails, setEmails] = useState("");
  const [type, setType] = useState<ProviderUserTypeValue>(ProviderUserType.ServiceUser);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseEmails(emails);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setBusy(true);
    try {
      await api.invite(props.providerId, parsed.emails, type);
      props.onInvited(parsed.emails.length);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <Modal title="Invite people" onClose={props.onClose}>
      <form className="pv-form" onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor={`${id}-emails`}>Email addresses</label>
        <textarea
          id={`${id}-emails`}
          rows={3}
          value={emails}
          aria-describedby={`${id}-emails-hint`}
          onChange={(event) => setEmails(event.target.value)}
        />
        <span className="pv-hint" id={`${id}-emails-hint`}>
          Separate addresses with commas; up to {MAX_INVITES} at a time.
        </span>
        <TypeChoice name={`${id}-type`} value={type} onChange={setType} />
        <ErrorMessage error={error} />
        <div className="pv-dialog-actions">
          <button type="submit" className="pv-primary" disabled={busy}>
            {busy ? "Inviting…" : "Invite"}
          </button>
          <button type="button" onClick={props.onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
