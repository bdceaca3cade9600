// My Vault (route /vault): the member's personal items beside the items of every organization they belong to,
// with folders for personal items and per-organization collection filters (issue 9 §5).

import { type FormEvent, useId, useMemo, useState } from "react";
import { EFF_LONG_WORD_LIST } from "../../lib/crypto/wordlist";
import { type Folder, createFolder, deleteFolder, renameFolder } from "./api";
import { Confirm, Modal } from "./components/Modal";
import { type VaultKeys, useVault, vaultStore } from "./store";
import { VaultBrowser } from "./VaultBrowser";
import "./vault.css";
import { Button, FormFooter } from "../../ui";

const CONFIRMED = 2;

export function MyVault(props: { keys: VaultKeys }) {
  const state = useVault(props.keys);
  const [folderDialog, setFolderDialog] = useState<Folder | "new" | null>(null);
  const orgs = useMemo(
    () =>
      (state.sync?.profile.organizations ?? [])
        .filter((o) => o.status === CONFIRMED && o.enabled !== false && !o.isProviderUser)
        .map((o) => ({ id: o.id, name: o.name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [state.sync],
  );
  const memberOrgs = new Set(orgs.map((o) => o.id));
  const collections = state.collections.filter((c) => memberOrgs.has(c.organizationId));
  return (
    <div className="my-vault">
      <VaultBrowser
        state={state}
        userId={props.keys.userId}
        heading="My vault"
        orgs={orgs}
        collections={collections}
        folders={state.folders}
        onEditFolder={setFolderDialog}
        onNewFolder={() => setFolderDialog("new")}
        wordList={EFF_LONG_WORD_LIST}
      />
      {folderDialog !== null ? <FolderDialog folder={folderDialog === "new" ? null : folderDialog} onClose={() => setFolderDialog(null)} /> : null}
    </div>
  );
}

function FolderDialog(props: { folder: Folder | null; onClose: () => void }) {
  const [name, setName] = useState(props.folder?.name ?? "");
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const id = useId();
  const ring = vaultStore.state.ring;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim() === "") return setError("The folder needs a name.");
    if (ring === null) return setError("The vault is locked.");
    try {
      const userKey = await ring.keyFor(null);
      const saved = props.folder ? await renameFolder(props.folder.id, name.trim(), userKey) : await createFolder(name.trim(), userKey);
      const others = vaultStore.state.folders.filter((f) => f.id !== saved.id);
      vaultStore.setFolders([...others, { id: saved.id, name: name.trim() }]);
      props.onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "The folder could not be saved.");
    }
  }

  if (confirming && props.folder) {
    const folder = props.folder;
    return (
      <Confirm
        title="Delete folder"
        message={`Delete "${folder.name}"? Its items stay in your vault, without a folder.`}
        action="Delete folder"
        danger
        onClose={props.onClose}
        onConfirm={async () => {
          await deleteFolder(folder.id);
          vaultStore.setFolders(vaultStore.state.folders.filter((f) => f.id !== folder.id));
          await vaultStore.reload();
        }}
      />
    );
  }
  return (
    <Modal label={props.folder ? "Edit folder" : "New folder"} onClose={props.onClose}>
      <form onSubmit={submit}>
        <h2>{props.folder ? "Edit folder" : "New folder"}</h2>
        <div className="field">
          <label htmlFor={id}>Name</label>
          <input id={id} value={name} onChange={(e) => setName(e.target.value)} autoFocus required />
          <span className="hint">Nest a folder under another with "/", e.g. "Work/Servers".</span>
        </div>
        <FormFooter error={error} onCancel={props.onClose}>
          {props.folder ? (
            <Button type="button" variant="danger" onClick={() => setConfirming(true)}>
              Delete
            </Button>
          ) : null}
        </FormFooter>
      </form>
    </Modal>
  );
}
