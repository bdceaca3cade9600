// The org vault: every item of the organization (as its admins and provider users see them), add, edit,
// delete and restore, filtered by collection.

import { useMemo } from "react";
import { EFF_LONG_WORD_LIST } from "../../lib/crypto/wordlist";
import type { Collection } from "../vault/api";
import { VaultBrowser } from "../vault/VaultBrowser";
import { useOrg } from "./context";
import { useOrgCollections } from "./useOrgData";

export default function OrgVault() {
  const { orgId, entry, vault, keys, provider } = useOrg();
  const collections = useOrgCollections();
  const orgs = useMemo(() => [{ id: orgId, name: entry.name }], [orgId, entry.name]);
  const usable: Collection[] = useMemo(
    () => (collections.data ?? []).map((c) => ({ ...c, readOnly: false })),
    [collections.data],
  );
  // A provider user sees a client's items only where the provider's setting lets them (the sync then has none).
  const synced = vault.sync?.profile.organizations.find((o) => o.id === orgId) as { allowAdminAccessToAllCollectionItems?: boolean } | undefined;
  const providerWithoutItems = provider !== null && synced?.allowAdminAccessToAllCollectionItems === false;
  return (
    <>
      {collections.error ? (
        <p role="alert" className="error">
          {collections.error}
        </p>
      ) : null}
      {providerWithoutItems ? (
        <p className="callout">Your provider's setting for this client does not give provider users access to its items.</p>
      ) : null}
      <VaultBrowser
        state={vault}
        userId={keys.userId}
        heading="Vault"
        headingLevel={2}
        orgs={orgs}
        onlyOrg={orgId}
        collections={usable}
        readOnly={providerWithoutItems}
        wordList={EFF_LONG_WORD_LIST}
      />
    </>
  );
}
