// Loading hooks the console pages share: the org's collections with decrypted names, members, groups.

import { useCallback, useEffect, useState } from "react";
import { type CollectionDetails, type GroupDetails, type Member, listCollectionDetails, listGroups, listMembers } from "./api";
import { useOrg } from "./context";

export interface OrgCollection extends Omit<CollectionDetails, "name"> {
  name: string; // decrypted
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => Promise<void>;
}

function useLoader<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const reload = useCallback(async () => {
    try {
      setData(await load());
      setError(null);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

export function useOrgCollections(): Loaded<OrgCollection[]> {
  const { orgId, orgKey } = useOrg();
  return useLoader(async () => {
    const [details, key] = await Promise.all([listCollectionDetails(orgId), orgKey()]);
    const named = await Promise.all(
      details.map(async (c) => ({ ...c, name: await key.decryptString(c.name).catch(() => "[error: cannot decrypt]") })),
    );
    return named.sort((a, b) => a.name.localeCompare(b.name));
  }, [orgId, orgKey]);
}

export function useMembers(): Loaded<Member[]> {
  const { orgId } = useOrg();
  return useLoader(() => listMembers(orgId), [orgId]);
}

export function useGroups(enabled = true): Loaded<GroupDetails[]> {
  const { orgId } = useOrg();
  return useLoader(async () => (enabled ? listGroups(orgId) : []), [orgId, enabled]);
}
