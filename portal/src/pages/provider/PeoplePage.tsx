/**
 * People (Provider Admins only; Service Users get the not-found page here, as from the API): invite, reinvite,
 * confirm with the fingerprint phrase, change type, revoke, restore, remove, and the bulk versions.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { Badge, Button, Callout, ConfirmDialog, ErrorBanner, Loading, PageHeader, Table, TextField, messageOf, useToast, type Column } from "../../ui";
import { ConfirmPeopleDialog } from "./ConfirmPeopleDialog";
import { useProvider, useProviderDeps } from "./context";
import { InviteDialog } from "./InviteDialog";
import { NotFound } from "./parts";
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

/** "Done." or what failed, from a bulk answer. */
function bulkOutcome(results: BulkResult[], done: string, nameOf: (id: string) => string): string {
  const failed = results.filter((result) => result.error);
  return failed.length === 0 ? done : `Not done for ${failed.map((result) => `${nameOf(result.id)} (${result.error})`).join("; ")}.`;
}

function People() {
  const { providerId } = useProvider();
  const { api } = useProviderDeps();
  const notify = useToast();
  const [users, setUsers] = useState<ProviderUserDetails[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<StatusFilter>("all");
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [removing, setRemoving] = useState(false);

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
  const nameOf = (id: string) => {
    const user = users?.find((candidate) => candidate.id === id);
    return user ? displayName(user) : id;
  };

  function finished(message: string) {
    setDialog(null);
    setSelected(new Set());
    notify(message);
    void load();
  }

  async function act(work: () => Promise<unknown>, message: string) {
    try {
      await work();
      notify(message);
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
    await load();
  }

  async function reinvite(people: ProviderUserDetails[]) {
    try {
      const results = await api.reinvite(
        providerId,
        people.map((user) => user.id),
      );
      finished(bulkOutcome(results, people.length === 1 ? `Invitation sent again to ${displayName(people[0] as ProviderUserDetails)}.` : `${people.length} invitations sent again.`, nameOf));
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  async function remove(people: ProviderUserDetails[]) {
    setRemoving(true);
    try {
      const results = await api.remove(
        providerId,
        people.map((user) => user.id),
      );
      finished(bulkOutcome(results, people.length === 1 ? `${displayName(people[0] as ProviderUserDetails)} removed.` : `${people.length} people removed.`, nameOf));
    } catch (failure) {
      setDialog(null);
      setError(messageOf(failure));
    } finally {
      setRemoving(false);
    }
  }

  function toggle(user: ProviderUserDetails, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(user.id);
    else next.delete(user.id);
    setSelected(next);
  }

  const columns: Column<ProviderUserDetails>[] = [
    {
      key: "select",
      header: (
        <input
          type="checkbox"
          aria-label="Select everyone shown"
          checked={allShownSelected}
          onChange={(event) => setSelected(event.target.checked ? new Set(shown.map((user) => user.id)) : new Set())}
        />
      ),
      cell: (user) => (
        <input type="checkbox" aria-label={`Select ${displayName(user)}`} checked={selected.has(user.id)} onChange={(event) => toggle(user, event.target.checked)} />
      ),
    },
    {
      key: "name",
      header: "Name",
      rowHeader: true,
      cell: (user) => {
        const badge = statusBadge(user.status);
        return (
          <>
            <span className="pv-name">{displayName(user)}</span>{" "}
            {badge ? <Badge tone={user.status === ProviderUserStatus.Revoked ? "danger" : "warning"}>{badge}</Badge> : null}
            {user.name ? <span className="pv-sub">{user.email}</span> : null}
          </>
        );
      },
    },
    { key: "type", header: "Type", cell: (user) => typeLabel(user.type) },
    {
      key: "actions",
      header: <span className="ui-visually-hidden">Actions</span>,
      className: "pv-row-actions",
      cell: (user) => {
        const name = displayName(user);
        return (
          <>
            {user.status === ProviderUserStatus.Invited && (
              <Button aria-label={`Resend the invitation to ${name}`} onClick={() => void reinvite([user])}>
                Resend invitation
              </Button>
            )}
            {user.status === ProviderUserStatus.Accepted && (
              <Button variant="primary" aria-label={`Confirm ${name}`} onClick={() => setDialog({ kind: "confirm", users: [user] })}>
                Confirm
              </Button>
            )}
            <Button aria-label={`Change the type of ${name}`} onClick={() => setDialog({ kind: "type", user })}>
              Change type
            </Button>
            {user.status === ProviderUserStatus.Revoked ? (
              <Button aria-label={`Restore ${name}`} onClick={() => void act(() => api.restore(providerId, user.id), `${name} restored.`)}>
                Restore
              </Button>
            ) : (
              <Button aria-label={`Revoke ${name}`} onClick={() => void act(() => api.revoke(providerId, user.id), `${name} revoked.`)}>
                Revoke
              </Button>
            )}
            <Button variant="link" aria-label={`Remove ${name}`} onClick={() => setDialog({ kind: "remove", users: [user] })}>
              Remove
            </Button>
          </>
        );
      },
    },
  ];

  const removeNames = dialog?.kind === "remove" ? dialog.users.map(displayName) : [];

  return (
    <>
      <PageHeader title="People">
        <Button variant="primary" onClick={() => setDialog({ kind: "invite" })}>
          Invite people
        </Button>
      </PageHeader>

      {counts.accepted > 0 && (
        <Callout title="Waiting for confirmation">
          <p>
            {counts.accepted === 1 ? "1 person has" : `${counts.accepted} people have`} accepted an invitation. Confirm them to hand over the provider key.
          </p>
          <Button onClick={() => setFilter("accepted")}>Show them</Button>
        </Callout>
      )}

      <div className="pv-toolbar">
        <div className="pv-filters" role="group" aria-label="Show people by status">
          {FILTERS.map((choice) => (
            <Button key={choice.key} aria-pressed={filter === choice.key} onClick={() => setFilter(choice.key)}>
              {choice.label} <span className="pv-count">{counts[choice.key]}</span>
            </Button>
          ))}
        </div>
        <TextField label="Search people" type="search" value={query} onChange={(event) => setQuery(event.target.value)} autoComplete="off" />
      </div>

      <div className="pv-bulk" role="group" aria-label="With the selected people">
        <span>{chosen.length} selected</span>
        <Button disabled={!bulk.reinvite} onClick={() => void reinvite(chosen)}>
          Reinvite selected
        </Button>
        <Button disabled={!bulk.confirm} onClick={() => setDialog({ kind: "confirm", users: chosen })}>
          Confirm selected
        </Button>
        <Button variant="danger" disabled={!bulk.remove} onClick={() => setDialog({ kind: "remove", users: chosen })}>
          Remove selected
        </Button>
      </div>

      <ErrorBanner message={error} />

      {users === null && error === null ? (
        <Loading label="Loading people…" />
      ) : (
        <Table caption="Provider users" captionHidden columns={columns} rows={shown} rowKey={(user) => user.id} empty="Nobody here." />
      )}

      {dialog?.kind === "invite" && (
        <InviteDialog providerId={providerId} onClose={() => setDialog(null)} onInvited={(count) => finished(count === 1 ? "Invitation sent." : `${count} invitations sent.`)} />
      )}
      {dialog?.kind === "confirm" && <ConfirmPeopleDialog providerId={providerId} users={dialog.users} onClose={() => setDialog(null)} onDone={finished} />}
      {dialog?.kind === "type" && (
        <TypeDialog providerId={providerId} user={dialog.user} onClose={() => setDialog(null)} onSaved={() => finished(`${displayName(dialog.user)} updated.`)} />
      )}
      {dialog?.kind === "remove" && (
        <ConfirmDialog
          title={removeNames.length === 1 ? `Remove ${removeNames[0]}?` : `Remove ${removeNames.length} people?`}
          confirmLabel="Remove"
          danger
          busy={removing}
          onConfirm={() => void remove(dialog.users)}
          onClose={() => setDialog(null)}
        >
          <p>They lose access to the provider and every client at once. Inviting them again starts over.</p>
          {removeNames.length > 1 && (
            <ul className="pv-list">
              {removeNames.map((name) => (
                <li key={name}>{name}</li>
              ))}
            </ul>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
