// Import and export of the organization's vault, as `bw import bitwardenjson --organizationid` and `bw export
// --organizationid --format json` do it: the same routes, the same file. The file is read and written here; every
// item is encrypted (import) or decrypted (export) in the browser with the org key, never on the server.

import { type ChangeEvent, useId, useState } from "react";
import { API_ORIGIN, ApiError, authorizedFetch, readBody } from "../../lib/api/client";
import { ImportFileError, type ExportCollection, parseBitwardenJson, toBitwardenJson } from "../../lib/vault/bitwardenJson";
import { decryptCipher, encryptCipher } from "../../lib/vault/cipher";
import type { CipherWire, CollectionWire } from "../../lib/vault/types";
import { Button, useToast } from "../../ui";
import { vaultStore } from "../vault/store";
import { useOrg } from "./context";

function problem(caught: unknown): string {
  if (caught instanceof ImportFileError) return caught.message;
  if (caught instanceof ApiError) return caught.message;
  return caught instanceof Error ? caught.message : String(caught);
}

async function send(method: string, path: string, body?: unknown): Promise<unknown> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const response = await authorizedFetch(new Request(`${API_ORIGIN}${path}`, init));
  const read = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, read, response.headers.get("X-Correlation-Id"));
  return read;
}

export default function ImportExport() {
  const { orgId, entry, vault, orgKey } = useOrg();
  const toast = useToast();
  const fileId = useId();
  const [busy, setBusy] = useState<"import" | "export" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function exportVault() {
    const ring = vault.ring;
    if (ring === null) return;
    setBusy("export");
    setError(null);
    setDone(null);
    try {
      const body = (await send("GET", `/api/organizations/${orgId}/export`)) as { collections: CollectionWire[]; ciphers: CipherWire[] };
      const key = await orgKey();
      const collections: ExportCollection[] = await Promise.all(
        body.collections.map(async (c) => ({ id: c.id, organizationId: c.organizationId, name: await key.decryptString(c.name), externalId: c.externalId })),
      );
      const items = await Promise.all(body.ciphers.map((wire) => decryptCipher(wire, ring)));
      const file = toBitwardenJson(collections, items);
      const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: "application/json" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `bitwarden_org_export_${new Date().toISOString().slice(0, 10)}.json`;
      link.click();
      URL.revokeObjectURL(url);
      setDone(`Exported ${file.items.length} items and ${file.collections.length} collections.`);
      toast(`Exported ${file.items.length} items.`);
    } catch (caught) {
      setError(problem(caught));
    } finally {
      setBusy(null);
    }
  }

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    const ring = vault.ring;
    if (file === undefined || ring === null) return;
    setBusy("import");
    setError(null);
    setDone(null);
    try {
      const parsed = parseBitwardenJson(await file.text(), orgId);
      const key = await orgKey();
      const [ciphers, collections] = await Promise.all([
        Promise.all(parsed.items.map(({ plain }) => encryptCipher(plain, ring, { encryptedFor: vault.sync?.profile.id }))),
        Promise.all(parsed.collections.map(async (c) => ({ id: c.id, name: await key.encryptString(c.name), externalId: c.externalId }))),
      ]);
      const collectionRelationships = parsed.items.flatMap((item, n) => item.collections.map((c) => ({ key: n, value: c })));
      await send("POST", `/api/ciphers/import-organization?organizationId=${orgId}`, { ciphers, collections, collectionRelationships });
      setDone(`Imported ${ciphers.length} items into ${collections.length} collections.`);
      toast(`Imported ${ciphers.length} items.`);
      await vaultStore.reload();
    } catch (caught) {
      setError(problem(caught));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby={`${fileId}-heading`}>
      <h2 id={`${fileId}-heading`}>Import and export</h2>
      <p className="hint">
        A Bitwarden JSON file (unencrypted), as <code>bw export --organizationid … --format json</code> writes it. Items are
        encrypted and decrypted in this browser with {entry.name}'s key.
      </p>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {done ? <p role="status">{done}</p> : null}
      <h3>Import</h3>
      <label htmlFor={fileId}>Bitwarden JSON file to import into {entry.name}</label>{" "}
      <input id={fileId} type="file" accept=".json,application/json" disabled={busy !== null} onChange={importFile} />
      {busy === "import" ? <p role="status">Importing…</p> : null}
      <h3>Export</h3>
      <Button onClick={exportVault} disabled={busy !== null || vault.ring === null}>
        {busy === "export" ? "Exporting…" : "Export the organization's vault (.json)"}
      </Button>
    </section>
  );
}
