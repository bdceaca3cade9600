// The filter sidebar (portal-ux §3.1): vaults, All items / Favorites / types, folders, collections, trash.

import type { ReactNode } from "react";
import { type VaultOwner, type VaultSelection, sameSelection } from "../../../lib/vault/filters";
import { type TreeNode, flatten, idsUnder } from "../../../lib/vault/tree";
import { CIPHER_TYPE_LABELS, type CipherType } from "../../../lib/vault/types";
import { Button } from "../../../ui";

export interface SidebarCollection {
  id: string;
  name: string;
  organizationId: string;
}

export interface SidebarOrg {
  id: string;
  name: string;
  collections: TreeNode<SidebarCollection>[];
}

function FilterButton(props: { active: boolean; onClick: () => void; depth?: number; children: ReactNode; onEdit?: () => void; editLabel?: string }) {
  return (
    <li className={`depth-${Math.min(props.depth ?? 0, 6)}`}>
      <button type="button" className={props.active ? "filter active" : "filter"} aria-current={props.active ? "true" : undefined} onClick={props.onClick}>
        {props.children}
      </button>
      {props.onEdit ? (
        <button type="button" className="icon-button" aria-label={props.editLabel} onClick={props.onEdit}>
          Edit
        </button>
      ) : null}
    </li>
  );
}

export function Sidebar(props: {
  owner: VaultOwner;
  onOwner?: (owner: VaultOwner) => void;
  selection: VaultSelection;
  onSelect: (selection: VaultSelection) => void;
  orgs: readonly SidebarOrg[];
  folders?: TreeNode<{ id: string; name: string }>[];
  onEditFolder?: (folder: { id: string; name: string }) => void;
  onNewFolder?: () => void;
  showPersonal?: boolean;
}) {
  const is = (s: VaultSelection) => sameSelection(props.selection, s);
  const collectionOrgs = props.owner === "all" || props.owner === "personal" ? props.orgs : props.orgs.filter((o) => o.id === props.owner);
  return (
    <nav className="vault-filters" aria-label="Vault filters">
      {props.onOwner ? (
        <section>
          <h3>Vaults</h3>
          <ul>
            <FilterButton active={props.owner === "all"} onClick={() => props.onOwner?.("all")}>
              All vaults
            </FilterButton>
            {props.showPersonal !== false ? (
              <FilterButton active={props.owner === "personal"} onClick={() => props.onOwner?.("personal")}>
                My vault
              </FilterButton>
            ) : null}
            {props.orgs.map((o) => (
              <FilterButton key={o.id} active={props.owner === o.id} onClick={() => props.onOwner?.(o.id)}>
                {o.name}
              </FilterButton>
            ))}
          </ul>
        </section>
      ) : null}
      <section>
        <h3>Items</h3>
        <ul>
          <FilterButton active={is({ kind: "all" })} onClick={() => props.onSelect({ kind: "all" })}>
            All items
          </FilterButton>
          <FilterButton active={is({ kind: "favorites" })} onClick={() => props.onSelect({ kind: "favorites" })}>
            Favorites
          </FilterButton>
          {([1, 3, 4, 2, 5] as CipherType[]).map((type) => (
            <FilterButton key={type} active={is({ kind: "type", type })} onClick={() => props.onSelect({ kind: "type", type })}>
              {CIPHER_TYPE_LABELS[type]}
            </FilterButton>
          ))}
        </ul>
      </section>
      {props.folders ? (
        <section>
          <h3>Folders</h3>
          <ul>
            {flatten(props.folders).map(({ node, depth }) => (
              <FilterButton
                key={node.item?.id ?? `path:${node.path}`}
                depth={depth}
                active={node.item !== null && is({ kind: "folder", folderId: node.item.id })}
                onClick={() => node.item && props.onSelect({ kind: "folder", folderId: node.item.id })}
                onEdit={node.item && props.onEditFolder ? () => node.item && props.onEditFolder?.(node.item) : undefined}
                editLabel={`Edit folder ${node.label}`}
              >
                {node.label}
              </FilterButton>
            ))}
            <FilterButton active={is({ kind: "folder", folderId: null })} onClick={() => props.onSelect({ kind: "folder", folderId: null })}>
              No folder
            </FilterButton>
          </ul>
          {props.onNewFolder ? <Button onClick={props.onNewFolder}>New folder</Button> : null}
        </section>
      ) : null}
      {collectionOrgs.some((o) => o.collections.length > 0) ? (
        <section>
          <h3>Collections</h3>
          {collectionOrgs.map((org) =>
            org.collections.length ? (
              <div key={org.id}>
                {collectionOrgs.length > 1 ? <h4>{org.name}</h4> : null}
                <ul>
                  {flatten(org.collections).map(({ node, depth }) => {
                    const selection: VaultSelection = { kind: "collection", collectionIds: idsUnder(node), label: node.path };
                    return (
                      <FilterButton key={`${org.id}:${node.item?.id ?? node.path}`} depth={depth} active={is(selection)} onClick={() => props.onSelect(selection)}>
                        {node.label}
                      </FilterButton>
                    );
                  })}
                </ul>
              </div>
            ) : null,
          )}
        </section>
      ) : null}
      <section>
        <ul>
          <FilterButton active={is({ kind: "trash" })} onClick={() => props.onSelect({ kind: "trash" })}>
            Trash
          </FilterButton>
        </ul>
      </section>
    </nav>
  );
}
