// Groups: a name, its members, and the collections it reaches at one of the five access levels.

import { type FormEvent, useId, useState } from "react";
import { type AccessLevel, accessLabel, levelsOf, selections } from "../../lib/org/access";
import { buildTree, flatten } from "../../lib/vault/tree";
import { Confirm, Modal } from "../vault/components/Modal";
import { AccessEditor, Tabs } from "./AccessEditor";
import { type GroupDetails, createGroup, deleteGroup, updateGroup } from "./api";
import { useOrg } from "./context";
import { LoadState } from "./LoadState";
import { useGroups, useMembers, useOrgCollections } from "./useOrgData";
import { Button, FormFooter } from "../../ui";

export default function Groups() {
  const { orgId, entry } = useOrg();
  const groups = useGroups();
  const collections = useOrgCollections();
  const [editing, setEditing] = useState<GroupDetails | "new" | null>(null);
  const [deleting, setDeleting] = useState<GroupDetails | null>(null);
  const names = new Map((collections.data ?? []).map((c) => [c.id, c.name]));
  return (
    <section aria-labelledby="groups-heading">
      <div className="toolbar">
        <h2 id="groups-heading">Groups</h2>
        <Button type="button" variant="primary" onClick={() => setEditing("new")}>
          New group
        </Button>
      </div>
      <LoadState loaded={groups} loading="Loading groups…" empty={`${entry.name} has no groups yet.`} />
      {groups.data?.length ? (
        <table className="data">
          <caption className="ui-visually-hidden">Groups of {entry.name}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Members</th>
              <th scope="col">Collections</th>
              <th scope="col">
                <span className="ui-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.data.map((g) => (
              <tr key={g.id}>
                <td>
                  <Button type="button" variant="link" onClick={() => setEditing(g)}>
                    {g.name}
                  </Button>
                </td>
                <td>{g.users.length}</td>
                <td>
                  {g.collections.length
                    ? g.collections.map((c) => `${names.get(c.id) ?? "…"} (${accessLabel(c)})`).join(", ")
                    : "None"}
                </td>
                <td>
                  <Button type="button" variant="danger" aria-label={`Delete group ${g.name}`} onClick={() => setDeleting(g)}>
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing !== null ? (
        <GroupDialog
          group={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await groups.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <Confirm
          title="Delete group"
          message={`Delete "${deleting.name}"? Its members lose the access it gave them.`}
          action="Delete group"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteGroup(orgId, deleting.id);
            await groups.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function GroupDialog(props: { group: GroupDetails | null; onClose: () => void; onSaved: () => Promise<void> }) {
  const { orgId } = useOrg();
  const members = useMembers();
  const collections = useOrgCollections();
  const [tab, setTab] = useState<"info" | "members" | "collections">("info");
  const [name, setName] = useState(props.group?.name ?? "");
  const [externalId, setExternalId] = useState(props.group?.externalId ?? "");
  const [users, setUsers] = useState<Map<string, AccessLevel>>(() => new Map((props.group?.users ?? []).map((id) => [id, "view" as AccessLevel])));
  const [access, setAccess] = useState<Map<string, AccessLevel>>(() => levelsOf(props.group?.collections));
  const [error, setError] = useState<string | null>(null);
  const ids = { name: useId(), external: useId() };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim() === "") {
      setTab("info");
      return setError("The group needs a name.");
    }
    const body = { name: name.trim(), externalId: externalId.trim() || null, collections: selections(access), users: [...users.keys()] };
    try {
      if (props.group) await updateGroup(orgId, props.group.id, body);
      else await createGroup(orgId, body);
      await props.onSaved();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "The group could not be saved.");
    }
  }

  const title = props.group ? `Edit group ${props.group.name}` : "New group";
  return (
    <Modal label={title} onClose={props.onClose} wide>
      <form onSubmit={submit}>
        <h2>{title}</h2>
        <Tabs
          label="Group"
          tabs={[
            ["info", "Group info"],
            ["members", "Members"],
            ["collections", "Collections"],
          ]}
          current={tab}
          onSelect={setTab}
        />
        <div role="tabpanel" hidden={tab !== "info"}>
          <div className="field">
            <label htmlFor={ids.name}>Name</label>
            <input id={ids.name} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.external}>External ID</label>
            <input id={ids.external} value={externalId} maxLength={300} onChange={(e) => setExternalId(e.target.value)} />
          </div>
        </div>
        <div role="tabpanel" hidden={tab !== "members"}>
          <AccessEditor
            caption="Group members"
            membershipOnly
            candidates={(members.data ?? []).map((m) => ({ id: m.id, label: m.name || m.email, detail: m.name ? m.email : undefined }))}
            value={users}
            onChange={setUsers}
            empty="No members yet."
          />
        </div>
        <div role="tabpanel" hidden={tab !== "collections"}>
          <AccessEditor
            caption="Collection access"
            candidates={flatten(buildTree(collections.data ?? [])).flatMap(({ node, depth }) =>
              node.item ? [{ id: node.item.id, label: node.label, depth, detail: depth ? node.path : undefined }] : [],
            )}
            value={access}
            onChange={setAccess}
            empty="This organization has no collections."
          />
        </div>
        <FormFooter error={error} onCancel={props.onClose} />
      </form>
    </Modal>
  );
}
