// The vault screen both My Vault and the admin console's org vault show: filters, search, the item list, and
// the item dialogs (view, add, edit, move to trash, restore, delete).

import { useDeferredValue, useMemo, useState } from "react";
import { newCipher } from "../../lib/vault/cipher";
import { type VaultOwner, type VaultSelection, applyFilters, selectionLabel } from "../../lib/vault/filters";
import type { ItemSummary } from "../../lib/vault/summary";
import { buildTree } from "../../lib/vault/tree";
import { CIPHER_TYPE_LABELS, type CipherContent, type PlainCipher } from "../../lib/vault/types";
import { type Collection, type Folder, deleteItem, restoreItem, saveItem, trashItem } from "./api";
import { ItemForm, type OwnerOption } from "./components/ItemForm";
import { ItemList } from "./components/ItemList";
import { ItemView } from "./components/ItemView";
import { Confirm, Modal } from "./components/Modal";
import { Sidebar, type SidebarOrg } from "./components/Sidebar";
import { type VaultState, vaultStore } from "./store";

type Dialog =
  | { kind: "view"; item: PlainCipher }
  | { kind: "edit"; item: PlainCipher; before: PlainCipher | null }
  | { kind: "confirm-delete"; item: PlainCipher }
  | null;

export interface BrowserOrg {
  id: string;
  name: string;
}

