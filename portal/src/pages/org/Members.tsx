// Members: invite with a role and collection access, confirm (the org key wrapped to the member's public key,
// after comparing the fingerprint phrase), edit role and Custom permissions, revoke, restore, remove; bulk too.

import { type FormEvent, useEffect, useId, useMemo, useState } from "react";
import { type AccessLevel, levelsOf, selections } from "../../lib/org/access";
import {
  MEMBER_STATUS_LABELS,
  MEMBER_TYPE_HINTS,
  MEMBER_TYPE_LABELS,
  MemberStatus,
  MemberType,
  PERMISSIONS,
  type Permissions,
  noPermissions,
  parseEmails,
} from "../../lib/org/roles";
import { buildTree, flatten } from "../../lib/vault/tree";
import { Confirm, Modal } from "../vault/components/Modal";
import { AccessEditor, Tabs } from "./AccessEditor";
import {
  type Member,
  type MemberAction,
  bulkConfirm,
  bulkMemberAction,
  confirmMember,
  inviteMembers,
  memberAction,
  publicKeys,
  resetPassword,
  resetPasswordDetails,
  updateMember,
} from "./api";
import { useOrg } from "./context";
import {
  ACTION_LABELS,
  type Confirmation,
  type RowAction,
  STATUS_FILTERS,
  type StatusFilter,
  bulkActions,
  matchesStatus,
  prepareConfirmation,
  rowActions,
  searchMembers,
  statusCounts,
} from "./members";
import { type OrgCollection, useGroups, useMembers, useOrgCollections } from "./useOrgData";
import { MIN_MASTER_PASSWORD_LENGTH } from "../../lib/password/strength";
import { Button, Callout, FormFooter, PasswordField } from "../../ui";
import { prepareRecovery } from "./recovery";

type Dialog =
  | { kind: "invite" }
  | { kind: "edit"; member: Member }
  | { kind: "confirm"; members: Member[] }
  | { kind: "action"; action: MemberAction; members: Member[] }
  | { kind: "recover"; member: Member }
  | null;

