/**
 * Confirm one or more accepted provider users: their public keys are fetched, the provider key is wrapped to each
 * (RSA-OAEP, type 4) here, and each fingerprint phrase is shown so the admin can compare it with the person's own
 * before anything is sent (portal-ux §4.5).
 */
import { useEffect, useState } from "react";
import { useProviderDeps } from "./context";
import { ErrorMessage, Loading, Modal, messageOf } from "./parts";
import { ProviderUserStatus, displayName, type ProviderUserDetails } from "./people";
import { draftConfirmation, type ConfirmationDraft } from "./providerKeys";

const FINGERPRINT_HELP = "https://bitwarden.com/help/fingerprint-phrase/";

export function ConfirmPeopleDialog(props: { providerId: string; users: ProviderUserDetails[]; onClose: () => void; onDone: (message: string) => void }) {
  const { api, session } = useProviderDeps();
  const [drafts, setDrafts] = useState<ConfirmationDraft[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const accepted = props.users.filter((user) => user.status === ProviderUserStatus.Accepted);
  const single = accepted.length === 1 ? accepted[0] : undefined;

  useEffect(() => {
    let live = true;
    (async () => {
      const providerKey = await session.providerKey(props.providerId);
      const rows = await api.publicKeys(
        props.providerId,
        accepted.map((user) => user.id),
      );
      const made = await Promise.all(rows.map((row) => draftConfirmation(row, providerKey)));
      if (live) setDrafts(made);
    })().catch((failure: unknown) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
    // The users are fixed for the dialog's life: load once.
  }, []);

  async function confirm(list: ConfirmationDraft[]) {
    setBusy(true);
    try {
      const results = await api.confirm(
        props.providerId,
        list.map(({ id, key }) => ({ id, key })),
      );
      const failed = results.filter((result) => result.error);
      props.onDone(failed.length === 0 ? (list.length === 1 ? "Confirmed." : `${list.length} people confirmed.`) : `Not confirmed: ${failed.map((f) => f.error).join("; ")}`);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  const nameOf = (draft: ConfirmationDraft) => {
    const user = accepted.find((candidate) => candidate.id === draft.id);
    return user ? displayName(user) : draft.id;
  };

  return (
    <Modal title={single ? `Confirm ${displayName(single)}` : "Confirm people"} onClose={props.onClose} wide>
      <p>
        Confirming hands over the provider key, encrypted to each person's public key. To be sure the key is theirs, ask them for the fingerprint
        phrase their account shows and compare it with the one below.{" "}
        <a href={FINGERPRINT_HELP} target="_blank" rel="noreferrer">
          About fingerprint phrases
        </a>
      </p>
      {accepted.length < props.users.length && <p className="pv-hint">Only people who accepted their invitation can be confirmed; the others are left out.</p>}
      {drafts === null && error === null && <Loading what="public keys" />}
      {drafts !== null && (
        <table className="pv-table">
          <caption className="pv-visually-hidden">Fingerprint phrases</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Fingerprint phrase</th>
            </tr>
          </thead>
          <tbody>
            {drafts.map((draft) => (
              <tr key={draft.id}>
                <th scope="row">{nameOf(draft)}</th>
                <td>
                  <code className="pv-fingerprint">{draft.fingerprint}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorMessage error={error} />
      <div className="pv-dialog-actions">
        <button type="button" className="pv-primary" disabled={busy || drafts === null || drafts.length === 0} onClick={() => drafts && void confirm(drafts)}>
          {busy ? "Confirming…" : "Confirm"}
        </button>
        <button type="button" onClick={props.onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
