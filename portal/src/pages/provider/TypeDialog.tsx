/** Change a provider user's type (the provider keeps at least one confirmed admin: the server says so if not). */
import { useId, useState } from "react";
import { useProviderDeps } from "./context";
import { TypeChoice } from "./InviteDialog";
import { ErrorMessage, Modal, messageOf } from "./parts";
import { displayName, type ProviderUserDetails, type ProviderUserTypeValue } from "./people";

export function TypeDialog(props: { providerId: string; user: ProviderUserDetails; onClose: () => void; onSaved: () => void }) {
  const { api } = useProviderDeps();
  const [type, setType] = useState<ProviderUserTypeValue | number>(props.user.type);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function save() {
    if (type !== 0 && type !== 1) return;
    setBusy(true);
    try {
      await api.changeType(props.providerId, props.user.id, type);
      props.onSaved();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <Modal title={`Change the type of ${displayName(props.user)}`} onClose={props.onClose}>
      <TypeChoice name={`${id}-type`} value={type} onChange={setType} />
      <ErrorMessage error={error} />
      <div className="pv-dialog-actions">
        <button type="button" className="pv-primary" disabled={busy || type === props.user.type} onClick={() => void save()}>
          {busy ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={props.onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
