/**
 * Clients: every client organization with its plan, seats used / seats and status; a search that filters as one
 * types, and one page of rows at a time (a provider may have 10,000 clients: only a page is ever rendered). New
 * client, add an existing organization, detach, and the per-client switch for provider access to items. A name
 * opens the client's admin console.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { AddExistingDialog } from "./AddExistingDialog";
import { indexClients, pageOf, searchClients, toClientRow, type ClientRow } from "./clientList";
import { useProvider, useProviderDeps } from "./context";
import { NewClientDialog } from "./NewClientDialog";
import { ErrorMessage, Loading, Modal, Status, messageOf } from "./parts";

type Dialog = { kind: "new" } | { kind: "existing" } | { kind: "detach"; client: ClientRow } | null;

export function ClientsPage() {
  const { providerId, access } = useProvider();
  const { api, session } = useProviderDeps();
  const [rows, setRows] = useState<ClientRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(params.get("search") ?? "");
  const [page, setPage] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const shownQuery = useDeferredValue(query);

  const load = useCallback(async () => {
    try {
      const details = await api.listClients(providerId);
      setRows(details.map((row) => toClientRow(row, session.organizationEnabled(row.organizationId) ?? true)));
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, [api, session, providerId]);

  useEffect(() => {
    void load();
  }, [load]);

  const index = useMemo(() => indexClients(rows ?? []), [rows]);
  const found = useMemo(() => searchClients(index, shownQuery), [index, shownQuery]);
  const shown = pageOf(found, page);

  function search(value: string) {
    setQuery(value);
    setPage(0);
    setParams(value ? { search: value } : {}, { replace: true });
  }

  async function changed(message: string) {
    setDialog(null);
    setStatus(message);
    await session.refresh();
    await load();
  }

  async function setItemAccess(client: ClientRow, allowed: boolean) {
    try {
      await api.setProviderAccessToItems(providerId, { id: client.id, seats: client.seats }, allowed);
      setRows((current) => current?.map((row) => (row.id === client.id ? { ...row, providerAccessToItems: allowed } : row)) ?? null);
      setStatus(`Provider access to the items of ${client.name} turned ${allowed ? "on" : "off"}.`);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  return (
    <section className="pv-page" aria-labelledby="pv-clients-title">
      <header className="pv-page-header">
        <h1 id="pv-clients-title">Clients</h1>
        <div className="pv-actions">
          <button type="button" className="pv-primary" onClick={() => setDialog({ kind: "new" })}>
            New client
          </button>
          <button type="button" onClick={() => setDialog({ kind: "existing" })}>
            Add existing organization
          </button>
        </div>
      </header>

      <div className="pv-toolbar">
        <label className="pv-search">
          <span>Search clients</span>
          <input type="search" value={query} onChange={(event) => search(event.target.value)} autoComplete="off" />
        </label>
      </div>

      <ErrorMessage error={error} />
      <Status message={status} />

      {rows === null && error === null ? (
        <Loading what="clients" />
      ) : rows !== null && rows.length === 0 ? (
        <p className="pv-empty">No clients yet. Create one with “New client”, or add an organization you own.</p>
      ) : (
        <>
          <table className="pv-table">
            <caption className="pv-visually-hidden">
              Client organizations{shownQuery ? ` matching “${shownQuery}”` : ""}, page {shown.page + 1} of {shown.pageCount}
            </caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Plan</th>
                <th scope="col">Seats used / seats</th>
                <th scope="col">Status</th>
                <th scope="col">Provider access to items</th>
                <th scope="col">
                  <span className="pv-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.items.map((client) => (
                <ClientLine
                  key={client.id}
                  client={client}
                  onItemAccess={(allowed) => void setItemAccess(client, allowed)}
                  onDetach={() => setDialog({ kind: "detach", client })}
                />
              ))}
            </tbody>
          </table>
          {found.length === 0 && <p className="pv-empty">No client matches “{shownQuery}”.</p>}
          <Pager page={shown.page} pageCount={shown.pageCount} first={shown.first} last={shown.last} total={shown.total} onPage={setPage} />
        </>
      )}

      {dialog?.kind === "new" && (
        <NewClientDialog
          providerId={providerId}
          providerType={access.provider.providerType}
          onClose={() => setDialog(null)}
          onCreated={(name) => void changed(`Client ${name} created.`)}
        />
      )}
      {dialog?.kind === "existing" && (
        <AddExistingDialog providerId={providerId} onClose={() => setDialog(null)} onAdded={(name) => void changed(`${name} added as a client.`)} />
      )}
      {dialog?.kind === "detach" && (
        <DetachDialog
          providerId={providerId}
          client={dialog.client}
          onClose={() => setDialog(null)}
          onDetached={() => void changed(`${dialog.client.name} detached.`)}
        />
      )}
    </section>
  );
}

function ClientLine(props: { client: ClientRow; onItemAccess: (allowed: boolean) => void; onDetach: () => void }) {
  const { client } = props;
  return (
    <tr>
      <th scope="row">
        <Link to={`/organizations/${client.organizationId}`} title={`Open the admin console of ${client.name}`}>
          {client.name}
        </Link>
      </th>
      <td>{client.plan}</td>
      <td>
        {client.seatsUsed} / {client.seats}
      </td>
      <td>{client.status}</td>
      <td>
        <label className="pv-switch">
          <input
            type="checkbox"
            role="switch"
            checked={client.providerAccessToItems}
            onChange={(event) => props.onItemAccess(event.target.checked)}
          />
          <span className="pv-visually-hidden">Provider access to the items of {client.name}</span>
          <span aria-hidden="true">{client.providerAccessToItems ? "On" : "Off"}</span>
        </label>
      </td>
      <td>
        <button type="button" className="pv-link-danger" onClick={props.onDetach} aria-label={`Detach ${client.name}`}>
          Detach
        </button>
      </td>
    </tr>
  );
}

export function Pager(props: { page: number; pageCount: number; first: number; last: number; total: number; onPage: (page: number) => void }) {
  if (props.total === 0) return null;
  return (
    <nav className="pv-pager" aria-label="Pages">
      <button type="button" onClick={() => props.onPage(props.page - 1)} disabled={props.page === 0}>
        Previous page
      </button>
      <span>
        {props.first.toLocaleString()}–{props.last.toLocaleString()} of {props.total.toLocaleString()} (page {props.page + 1} of{" "}
        {props.pageCount})
      </span>
      <button type="button" onClick={() => props.onPage(props.page + 1)} disabled={props.page + 1 >= props.pageCount}>
        Next page
      </button>
    </nav>
  );
}

function DetachDialog(props: { providerId: string; client: ClientRow; onClose: () => void; onDetached: () => void }) {
  const { api } = useProviderDeps();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function detach() {
    setBusy(true);
    try {
      await api.detachClient(props.providerId, props.client.id);
      props.onDetached();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }
  return (
    <Modal title={`Detach ${props.client.name}?`} onClose={props.onClose}>
      <p>
        The provider's users lose access to {props.client.name} at once. The organization keeps its members and items; it needs at least one
        confirmed owner of its own.
      </p>
      <ErrorMessage error={error} />
      <div className="pv-dialog-actions">
        <button type="button" className="pv-danger" onClick={() => void detach()} disabled={busy}>
          {busy ? "Detaching…" : "Detach"}
        </button>
        <button type="button" onClick={props.onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
