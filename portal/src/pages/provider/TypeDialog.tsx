/** Change a provider user's type (the provider keeps at least one confirmed admin: the server says so if not). */
import { useState } from "react";
import { Button, Dialog, ErrorBanner, messageOf } from "../../ui";
import { useProviderDeps } from "./context";
import { TypeChoice } from "./InviteDialog";
import { ProviderUserType, displayName, type ProviderUserDetails, type ProviderUserTypeValue } from "./people";

export function TypeDialog(props: { providerId: string; user: ProviderUserDetails; onClose: () => void; onSaved: () => void }) {
  const { api } = useProviderDeps();
  const [type, setType] = useState<ProviderUserTypeValue>(
    props.user.type === ProviderUserType.ProviderAdmin ? ProviderUserType.ProviderAdmin : ProviderUserType.ServiceUser,
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
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
    <Dialog
      title={`Change the type of ${displayName(props.user)}`}
      onClose={props.onClose}
      actions={
        <Button variant="primary" busy={busy} disabled={type === props.user.type} onClick={() => void save()}>
          Save
        </Button>
      }
    >
      <TypeChoice value={type} onChange={setType} />
      <ErrorBanner message={error} />
    </Dialog>
  );
}
