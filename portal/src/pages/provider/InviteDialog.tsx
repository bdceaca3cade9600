/** Invite people to the provider: up to 20 emails at a time, as Service users (the default) or Provider admins. */
import { useId, useState, type FormEvent } from "react";
import { Button, Dialog, ErrorBanner, RadioGroup, TextAreaField, messageOf } from "../../ui";
import { useProviderDeps } from "./context";
import { MAX_INVITES, ProviderUserType, TYPE_DESCRIPTIONS, TYPE_LABELS, parseEmails, type ProviderUserTypeValue } from "./people";

const TYPES = [ProviderUserType.ServiceUser, ProviderUserType.ProviderAdmin] as const;

export function TypeChoice(props: { value: ProviderUserTypeValue; onChange: (type: ProviderUserTypeValue) => void }) {
  const name = useId();
  return (
    <RadioGroup
      legend="User type"
      name={name}
      value={String(props.value)}
      onChange={(value) => props.onChange(Number(value) === ProviderUserType.ProviderAdmin ? ProviderUserType.ProviderAdmin : ProviderUserType.ServiceUser)}
      options={TYPES.map((type) => ({ value: String(type), label: TYPE_LABELS.get(type) ?? "", hint: TYPE_DESCRIPTIONS.get(type) }))}
    />
  );
}

export function InviteDialog(props: { providerId: string; onClose: () => void; onInvited: (count: number) => void }) {
  const { api } = useProviderDeps();
  const [emails, setEmails] = useState("");
  const [type, setType] = useState<ProviderUserTypeValue>(ProviderUserType.ServiceUser);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formId = useId();

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
    <Dialog
      title="Invite people"
      onClose={props.onClose}
      actions={
        <Button type="submit" form={formId} variant="primary" busy={busy}>
          Invite
        </Button>
      }
    >
      <form id={formId} className="pv-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextAreaField
          label="Email addresses"
          rows={3}
          value={emails}
          hint={`Separate addresses with commas; up to ${MAX_INVITES} at a time.`}
          onChange={(event) => setEmails(event.target.value)}
        />
        <TypeChoice value={type} onChange={setType} />
        <ErrorBanner message={error} />
      </form>
    </Dialog>
  );
}
