/**
 * "Add existing organization": an organization the caller owns becomes a client. The caller holds its org key as
 * a member; it is wrapped here with the provider key so every provider user can open it (portal-ux §4.4).
 */
import { useEffect, useId, useState } from "react";
import { Button, Dialog, EmptyState, ErrorBanner, Loading, RadioGroup, messageOf } from "../../ui";
import { useProviderDeps } from "./context";
import type { AddableOrganization } from "./ports";
import { existingClientKey } from "./providerKeys";

export function AddExistingDialog(props: { providerId: string; onClose: () => void; onAdded: (name: string) => void }) {
  const { api, session } = useProviderDeps();
  const [orgs, setOrgs] = useState<AddableOrganization[] | null>(null);
  const [chosenId, setChosenId] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const chosen = orgs?.find((org) => org.id === chosenId) ?? null;

  useEffect(() => {
    api.addableOrganizations(props.providerId).then(
      (all) => setOrgs(all.filter((org) => !org.disabled)),
      (failure: unknown) => setError(messageOf(failure)),
    );
  }, [api, props.providerId]);

  async function add(org: AddableOrganization) {
    setBusy(true);
    try {
      const orgKey = await session.organizationKey(org.id);
      if (orgKey === null) throw new Error(`You hold no key for ${org.name}: an owner must confirm you as a member first.`);
      const key = await existingClientKey(orgKey, await session.providerKey(props.providerId));
      await api.addExistingClient(props.providerId, org.id, key);
      props.onAdded(org.name);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  const seats = (org: AddableOrganization) => (org.seats !== null && org.seats !== undefined ? `${org.seats} seats` : "no seat limit");

  return (
    <Dialog
      title="Add existing organization"
      onClose={props.onClose}
      actions={
        confirming && chosen !== null ? (
          <>
            <Button onClick={() => setConfirming(false)} disabled={busy}>
              Back
            </Button>
            <Button variant="primary" busy={busy} onClick={() => void add(chosen)}>
              Add organization
            </Button>
          </>
        ) : (
          <Button variant="primary" disabled={chosen === null} onClick={() => setConfirming(true)}>
            Next
          </Button>
        )
      }
    >
      {orgs === null && error === null && <Loading label="Loading your organizations…" />}
      {orgs !== null && orgs.length === 0 && (
        <EmptyState title="No organization to add">
          <p>You can add an organization you own that is on a Teams or Enterprise plan and has no provider yet.</p>
        </EmptyState>
      )}
      {orgs !== null && orgs.length > 0 && !confirming && (
        <RadioGroup
          legend="Organization"
          name={`${id}-org`}
          value={chosenId}
          onChange={setChosenId}
          options={orgs.map((org) => ({ value: org.id, label: org.name, hint: `${org.plan}, ${seats(org)}` }))}
        />
      )}
      {confirming && chosen !== null && (
        <dl className="pv-summary">
          <dt>Organization</dt>
          <dd>{chosen.name}</dd>
          <dt>Plan</dt>
          <dd>{chosen.plan}</dd>
          <dt>Seats</dt>
          <dd>{seats(chosen)}</dd>
        </dl>
      )}
      <ErrorBanner message={error} />
    </Dialog>
  );
}
