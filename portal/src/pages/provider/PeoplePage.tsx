/**
 * People (Provider Admins only; Service Users get the not-found page here, as from the API): invite, reinvite,
 * confirm with the fingerprint phrase, change type, revoke, restore, remove, and the bulk versions.
 */
import { useCallback, useEffect, useId, useMemo, useState } from "react";
import { ConfirmPeopleDialog } from "./ConfirmPeopleDialog";
import { useProvider, useProviderDeps } from "./context";
import { InviteDialog } from "./InviteDialog";
import { ErrorMessage, Loading, Modal, NotFound, Status, messageOf } from "./parts";
import {
  FILTERS,
  ProviderUserStatus,
  bulkActions,
  displayName,
  filterCounts,
  matchesFilter,
  searchUsers,
  statusBadge,
  typeLabel,
  type ProviderUserDetails,
  type StatusFilter,
} from "./people";
import type { BulkResult } from "./ports";
import { TypeDialog } from "./TypeDialog";

type Dialog =
  | { kind: "invite" }
  | { kind: "confirm"; users: ProviderUserDetails[] }
  | { kind: "type"; user: ProviderUserDetails }
  | { kind: "remove"; users: ProviderUserDetails[] }
  | null;

export function PeoplePage() {
  const { access } = useProvider();
  if (!access.canManageUsers) return <NotFound />;
  return <People />;
}

