// Collections: nested by name ("Parent/Child"), each with who may reach it — members and groups at one of the
// five access levels. Names are encrypted with the org key before they are sent.

import { type FormEvent, useId, useMemo, useState } from "react";
import { type AccessLevel, levelsOf, selections } from "../../lib/org/access";
import { MEMBER_STATUS_LABELS, type MemberStatus } from "../../lib/org/roles";
import { buildTree, flatten, joinPath, splitPath } from "../../lib/vault/tree";
import { Confirm, Modal } from "../vault/components/Modal";
import { AccessEditor, Tabs } from "./AccessEditor";
import { createCollection, deleteCollection, updateCollection } from "./api";
import { useOrg } from "./context";
import { LoadState } from "./LoadState";
import { type OrgCollection, useGroups, useMembers, useOrgCollections } from "./useOrgData";
import { Button, FormFooter } from "../../ui";

export default function Collections() {
  const { entry } = useOrg();
  const collections = useOrgCollections();
  const [editing, setEditing] = useState<OrgCollection | "new" | null>(null);
  const [deleting, setDeleting] = useState<OrgCollection | null>(null);
  const { orgId } = useOrg();
  const rows = useMemo(() => flatten(buildTree(collections.data ?? [])), [collections.data]);
  return (
    <section aria-labelledby="collections-heading">
      <div className="toolbar">
        <h2 id="collections-heading">Collections</h2>
        <Button type="button" variant="primary" onClick={() => setEditing("new")}>
          New collection
        </Button>
      </div>
      <LoadState loaded={collections} loading="Loading collections…" empty={`${entry.name} has no collections yet.`} />
      {rows.length ? (
        <table className="data">
          <caption className="ui-visually-hidden">Collections of {entry.name}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Members</th>
              <th scope="col">Groups</th>
              <th scope="col">
                <span className="ui-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ node, depth }) => (
              <tr key={node.item?.id ?? `path:${node.path}`}>
                <td className={`depth-${Math.min(depth, 6)}`}>{node.label}</td>
                <td>{node.item?.users.length ?? ""}</td>
                <td>{node.item?.groups.length ?? ""}</td>
                <td>
                  {node.item ? (
                    <>
                      <Button type="button" onClick={() => setEditing(node.item)} aria-label={`Edit collection ${node.path}`}>
                        Edit
                      </Button>{" "}
                      <Button type="button" variant="danger" onClick={() => setDeleting(node.item)} aria-label={`Delete collection ${node.path}`}>
                        Delete
                      </Button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing !== null ? (
        <CollectionDialog
          collection={editing === "new" ? null : editing}
          all={collections.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await collections.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <Confirm
          title="Delete collection"
          message={`Delete "${deleting.name}"? Its items stay in the organization's vault.`}
          action="Delete collection"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteCollection(orgId, deleting.id);
            await collections.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function CollectionDialog(props: { collection: OrgCollection | null; all: OrgCollection[]; onClose: () => void; onSaved: () => Promise<void> }) {
  const { orgId, orgKey, entry, provider } = useOrg();
  const members = useMembers();
  const groups = useGroups(entry.useGroups !== false);
  const initial = props.collection ? splitPath(props.collection.name) : { parent: null, leaf: "" };
  const [tab, setTab] = useState<"info" | "access">("info");
  const [name, setName] = useState(initial.leaf);
  const [parent, setParent] = useState<string>(initial.parent ?? "");
  const [externalId, setExternalId] = useState(props.collection?.externalId ?? "");
  const [users, setUsers] = useState<Map<string, AccessLevel>>(() => {
    if (props.collection) return levelsOf(props.collection.users);
    // The creator gets Manage, as Bitwarden pre-adds them (not a provider user: they are not a member).
    const me = entry.organizationUserId;
    return new Map(me && !provider ? [[me, "manage" as AccessLevel]] : []);
  });
  const [groupLevels, setGroupLevels] = useState<Map<string, AccessLevel>>(() => levelsOf(props.collection?.groups));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { name: useId(), parent: useId(), external: useId() };
  const parents = props.all.filter((c) => c.id !== props.collection?.id && !c.name.startsWith(`${props.collection?.name ?? "\u0000"}/`));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim() === "") {
      setTab("info");
      return setError("The collection needs a name.");
    }
    setBusy(true);
    setError(null);
    try {
      const key = await orgKey();
      const body = {
        name: await key.encryptString(joinPath(parent || null, name)),
        externalId: externalId.trim() || null,
        users: selections(users),
        groups: selections(groupLevels),
      };
      if (props.collection) await updateCollection(orgId, props.collection.id, body);
      else await createCollection(orgId, body);
      await props.onSaved();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "The collection could not be saved.");
    } finally {
      setBusy(false);
    }
  }

  const memberRows = (members.data ?? [])
    .filter((m) => m.status !== -1)
    .map((m) => ({ id: m.id, label: m.name || m.email, detail: `${m.email} · ${MEMBER_STATUS_LABELS[m.status as MemberStatus] ?? ""}` }));
  return (
    <Modal label={props.collection ? "Edit collection" : "New collection"} onClose={props.onClose} wide>
      <form onSubmit={submit}>
        <h2>{props.collection ? "Edit collection" : "New collection"}</h2>
        <Tabs
          label="Collection"
          tabs={[
            ["info", "Collection info"],
            ["access", "Access"],
          ]}
          current={tab}
          onSelect={setTab}
        />
        <div role="tabpanel" hidden={tab !== "info"}>
          <div className="field">
            <label htmlFor={ids.name}>Name</label>
            <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} required maxLength={1000} />
          </div>
          <div className="field">
            <label htmlFor={ids.parent}>Nest collection under</label>
            <select id={ids.parent} value={parent} onChange={(e) => setParent(e.target.value)}>
              <option value="">No parent</option>
              {parents.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.external}>External ID</label>
            <input id={ids.external} value={externalId} onChange={(e) => setExternalId(e.target.value)} maxLength={300} />
          </div>
        </div>
        <div role="tabpanel" hidden={tab !== "access"}>
          <h3>Members</h3>
          {members.error ? <p className="error">{members.error}</p> : null}
          <AccessEditor caption="Member access" candidates={memberRows} value={users} onChange={setUsers} empty="No members yet." />
          {entry.useGroups !== false ? (
            <>
              <h3>Groups</h3>
              <AccessEditor
                caption="Group access"
                candidates={(groups.data ?? []).map((g) => ({ id: g.id, label: g.name }))}
                value={groupLevels}
                onChange={setGroupLevels}
                empty="No groups yet."
              />
            </>
          ) : null}
        </div>
        <FormFooter error={error} onCancel={props.onClose} busy={busy} />
      </form>
    </Modal>
  );
}
