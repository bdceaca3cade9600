/**
 * Confirm one or more accepted provider users: their public keys are fetched, the provider key is wrapped to each
 * (RSA-OAEP, type 4) here, and each fingerprint phrase is shown so the admin can compare it with the person's own
 * before anything is sent (portal-ux §4.5).
 */
import { useEffect, useState } from "react";
import { Button, Dialog, ErrorBanner, Loading, Table, messageOf } from "../../ui";
import { useProviderDeps } from "./context";
import { ProviderUserStatus, displayName, type ProviderUserDetails } from "./people";
import { draftConfirmation, type ConfirmationDraft } from "./providerKeys";

const FINGERPRINT_HELP = "https://bitwarden.com/help/fingerprint-phrase/";

export function ConfirmPeopleDialog(props: { providerId: string; users: ProviderUserDetails[]; onClose: () => void; onDone: (message: string) => void }) {
  const { api, session } = useProviderDeps();
  const [accepted] = useState(() => props.users.filter((user) => user.status === ProviderUserStatus.Accepted));
  const [drafts, setDrafts] = useState<ConfirmationDraft[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const single = accepted.length === 1 ? accepted[0] : undefined;
  const { providerId } = props;

  useEffect(() => {
    let live = true;
    (async () => {
      const providerKey = await session.providerKey(providerId);
      const rows = await api.publicKeys(
        providerId,
        accepted.map((user) => user.id),
      );
      const made = await Promise.all(rows.map((row) => draftConfirmation(row, providerKey)));
      if (live) setDrafts(made);
    })().catch((failure: unknown) => {
      if (live) setError(messageOf(failure));
    });
    return () => {
      live = false;
    };
  }, [api, session, providerId, accepted]);

  async function confirm(list: ConfirmationDraft[]) {
    setBusy(true);
    try {
      const results = await api.confirm(
        providerId,
        list.map(({ id, key }) => ({ id, key })),
      );
      const failed = results.filter((result) => result.error);
      props.onDone(
        failed.length === 0
          ? list.length === 1
            ? `${nameOf(list[0]?.id ?? "")} confirmed.`
            : `${list.length} people confirmed.`
          : `Not confirmed: ${failed.map((result) => `${nameOf(result.id)} (${result.error})`).join("; ")}`,
      );
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  function nameOf(providerUserId: string): string {
    const user = accepted.find((candidate) => candidate.id === providerUserId);
    return user ? displayName(user) : providerUserId;
  }

  return (
    <Dialog
      title={single ? `Confirm ${displayName(single)}` : "Confirm people"}
      onClose={props.onClose}
      size="wide"
      actions={
        <Button variant="primary" busy={busy} disabled={drafts === null || drafts.length === 0} onClick={() => drafts && void confirm(drafts)}>
          Confirm
        </Button>
      }
    >
      <p>
        Confirming hands over the provider key, encrypted to each person's public key. To be sure the key is theirs, ask them for the fingerprint
        phrase their account shows and compare it with the one below.{" "}
        <a href={FINGERPRINT_HELP} target="_blank" rel="noreferrer">
          About fingerprint phrases
        </a>
      </p>
      {accepted.length < props.users.length && <p className="ui-hint">Only people who accepted their invitation can be confirmed; the others are left out.</p>}
      {drafts === null && error === null && <Loading label="Fetching public keys…" />}
      {drafts !== null && (
        <Table
          caption="Fingerprint phrases"
          captionHidden
          columns={[
            { key: "person", header: "Person", rowHeader: true, cell: (draft: ConfirmationDraft) => nameOf(draft.id) },
            { key: "fingerprint", header: "Fingerprint phrase", cell: (draft: ConfirmationDraft) => <code className="pv-fingerprint">{draft.fingerprint}</code> },
          ]}
          rows={drafts}
          rowKey={(draft) => draft.id}
          empty="Nobody to confirm: their public keys were not found."
        />
      )}
      <ErrorBanner message={error} />
    </Dialog>
  );
}