export default function Members() {
  const { orgId, entry, rights } = useOrg();
  const members = useMembers();
  const [filter, setFilter] = useState<StatusFilter>("all");
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const all = members.data ?? [];
  const counts = statusCounts(all);
  const shown = useMemo(() => searchMembers(all.filter((m) => matchesStatus(m, filter)), search), [all, filter, search]);
  const chosen = all.filter((m) => selected.has(m.id));
  const done = async (message: string) => {
    setDialog(null);
    setSelected(new Set());
    setNotice(message);
    await members.reload();
  };

  function start(action: RowAction, targets: Member[]) {
    setNotice(null);
    if (action === "edit") setDialog({ kind: "edit", member: targets[0]! });
    else if (action === "recover") setDialog({ kind: "recover", member: targets[0]! });
    else if (action === "confirm") setDialog({ kind: "confirm", members: targets });
    else setDialog({ kind: "action", action, members: targets });
  }

  return (
    <section aria-labelledby="members-heading">
      <div className="toolbar">
        <h2 id="members-heading">Members</h2>
        <Button type="button" variant="primary" onClick={() => setDialog({ kind: "invite" })}>
          Invite member
        </Button>
      </div>
      {counts.accepted > 0 ? (
        <div className="callout" role="note">
          {counts.accepted} {counts.accepted === 1 ? "member needs" : "members need"} confirmation before they can open the
          organization's items.{" "}
          <Button type="button" onClick={() => start("confirm", all.filter((m) => m.status === MemberStatus.Accepted))}>
            Confirm all
          </Button>
        </div>
      ) : null}
      {notice ? (
        <p role="status" className="notice">
          {notice}
        </p>
      ) : null}
      {members.error ? (
        <p role="alert" className="error">
          {members.error}
        </p>
      ) : null}
      <div className="toolbar">
        <div className="toggles" role="group" aria-label="Filter members by status">
          {STATUS_FILTERS.map(([value, label]) => (
            <Button key={value} type="button" aria-pressed={filter === value} onClick={() => setFilter(value)}>
              {label} ({counts[value]})
            </Button>
          ))}
        </div>
        <label>
          <span className="ui-visually-hidden">Search members</span>
          <input type="search" placeholder="Search members" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
      </div>
      {chosen.length ? (
        <div className="toolbar" role="group" aria-label="Selected members">
          <span>{chosen.length} selected</span>
          <span className="toggles">
            {bulkActions(chosen).map((action) => (
              <Button key={action} type="button" variant={action === "remove" ? "danger" : "secondary"} onClick={() => start(action, chosen)}>
                {ACTION_LABELS[action]}
              </Button>
            ))}
          </span>
        </div>
      ) : null}
      {members.data === null && !members.error ? <p role="status">Loading members…</p> : null}
      {members.data !== null ? (
        <table className="data">
          <caption className="ui-visually-hidden">Members of {entry.name}</caption>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all shown members"
                  checked={shown.length > 0 && shown.every((m) => selected.has(m.id))}
                  onChange={(e) => setSelected(e.target.checked ? new Set(shown.map((m) => m.id)) : new Set())}
                />
              </th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Access</th>
              <th scope="col">
                <span className="ui-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => (
              <tr key={m.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${m.name || m.email}`}
                    checked={selected.has(m.id)}
                    onChange={(e) => {
                      const next = new Set(selected);
                      if (e.target.checked) next.add(m.id);
                      else next.delete(m.id);
                      setSelected(next);
                    }}
                  />
                </td>
                <td>
                  <Button type="button" variant="link" onClick={() => start("edit", [m])}>
                    {m.name || m.email}
                  </Button>
                  {m.status !== MemberStatus.Confirmed ? <span className="badge">{MEMBER_STATUS_LABELS[m.status as MemberStatus]}</span> : null}
                  {m.resetPasswordEnrolled ? <span className="badge">Account recovery</span> : null}
                  {m.name ? <div className="hint">{m.email}</div> : null}
                </td>
                <td>{MEMBER_TYPE_LABELS[m.type as MemberType] ?? m.type}</td>
                <td>
                  {m.accessAll
                    ? "All collections"
                    : `${m.collections.length} ${m.collections.length === 1 ? "collection" : "collections"}${m.groups.length ? `, ${m.groups.length} groups` : ""}`}
                </td>
                <td className="row-actions">
                  {rowActions(m, rights.manageResetPassword)
                    .filter((a) => a !== "edit")
                    .map((action) => (
                      <Button
                        key={action}
                        type="button"
                        variant={action === "remove" ? "danger" : "secondary"}
                        aria-label={`${ACTION_LABELS[action]}: ${m.name || m.email}`}
                        onClick={() => start(action, [m])}
                      >
                        {ACTION_LABELS[action]}
                      </Button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {members.data?.length === 0 ? <p className="empty">No members yet.</p> : null}
      {dialog?.kind === "invite" || dialog?.kind === "edit" ? (
        <MemberDialog
          member={dialog.kind === "edit" ? dialog.member : null}
          onClose={() => setDialog(null)}
          onSaved={(message) => void done(message)}
          onAction={(action, member) => start(action, [member])}
        />
      ) : null}
      {dialog?.kind === "confirm" ? (
        <ConfirmDialog members={dialog.members} onClose={() => setDialog(null)} onDone={(message) => void done(message)} />
      ) : null}
      {dialog?.kind === "recover" ? (
        <RecoverDialog member={dialog.member} onClose={() => setDialog(null)} onDone={(message) => void done(message)} />
      ) : null}
      {dialog?.kind === "action" ? (
        <Confirm
          title={ACTION_LABELS[dialog.action]}
          message={
            dialog.members.length === 1
              ? `${ACTION_LABELS[dialog.action]} for ${dialog.members[0]!.name || dialog.members[0]!.email}?`
              : `${ACTION_LABELS[dialog.action]} for ${dialog.members.length} members?`
          }
          action={ACTION_LABELS[dialog.action]}
          danger={dialog.action === "remove" || dialog.action === "revoke"}
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const { action, members: targets } = dialog;
            try {
              if (targets.length === 1) await memberAction(orgId, targets[0]!.id, action);
              else {
                const failed = (await bulkMemberAction(orgId, targets.map((m) => m.id), action)).filter((r) => r.error);
                if (failed.length) return done(`${ACTION_LABELS[action]}: ${failed.length} of ${targets.length} failed (${failed[0]!.error}).`);
              }
              await done(`${ACTION_LABELS[action]}: done.`);
            } catch (caught) {
              await done(caught instanceof Error ? caught.message : "That did not work.");
            }
          }}
        />
      ) : null}
    </section>
  );
}

function collectionCandidates(collections: readonly OrgCollection[]) {
  return flatten(buildTree(collections)).flatMap(({ node, depth }) => (node.item ? [{ id: node.item.id, label: node.label, detail: depth ? node.path : undefined, depth }] : []));
}

function MemberDialog(props: {
  member: Member | null;
  onClose: () => void;
  onSaved: (message: string) => void;
  onAction: (action: MemberAction, member: Member) => void;
}) {
  const { orgId, entry } = useOrg();
  const collections = useOrgCollections();
  const groups = useGroups(entry.useGroups !== false);
  const editing = props.member;
  const [tab, setTab] = useState<"role" | "groups" | "collections">("role");
  const [emails, setEmails] = useState("");
  const [type, setType] = useState<MemberType>((editing?.type as MemberType | undefined) ?? MemberType.User);
  const [permissions, setPermissions] = useState<Permissions>(() => ({ ...noPermissions(), ...(editing?.permissions ?? {}) }));
  const [access, setAccess] = useState<Map<string, AccessLevel>>(() => levelsOf(editing?.collections));
  const [memberGroups, setMemberGroups] = useState<Map<string, AccessLevel>>(() => new Map((editing?.groups ?? []).map((g) => [g, "view" as AccessLevel])));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailsId = useId();
  const roleName = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const assignment = {
      type,
      collections: selections(access),
      groups: [...memberGroups.keys()],
      permissions: type === MemberType.Custom ? permissions : null,
    };
    let list: string[] = [];
    if (!editing) {
      const parsed = parseEmails(emails);
      if (parsed.invalid.length) return setError(`Not an email address: ${parsed.invalid.join(", ")}`);
      if (parsed.emails.length === 0) return setError("Enter at least one email address.");
      if (parsed.emails.length > 20) return setError("Invite at most 20 people at a time.");
      list = parsed.emails;
    }
    setBusy(true);
    try {
      if (editing) {
        await updateMember(orgId, editing.id, assignment);
        props.onSaved(`Saved ${editing.name || editing.email}.`);
      } else {
        await inviteMembers(orgId, list, assignment);
        props.onSaved(`Invited ${list.join(", ")}.`);
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "That did not work.");
    } finally {
      setBusy(false);
    }
  }

  const tabs: Array<readonly ["role" | "groups" | "collections", string]> = [["role", "Role"]];
  if (entry.useGroups !== false) tabs.push(["groups", "Groups"]);
  tabs.push(["collections", "Collections"]);
  const title = editing ? `Edit member ${editing.name || editing.email}` : "Invite member";
  return (
    <Modal label={title} onClose={props.onClose} wide>
      <form onSubmit={submit}>
        <h2>{title}</h2>
        <Tabs label="Member" tabs={tabs} current={tab} onSelect={setTab} />
        <div role="tabpanel" hidden={tab !== "role"}>
          {!editing ? (
            <div className="field">
              <label htmlFor={emailsId}>Email</label>
              <textarea id={emailsId} rows={2} value={emails} onChange={(e) => setEmails(e.target.value)} required />
              <span className="hint">Up to 20 addresses, separated by commas.</span>
            </div>
          ) : null}
          <fieldset>
            <legend>Member role</legend>
            {([MemberType.User, MemberType.Admin, MemberType.Owner, MemberType.Custom] as MemberType[]).map((t) => (
              <div key={t} className="field field-check">
                <input id={`${roleName}-${t}`} type="radio" name={roleName} checked={type === t} onChange={() => setType(t)} />
                <label htmlFor={`${roleName}-${t}`}>
                  {MEMBER_TYPE_LABELS[t]} <span className="hint">{MEMBER_TYPE_HINTS[t]}</span>
                </label>
              </div>
            ))}
          </fieldset>
          {type === MemberType.Custom ? (
            <fieldset>
              <legend>Custom permissions</legend>
              {PERMISSIONS.map(([name, label]) => (
                <div key={name} className="field field-check">
                  <input
                    id={`${roleName}-${name}`}
                    type="checkbox"
                    checked={Boolean(permissions[name])}
                    onChange={(e) => setPermissions({ ...permissions, [name]: e.target.checked })}
                  />
                  <label htmlFor={`${roleName}-${name}`}>{label}</label>
                </div>
              ))}
            </fieldset>
          ) : null}
        </div>
        <div role="tabpanel" hidden={tab !== "groups"}>
          <AccessEditor
            caption="Groups"
            membershipOnly
            candidates={(groups.data ?? []).map((g) => ({ id: g.id, label: g.name }))}
            value={memberGroups}
            onChange={setMemberGroups}
            empty="This organization has no groups."
          />
        </div>
        <div role="tabpanel" hidden={tab !== "collections"}>
          {type === MemberType.Owner || type === MemberType.Admin ? (
            <p className="hint">Owners and admins can manage every collection; access set here also applies.</p>
          ) : null}
          <AccessEditor
            caption="Collection access"
            candidates={collectionCandidates(collections.data ?? [])}
            value={access}
            onChange={setAccess}
            empty="This organization has no collections."
          />
        </div>
        <FormFooter error={error} onCancel={props.onClose} busy={busy} submitLabel={editing ? "Save" : "Invite"}>
          {editing ? (
            <>
              <Button type="button" onClick={() => props.onAction(editing.status === MemberStatus.Revoked ? "restore" : "revoke", editing)}>
                {editing.status === MemberStatus.Revoked ? "Restore access" : "Revoke access"}
              </Button>
              <Button type="button" variant="danger" onClick={() => props.onAction("remove", editing)}>
                Remove
              </Button>
            </>
          ) : null}
        </FormFooter>
      </form>
    </Modal>
  );
}

function ConfirmDialog(props: { members: Member[]; onClose: () => void; onDone: (message: string) => void }) {
  const { orgId, orgKey } = useOrg();
  const [ready, setReady] = useState<Confirmation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const names = new Map(props.members.map((m) => [m.id, m.name || m.email]));

  useEffect(() => {
    void (async () => {
      try {
        const [rows, key] = await Promise.all([publicKeys(orgId, props.members.map((m) => m.id)), orgKey()]);
        setReady(await Promise.all(rows.map((row) => prepareConfirmation(row, key))));
      } catch (caught) {
        setError(caught instanceof Error ? caught.message : "The members' public keys could not be read.");
      }
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function confirm() {
    if (!ready) return;
    setBusy(true);
    try {
      if (ready.length === 1) {
        await confirmMember(orgId, ready[0]!.memberId, ready[0]!.key);
        props.onDone(`Confirmed ${names.get(ready[0]!.memberId)}.`);
      } else {
        const failed = (await bulkConfirm(orgId, ready.map((r) => ({ id: r.memberId, key: r.key })))).filter((r) => r.error);
        props.onDone(failed.length ? `${failed.length} of ${ready.length} could not be confirmed.` : `Confirmed ${ready.length} members.`);
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "The confirmation failed.");
      setBusy(false);
    }
  }

  const title = props.members.length === 1 ? "Confirm member" : "Confirm members";
  return (
    <Modal label={title} onClose={props.onClose} wide>
      <h2>{title}</h2>
      <p>
        To keep your organization's data safe, check that each phrase matches the one the member sees in their account
        settings before you confirm. Confirming hands them the organization key, encrypted to their public key.{" "}
        <a href="https://bitwarden.com/help/fingerprint-phrase/" target="_blank" rel="noreferrer">
          Learn more about fingerprint phrases
        </a>
      </p>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {ready === null && !error ? <p role="status">Reading public keys…</p> : null}
      {ready !== null ? (
        <table className="data">
          <caption className="ui-visually-hidden">Fingerprint phrases</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Fingerprint phrase</th>
            </tr>
          </thead>
          <tbody>
            {ready.map((r) => (
              <tr key={r.memberId}>
                <td>{names.get(r.memberId) ?? r.userId}</td>
                <td className="fingerprint">{r.fingerprint}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {ready !== null && ready.length < props.members.length ? (
        <p className="hint">{props.members.length - ready.length} selected member(s) cannot be confirmed now (not accepted yet).</p>
      ) : null}
      <div className="actions">
        <Button type="button" variant="primary" onClick={() => void confirm()} disabled={!ready?.length || busy}>
          Confirm
        </Button>
        <Button type="button" onClick={props.onClose}>
          Cancel
        </Button>
      </div>
    </Modal>
  );
}

/** Recover account: the admin chooses the member's new master password; the keys are made here (recovery.ts). */
function RecoverDialog(props: { member: Member; onClose: () => void; onDone: (message: string) => void }) {
  const { orgId, orgKey } = useOrg();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const who = props.member.name || props.member.email;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password.length < MIN_MASTER_PASSWORD_LENGTH) return setError(`Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters.`);
    if (password !== confirm) return setError("The passwords do not match.");
    setError(null);
    setBusy(true);
    try {
      const [details, key] = await Promise.all([resetPasswordDetails(orgId, props.member.id), orgKey()]);
      await resetPassword(orgId, props.member.id, await prepareRecovery(details, key, props.member.email, password));
      props.onDone(`Recovered the account of ${who}: they must choose their own master password when they log in.`);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "The account could not be recovered.");
      setBusy(false);
    }
  }

  return (
    <Modal label="Recover account" onClose={props.onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2>Recover account</h2>
        <Callout tone="warning">
          {who} will be logged out of every session and must log in with this password, then choose their own. Share
          it with them securely.
        </Callout>
        <PasswordField
          label="New master password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          hint={`At least ${MIN_MASTER_PASSWORD_LENGTH} characters.`}
        />
        <PasswordField
          label="Confirm new master password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(event) => setConfirm(event.target.value)}
        />
        <FormFooter error={error} onCancel={props.onClose} busy={busy} submitLabel={busy ? "Recovering…" : "Save"} />
      </form>
    </Modal>
  );
}
