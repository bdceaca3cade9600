/**
 * Clients: every client organization with its plan, seats used / seats and status; a search that filters as one
 * types, and one page of rows at a time (a provider may have 10,000 clients: only a page is ever rendered). New
 * client, add an existing organization, detach, and the per-client switch for provider access to items. A name
 * opens the client's admin console.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { Button, ConfirmDialog, EmptyState, ErrorBanner, Loading, PageHeader, Table, TextField, messageOf, useToast, type Column } from "../../ui";
import { AddExistingDialog } from "./AddExistingDialog";
import { indexClients, pageOf, searchClients, toClientRow, type ClientRow } from "./clientList";
import { useProvider, useProviderDeps } from "./context";
import { EditClientDialog } from "./EditClientDialog";
import { NewClientDialog } from "./NewClientDialog";

type Dialog = { kind: "new" } | { kind: "existing" } | { kind: "edit"; client: ClientRow } | { kind: "detach"; client: ClientRow } | null;

export function ClientsPage() {
  const { providerId, access } = useProvider();
  const { api, session } = useProviderDeps();
  const notify = useToast();
  const [rows, setRows] = useState<ClientRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(params.get("search") ?? "");
  const [page, setPage] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [detaching, setDetaching] = useState(false);
  const shownQuery = useDeferredValue(query);

  const load = useCallback(async () => {
    try {
      const details = await api.listClients(providerId);
      const enabled = session.organizationsEnabled();
      setRows(details.map((row) => toClientRow(row, enabled.get(row.organizationId) ?? true)));
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
    notify(message);
    await session.refresh().catch(() => undefined); // the list below is the server's either way
    await load();
  }

  async function setItemAccess(client: ClientRow, allowed: boolean) {
    try {
      await api.setProviderAccessToItems(providerId, { id: client.id, seats: client.seats }, allowed);
      setRows((current) => current?.map((row) => (row.id === client.id ? { ...row, providerAccessToItems: allowed } : row)) ?? null);
      notify(`Provider access to the items of ${client.name} turned ${allowed ? "on" : "off"}.`);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  async function detach(client: ClientRow) {
    setDetaching(true);
    try {
      await api.detachClient(providerId, client.id);
      await changed(`${client.name} detached.`);
    } catch (failure) {
      setDialog(null);
      setError(messageOf(failure));
    } finally {
      setDetaching(false);
    }
  }

  const columns: Column<ClientRow>[] = [
    {
      key: "name",
      header: "Client",
      rowHeader: true,
      cell: (client) => (
        <Link to={`/organizations/${client.organizationId}`} title={`Open the admin console of ${client.name}`}>
          {client.name}
        </Link>
      ),
    },
    { key: "plan", header: "Plan", cell: (client) => client.plan },
    { key: "seats", header: "Seats used / seats", cell: (client) => `${client.seatsUsed} / ${client.seats}` },
    { key: "status", header: "Status", cell: (client) => client.status },
    {
      key: "items",
      header: "Provider access to items",
      cell: (client) => (
        <label className="pv-switch">
          <input type="checkbox" role="switch" checked={client.providerAccessToItems} onChange={(event) => void setItemAccess(client, event.target.checked)} />
          <span className="ui-visually-hidden">Provider access to the items of {client.name}</span>
          <span aria-hidden="true">{client.providerAccessToItems ? "On" : "Off"}</span>
        </label>
      ),
    },
    {
      key: "actions",
      header: <span className="ui-visually-hidden">Actions</span>,
      className: "pv-row-actions",
      cell: (client) => (
        <>
          <Button onClick={() => setDialog({ kind: "edit", client })} aria-label={`Edit ${client.name}`}>
            Edit
          </Button>
          <Button variant="link" onClick={() => setDialog({ kind: "detach", client })} aria-label={`Detach ${client.name}`}>
            Detach
          </Button>
        </>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="Clients">
        <Button variant="primary" onClick={() => setDialog({ kind: "new" })}>
          New client
        </Button>
        <Button onClick={() => setDialog({ kind: "existing" })}>Add existing organization</Button>
      </PageHeader>

      <div className="pv-toolbar">
        <TextField label="Search clients" type="search" value={query} onChange={(event) => search(event.target.value)} autoComplete="off" />
      </div>

      <ErrorBanner message={error} />

      {rows === null && error === null ? (
        <Loading label="Loading clients…" />
      ) : rows !== null && rows.length === 0 ? (
        <EmptyState title="No clients yet">
          <p>Create one with “New client”, or add an organization you own.</p>
        </EmptyState>
      ) : (
        <>
          <Table
            caption={`Client organizations${shownQuery ? ` matching “${shownQuery}”` : ""}, page ${shown.page + 1} of ${shown.pageCount}`}
            captionHidden
            columns={columns}
            rows={shown.items}
            rowKey={(client) => client.id}
            empty={`No client matches “${shownQuery}”.`}
          />
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
      {dialog?.kind === "edit" && (
        <EditClientDialog providerId={providerId} client={dialog.client} onClose={() => setDialog(null)} onSaved={(name) => void changed(`${name} saved.`)} />
      )}
      {dialog?.kind === "detach" && (
        <ConfirmDialog
          title={`Detach ${dialog.client.name}?`}
          confirmLabel="Detach"
          danger
          busy={detaching}
          onConfirm={() => void detach(dialog.client)}
          onClose={() => setDialog(null)}
        >
          <p>
            The provider's users lose access to {dialog.client.name} at once. The organization keeps its members and items; it needs at least one
            confirmed owner of its own.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

export function Pager(props: { page: number; pageCount: number; first: number; last: number; total: number; onPage: (page: number) => void }) {
  if (props.total === 0) return null;
  return (
    <nav className="pv-pager" aria-label="Pages">
      <Button onClick={() => props.onPage(props.page - 1)} disabled={props.page === 0}>
        Previous page
      </Button>
      <span>
        {props.first.toLocaleString()}–{props.last.toLocaleString()} of {props.total.toLocaleString()} (page {props.page + 1} of {props.pageCount})
      </span>
      <Button onClick={() => props.onPage(props.page + 1)} disabled={props.page + 1 >= props.pageCount}>
        Next page
      </Button>
    </nav>
  );
}
