/** "Edit client": its name and its seats (never fewer than the seats in use). */
import { useId, useState, type FormEvent } from "react";
import { Button, Dialog, ErrorBanner, TextField, messageOf } from "../../ui";
import type { ClientRow } from "./clientList";
import { useProviderDeps } from "./context";
import { NAME_MAX, checkClientChange } from "./plans";

export function EditClientDialog(props: { providerId: string; client: ClientRow; onClose: () => void; onSaved: (name: string) => void }) {
  const { api } = useProviderDeps();
  const [input, setInput] = useState({ name: props.client.name, seats: String(props.client.seats) });
  const [errors, setErrors] = useState<{ name?: string; seats?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkClientChange(input, props.client.seatsUsed);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.updateClient(props.providerId, props.client.id, { name: checked.name, seats: checked.seats });
      props.onSaved(checked.name);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={`Edit ${props.client.name}`}
      onClose={props.onClose}
      actions={
        <Button type="submit" form={formId} variant="primary" busy={busy}>
          Save
        </Button>
      }
    >
      <form id={formId} className="pv-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label="Organization name"
          required
          maxLength={NAME_MAX}
          value={input.name}
          error={errors.name}
          onChange={(event) => setInput({ ...input, name: event.target.value })}
        />
        <TextField
          label="Seats"
          type="number"
          min={Math.max(1, props.client.seatsUsed)}
          step={1}
          required
          inputMode="numeric"
          hint={`${props.client.seatsUsed} in use.`}
          value={input.seats}
          error={errors.seats}
          onChange={(event) => setInput({ ...input, seats: event.target.value })}
        />
        <ErrorBanner message={error} />
      </form>
    </Dialog>
  );
}