export function VaultBrowser(props: {
  state: VaultState;
  userId: string;
  /** Organizations whose items and collections show (My Vault: every one the user belongs to). */
  orgs: readonly BrowserOrg[];
  /** The collections items can be put in, per org (My Vault: the caller's; the console: all of the org's). */
  collections: readonly Collection[];
  /** Only this organization's items (the admin console); otherwise personal and org items side by side. */
  onlyOrg?: string;
  heading: string;
  /** 1 on its own page (My Vault); 2 under the admin console's organization heading. */
  headingLevel?: 1 | 2;
  folders?: readonly Folder[];
  onEditFolder?: (folder: Folder) => void;
  onNewFolder?: () => void;
  /** Creating items is not offered (a provider user without access to the client's items). */
  readOnly?: boolean;
  wordList?: readonly string[];
}) {
  const { state } = props;
  const [owner, setOwner] = useState<VaultOwner>(props.onlyOrg ?? "all");
  const [selection, setSelection] = useState<VaultSelection>({ kind: "all" });
  const [search, setSearch] = useState("");
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const deferredSearch = useDeferredValue(search);

  const orgNames = useMemo(() => new Map(props.orgs.map((o) => [o.id, o.name])), [props.orgs]);
  const ownerName = (orgId: string | null) => (orgId === null ? "Me" : (orgNames.get(orgId) ?? "Organization"));
  const scoped = useMemo(
    () => (props.onlyOrg ? state.items.filter((i) => i.organizationId === props.onlyOrg) : state.items.filter((i) => i.organizationId === null || orgNames.has(i.organizationId))),
    [state.items, props.onlyOrg, orgNames],
  );
  const shown = useMemo(() => applyFilters(scoped, owner, selection, deferredSearch), [scoped, owner, selection, deferredSearch]);
  const sidebarOrgs: SidebarOrg[] = useMemo(
    () =>
      props.orgs.map((o) => ({
        id: o.id,
        name: o.name,
        collections: buildTree(props.collections.filter((c) => c.organizationId === o.id)),
      })),
    [props.orgs, props.collections],
  );
  const folderTree = useMemo(() => (props.folders ? buildTree(props.folders) : undefined), [props.folders]);
  const collectionNames = new Map(props.collections.map((c) => [c.id, c.name]));
  const writableCollections = props.collections.map((c) => ({ ...c, readOnly: props.onlyOrg ? false : c.readOnly && !c.manage }));
  // An item can go into an organization only through a collection the caller may add to.
  const canAddTo = new Set(writableCollections.filter((c) => !c.readOnly).map((c) => c.organizationId));
  const owners: OwnerOption[] = [
    ...(props.onlyOrg ? [] : [{ id: null, name: "Me (My vault)" }]),
    ...props.orgs
      .filter((o) => (props.onlyOrg ? o.id === props.onlyOrg : canAddTo.has(o.id)))
      .map((o) => ({ id: o.id, name: o.name })),
  ];

  async function open(summary: ItemSummary) {
    setError(null);
    try {
      setDialog({ kind: "view", item: await vaultStore.open(summary) });
    } catch {
      setError(`"${summary.name}" cannot be decrypted.`);
    }
  }

  function startNew(type: CipherContent["type"]) {
    const orgId = props.onlyOrg ?? (owner !== "all" && owner !== "personal" ? owner : null);
    const inCollection = selection.kind === "collection" ? selection.collectionIds.slice(0, 1) : [];
    const folderId = selection.kind === "folder" ? selection.folderId : null;
    setDialog({ kind: "edit", item: newCipher(type, { organizationId: orgId, collectionIds: orgId ? inCollection : [], folderId }), before: null });
  }

  async function save(item: PlainCipher, before: PlainCipher | null) {
    if (state.ring === null) throw new Error("The vault is locked.");
    const wire = await saveItem(item, before, state.ring, props.userId);
    await vaultStore.put(wire);
    setDialog(null);
  }

  async function act(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
      setDialog(null);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "That did not work.");
    }
  }

  const label = selectionLabel(selection, (id) => props.folders?.find((f) => f.id === id)?.name);
  const Heading = props.headingLevel === 2 ? "h2" : "h1";
  return (
    <div className="vault">
      <Sidebar
        owner={owner}
        onOwner={props.onlyOrg ? undefined : setOwner}
        selection={selection}
        onSelect={setSelection}
        orgs={sidebarOrgs}
        folders={folderTree}
        onEditFolder={props.onEditFolder}
        onNewFolder={props.onNewFolder}
      />
      <section className="vault-main" aria-labelledby="vault-heading">
        <header className="vault-header">
          <Heading id="vault-heading">
            {props.heading} <span className="hint">— {label}</span>
          </Heading>
          <div className="vault-tools">
            <label className="search">
              <span className="ui-visually-hidden">Search {label.toLowerCase()}</span>
              <input type="search" placeholder={`Search ${label.toLowerCase()}`} value={search} onChange={(e) => setSearch(e.target.value)} />
            </label>
            {!props.readOnly && selection.kind !== "trash" ? (
              <label>
                <span className="ui-visually-hidden">New item</span>
                <select
                  aria-label="New item"
                  value=""
                  onChange={(e) => {
                    if (e.target.value) startNew(Number(e.target.value) as CipherContent["type"]);
                  }}
                >
                  <option value="">New item…</option>
                  {([1, 3, 4, 2, 5] as const).map((t) => (
                    <option key={t} value={t}>
                      {CIPHER_TYPE_LABELS[t]}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
        </header>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        {state.status === "loading" ? <p role="status">Loading the vault…</p> : null}
        {state.status === "error" ? (
          <p role="alert" className="error">
            The vault could not be loaded: {state.error}
          </p>
        ) : null}
        {state.pending > 0 ? (
          <p role="status" className="hint">
            Decrypting {state.pending} more items…
          </p>
        ) : null}
        {state.status === "ready" ? (
          <>
            <p className="hint" aria-live="polite">
              {shown.length} {shown.length === 1 ? "item" : "items"}
            </p>
            <ItemList
              items={shown}
              caption={`${props.heading}: ${label}`}
              resetKey={`${owner}|${JSON.stringify(selection)}|${deferredSearch}`}
              ownerName={ownerName}
              onOpen={(item) => void open(item)}
              copyPassword={async (summary) => {
                const item = await vaultStore.open(summary);
                return item.type === 1 && item.viewPassword ? item.login.password : null;
              }}
            />
          </>
        ) : null}
      </section>
      {dialog?.kind === "view" ? (
        <Modal label={dialog.item.name} onClose={() => setDialog(null)} wide>
          <ItemView
            item={dialog.item}
            ownerName={ownerName(dialog.item.organizationId)}
            folderName={props.folders?.find((f) => f.id === dialog.item.folderId)?.name ?? null}
            collectionNames={dialog.item.collectionIds.map((id) => collectionNames.get(id) ?? "").filter(Boolean)}
            onClose={() => setDialog(null)}
            onEdit={props.readOnly ? undefined : () => setDialog({ kind: "edit", item: dialog.item, before: dialog.item })}
            onDelete={() =>
              dialog.item.deletedDate
                ? setDialog({ kind: "confirm-delete", item: dialog.item })
                : void act(async () => {
                    await trashItem(dialog.item.id!);
                    vaultStore.markDeleted(dialog.item.id!, true);
                  })
            }
            onRestore={() =>
              void act(async () => {
                await vaultStore.put(await restoreItem(dialog.item.id!));
              })
            }
          />
          {error ? (
            <p role="alert" className="error">
              {error}
            </p>
          ) : null}
        </Modal>
      ) : null}
      {dialog?.kind === "edit" ? (
        <Modal label={dialog.before ? `Edit ${dialog.item.name}` : "New item"} onClose={() => setDialog(null)} wide>
          <ItemForm
            initial={dialog.item}
            owners={owners}
            ownerFixed={Boolean(props.onlyOrg)}
            folders={props.folders ?? []}
            collections={writableCollections}
            wordList={props.wordList}
            onCancel={() => setDialog(dialog.before ? { kind: "view", item: dialog.before } : null)}
            onSave={(item) => save(item, dialog.before)}
          />
        </Modal>
      ) : null}
      {dialog?.kind === "confirm-delete" ? (
        <Confirm
          title="Delete permanently"
          message={`"${dialog.item.name}" will be deleted for good. This cannot be undone.`}
          action="Delete permanently"
          danger
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await deleteItem(dialog.item.id!);
            vaultStore.remove(dialog.item.id!);
          }}
        />
      ) : null}
    </div>
  );
}
