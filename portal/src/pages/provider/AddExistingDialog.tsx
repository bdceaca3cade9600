/**
 * "Add existing organization": an organization the caller owns becomes a client. The caller holds its org key as
 * a member; it is wrapped here with the provider key so every provider user can open it (portal-ux §4.4).
 */
import { useEffect, useId, useState } from "react";
import { useProviderDeps } from "./context";
import { ErrorMessage, Loading, Modal, messageOf } from "./parts";
import type { AddableOrganization } from "./ports";
import { existingClientKey } from "./providerKeys";

export function AddExistingDialog(props: { providerId: string; onClose: () => void; onAdded: (name: string) => void }) {
  const { api, session } = useProviderDeps();
  const [orgs, setOrgs] = useState<AddableOrganization[] | null>(null);
  const [chosen, setChosen] = useState<AddableOrganization | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    api.addableOrganizations(props.providerId).then(setOrgs, (failure: unknown) => setError(messageOf(failure)));
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

  return (
    <Modal title="Add existing organization" onClose={props.onClose}>
      {orgs === null && error === null && <Loading what="your organizations" />}
      {orgs !== null && orgs.length === 0 && (
        <p className="pv-empty">You own no organization that can become a client (it must be on a Teams or Enterprise plan and have no provider).</p>
      )}
      {orgs !== null && orgs.length > 0 && !confirming && (
        <fieldset className="pv-choices">
          <legend>Organization</legend>
          {orgs.map((org) => (
            <label key={org.id} className={org.disabled ? "pv-choice pv-choice-disabled" : "pv-choice"}>
              <input type="radio" name={`${id}-org`} disabled={org.disabled === true} checked={chosen?.id === org.id} onChange={() => setChosen(org)} />
              <span>{org.name}</span>
              <span className="pv-hint">
                {org.plan}
                {org.seats !== null && org.seats !== undefined ? `, ${org.seats} seats` : ""}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {confirming && chosen !== null && (
        <dl className="pv-summary">
          <dt>Organization</dt>
          <dd>{chosen.name}</dd>
          <dt>Plan</dt>
          <dd>{chosen.plan}</dd>
          <dt>Seats</dt>
          <dd>{chosen.seats ?? "—"}</dd>
        </dl>
      )}
      <ErrorMessage error={error} />
      <div className="pv-dialog-actions">
        {confirming && chosen !== null ? (
          <button type="button" className="pv-primary" disabled={busy} onClick={() => void add(chosen)}>
            {busy ? "Adding…" : "Add organization"}
          </button>
        ) : (
          <button type="button" className="pv-primary" disabled={chosen === null} onClick={() => setConfirming(true)}>
            Next
          </button>
        )}
        {confirming && (
          <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
            Back
          </button>
        )}
        <button type="button" onClick={props.onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
