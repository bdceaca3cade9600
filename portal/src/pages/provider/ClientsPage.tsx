/**
 * Clients: every client organization with its plan, seats used / seats and status, a page at a time as the server
 * pages them (a provider may have 10,000 clients: the server searches and pages by name, and only a page ever
 * travels or renders); a search that filters as one types. New client, add an existing organization, detach, and
 * the per-client switch for provider access to items. A name opens the client's admin console.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { Button, ConfirmDialog, EmptyState, ErrorBanner, Loading, PageHeader, Table, TextField, messageOf, useToast, type Column } from "../../ui";
import { AddExistingDialog } from "./AddExistingDialog";
import { firstPage, nextPage, PAGE_SIZE, pageSpan, previousPage, tokenOf, toClientRow, type ClientRow, type PageTrail } from "./clientList";
import { useProvider, useProviderDeps } from "./context";
import { EditClientDialog } from "./EditClientDialog";
import { NewClientDialog } from "./NewClientDialog";

type Dialog = { kind: "new" } | { kind: "existing" } | { kind: "edit"; client: ClientRow } | { kind: "detach"; client: ClientRow } | null;

interface Shown {
  rows: ClientRow[];
  continuationToken: string | null;
  count: number;
  search: string;
}

/** How long typing must pause before the search goes to the server. */
const SEARCH_PAUSE_MS = 150;

export function ClientsPage() {
  const { providerId, access } = useProvider();
  const { api, session } = useProviderDeps();
  const notify = useToast();
  const [shownPage, setShownPage] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(params.get("search") ?? "");
  const [search, setSearch] = useState(query.trim());
  const [trail, setTrail] = useState<PageTrail>(firstPage);
  const [reloads, setReloads] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [detaching, setDetaching] = useState(false);
  const asked = useRef(0);

  const load = useCallback(async () => {
    const ask = ++asked.current;
    try {
      const page = await api.clientPage(providerId, { search, continuationToken: tokenOf(trail), pageSize: PAGE_SIZE });
      if (ask !== asked.current) return; // a later search or page was asked for meanwhile
      const enabled = session.organizationsEnabled();
      setShownPage({
        rows: page.data.map((row) => toClientRow(row, enabled.get(row.organizationId) ?? true)),
        continuationToken: page.continuationToken,
        count: page.count,
        search,
      });
      setError(null);
    } catch (failure) {
      if (ask === asked.current) setError(messageOf(failure));
    }
  }, [api, session, providerId, search, trail]);

  useEffect(() => {
    void load();
  }, [load, reloads]);

  useEffect(() => {
    const wanted = query.trim();
    if (wanted === search) return;
    const timer = setTimeout(() => {
      setSearch(wanted);
      setTrail(firstPage);
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, search]);

  const rows = shownPage?.rows ?? null;
  const shown = pageSpan(trail.page, rows?.length ?? 0, shownPage?.count ?? 0);
  const shownQuery = shownPage?.search ?? "";

  function onSearch(value: string) {
    setQuery(value);
    setParams(value ? { search: value } : {}, { replace: true });
  }

  function onPage(page: number) {
    if (page > trail.page) setTrail(nextPage(trail, shownPage?.continuationToken ?? null));
    else if (page < trail.page) setTrail(previousPage(trail));
  }

  async function changed(message: string) {
    setDialog(null);
    notify(message);
    await session.refresh().catch(() => undefined); // the list below is the server's either way
    setReloads((n) => n + 1);
  }

  async function setItemAccess(client: ClientRow, allowed: boolean) {
    try {
      await api.setProviderAccessToItems(providerId, { id: client.id, seats: client.seats }, allowed);
      setShownPage((current) =>
        current === null ? null : { ...current, rows: current.rows.map((row) => (row.id === client.id ? { ...row, providerAccessToItems: allowed } : row)) },
      );
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
        <TextField label="Search clients" type="search" value={query} onChange={(event) => onSearch(event.target.value)} autoComplete="off" />
      </div>

      <ErrorBanner message={error} />

      {rows === null && error === null ? (
        <Loading label="Loading clients…" />
      ) : rows !== null && rows.length === 0 && shownQuery === "" && trail.page === 0 ? (
        <EmptyState title="No clients yet">
          <p>Create one with “New client”, or add an organization you own.</p>
        </EmptyState>
      ) : (
        <>
          <Table
            caption={`Client organizations${shownQuery ? ` matching “${shownQuery}”` : ""}, page ${shown.page + 1} of ${shown.pageCount}`}
            captionHidden
            columns={columns}
            rows={rows ?? []}
            rowKey={(client) => client.id}
            empty={`No client matches “${shownQuery}”.`}
          />
          <Pager page={shown.page} pageCount={shown.pageCount} first={shown.first} last={shown.last} total={shown.total} onPage={onPage} />
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