function People() {
  const { providerId } = useProvider();
  const { api } = useProviderDeps();
  const [users, setUsers] = useState<ProviderUserDetails[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [filter, setFilter] = useState<StatusFilter>("all");
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const id = useId();

  const load = useCallback(async () => {
    try {
      setUsers(await api.listUsers(providerId));
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, [api, providerId]);

  useEffect(() => {
    void load();
  }, [load]);

  const counts = useMemo(() => filterCounts(users ?? []), [users]);
  const shown = useMemo(() => searchUsers(users ?? [], query).filter((user) => matchesFilter(user, filter)), [users, query, filter]);
  const chosen = useMemo(() => (users ?? []).filter((user) => selected.has(user.id)), [users, selected]);
  const bulk = bulkActions(chosen);
  const allShownSelected = shown.length > 0 && shown.every((user) => selected.has(user.id));

  async function act(work: () => Promise<unknown>, message: string) {
    try {
      await work();
      setStatus(message);
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
    await load();
  }

  function bulkOutcome(results: BulkResult[], done: string): string {
    const failed = results.filter((result) => result.error);
    return failed.length === 0 ? done : `${done} ${failed.length} could not be: ${failed.map((result) => result.error).join("; ")}`;
  }

  function finished(message: string) {
    setDialog(null);
    setSelected(new Set());
    setStatus(message);
    void load();
  }

  async function reinviteSelected() {
    try {
      const results = await api.reinvite(
        providerId,
        chosen.map((user) => user.id),
      );
      finished(bulkOutcome(results, chosen.length === 1 ? "Invitation sent again." : `${chosen.length} invitations sent again.`));
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  function toggle(user: ProviderUserDetails, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(user.id);
    else next.delete(user.id);
    setSelected(next);
  }

  return (
    <section className="pv-page" aria-labelledby={`${id}-title`}>
      <header className="pv-page-header">
        <h1 id={`${id}-title`}>People</h1>
        <div className="pv-actions">
          <button type="button" className="pv-primary" onClick={() => setDialog({ kind: "invite" })}>
            Invite people
          </button>
        </div>
      </header>

      {counts.accepted > 0 && (
        <div className="pv-callout" role="note">
          <p>
            {counts.accepted === 1 ? "1 person has" : `${counts.accepted} people have`} accepted an invitation and wait for confirmation.
          </p>
          <button type="button" onClick={() => setFilter("accepted")}>
            Show them
          </button>
        </div>
      )}

      <div className="pv-toolbar">
        <div className="pv-filters" role="group" aria-label="Show people by status">
          {FILTERS.map((choice) => (
            <button key={choice.key} type="button" aria-pressed={filter === choice.key} onClick={() => setFilter(choice.key)}>
              {choice.label} <span className="pv-count">{counts[choice.key]}</span>
            </button>
          ))}
        </div>
        <label className="pv-search">
          <span>Search people</span>
          <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} autoComplete="off" />
        </label>
      </div>

      <div className="pv-bulk" role="group" aria-label="With the selected people">
        <span>{chosen.length} selected</span>
        <button type="button" disabled={!bulk.reinvite} onClick={() => void reinviteSelected()}>
          Reinvite selected
        </button>
        <button type="button" disabled={!bulk.confirm} onClick={() => setDialog({ kind: "confirm", users: chosen })}>
          Confirm selected
        </button>
        <button type="button" className="pv-danger" disabled={!bulk.remove} onClick={() => setDialog({ kind: "remove", users: chosen })}>
          Remove selected
        </button>
      </div>

      <ErrorMessage error={error} />
      <Status message={status} />

      {users === null && error === null ? (
        <Loading what="people" />
      ) : (
        <table className="pv-table">
          <caption className="pv-visually-hidden">Provider users</caption>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select everyone shown"
                  checked={allShownSelected}
                  onChange={(event) => setSelected(event.target.checked ? new Set(shown.map((user) => user.id)) : new Set())}
                />
              </th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">
                <span className="pv-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((user) => {
              const name = displayName(user);
              const badge = statusBadge(user.status);
              return (
                <tr key={user.id}>
                  <td>
                    <input type="checkbox" aria-label={`Select ${name}`} checked={selected.has(user.id)} onChange={(event) => toggle(user, event.target.checked)} />
                  </td>
                  <th scope="row">
                    <span className="pv-name">{name}</span>
                    {badge && <span className={`pv-badge pv-badge-${user.status === ProviderUserStatus.Revoked ? "revoked" : "pending"}`}>{badge}</span>}
                    {user.name && <span className="pv-sub">{user.email}</span>}
                  </th>
                  <td>{typeLabel(user.type)}</td>
                  <td className="pv-row-actions">
                    {user.status === ProviderUserStatus.Invited && (
                      <button type="button" aria-label={`Resend the invitation to ${name}`} onClick={() => void act(() => api.reinvite(providerId, [user.id]), `Invitation sent again to ${name}.`)}>
                        Resend invitation
                      </button>
                    )}
                    {user.status === ProviderUserStatus.Accepted && (
                      <button type="button" className="pv-primary" aria-label={`Confirm ${name}`} onClick={() => setDialog({ kind: "confirm", users: [user] })}>
                        Confirm
                      </button>
                    )}
                    <button type="button" aria-label={`Change the type of ${name}`} onClick={() => setDialog({ kind: "type", user })}>
                      Change type
                    </button>
                    {user.status === ProviderUserStatus.Revoked ? (
                      <button type="button" aria-label={`Restore ${name}`} onClick={() => void act(() => api.restore(providerId, user.id), `${name} restored.`)}>
                        Restore
                      </button>
                    ) : (
                      <button type="button" aria-label={`Revoke ${name}`} onClick={() => void act(() => api.revoke(providerId, user.id), `${name} revoked.`)}>
                        Revoke
                      </button>
                    )}
                    <button type="button" className="pv-link-danger" aria-label={`Remove ${name}`} onClick={() => setDialog({ kind: "remove", users: [user] })}>
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {users !== null && shown.length === 0 && <p className="pv-empty">Nobody here.</p>}

      {dialog?.kind === "invite" && <InviteDialog providerId={providerId} onClose={() => setDialog(null)} onInvited={(count) => finished(count === 1 ? "Invitation sent." : `${count} invitations sent.`)} />}
      {dialog?.kind === "confirm" && <ConfirmPeopleDialog providerId={providerId} users={dialog.users} onClose={() => setDialog(null)} onDone={finished} />}
      {dialog?.kind === "type" && <TypeDialog providerId={providerId} user={dialog.user} onClose={() => setDialog(null)} onSaved={() => finished(`${displayName(dialog.user)} updated.`)} />}
      {dialog?.kind === "remove" && (
        <RemoveDialog
          users={dialog.users}
          onClose={() => setDialog(null)}
          onRemove={async () => {
            const results = await api.remove(providerId, dialog.users.map((user) => user.id));
            finished(bulkOutcome(results, dialog.users.length === 1 ? `${displayName(dialog.users[0] as ProviderUserDetails)} removed.` : "Removed."));
          }}
        />
      )}
    </section>
  );
}

function RemoveDialog(props: { users: ProviderUserDetails[]; onClose: () => void; onRemove: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const names = props.users.map(displayName);
  const title = names.length === 1 ? `Remove ${names[0]}?` : `Remove ${names.length} people?`;
  return (
    <Modal title={title} onClose={props.onClose}>
      <p>They lose access to the provider and every client at once. Inviting them again starts over.</p>
      {names.length > 1 && (
        <ul className="pv-list">
          {names.map((name) => (
            <li key={name}>{name}</li>
          ))}
        </ul>
      )}
      <ErrorMessage error={error} />
      <div className="pv-dialog-actions">
        <button
          type="button"
          className="pv-danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            props.onRemove().catch((failure: unknown) => {
              setError(messageOf(failure));
              setBusy(false);
            });
          }}
        >
          {busy ? "Removing…" : "Remove"}
        </button>
        <button type="button" onClick={props.onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
