/**
 * Event logs (Provider Admins): the provider's own log, or the combined log of all its clients
 * (/api/providers/{id}/clients/events). A date range, "Load more" by continuation token, and each entry as a
 * sentence: who did what to which item, member or collection, in which client, from which device and address.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { defaultRange, describeEvent, rangeQuery, type AuditEvent, type DateRange, type Reference } from "../../lib/events";
import { Button, EmptyState, ErrorBanner, Loading, PageHeader, TextField, messageOf } from "../../ui";
import { useProvider, useProviderDeps } from "./context";
import { EMPTY_BOOK, organizationsToRead, resolvers, withNames, type NameBook } from "./eventNames";
import { NotFound } from "./parts";
import { displayName } from "./people";

type Log = "provider" | "clients";

interface Entries {
  events: AuditEvent[];
  token: string | null;
}

export function EventsPage() {
  const { access } = useProvider();
  if (!access.canAccessEventLogs) return <NotFound />;
  return <Events />;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function Events() {
  const { providerId } = useProvider();
  const { api, session } = useProviderDeps();
  const [log, setLog] = useState<Log>("provider");
  const [draft, setDraft] = useState<DateRange>(() => defaultRange());
  const [range, setRange] = useState<{ start: string; end: string } | null>(() => {
    const query = rangeQuery(defaultRange());
    return query.ok ? { start: query.start, end: query.end } : null;
  });
  const [entries, setEntries] = useState<Entries | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [book, setBook] = useState<NameBook>(EMPTY_BOOK);
  const asked = useRef(new Set<string>());

  // Names for the ids entries carry: provider users and client organizations first (what an admin may list).
  useEffect(() => {
    let live = true;
    Promise.all([api.listUsers(providerId), api.listClients(providerId)])
      .then(([users, clients]) => {
        if (!live) return;
        setBook((current) =>
          withNames(current, {
            users: users.flatMap((user) => (user.userId ? [[user.userId, displayName(user)] as const] : [])),
            providerUsers: users.map((user) => [user.id, displayName(user)] as const),
            organizations: clients.map((client) => [client.organizationId, client.organizationName] as const),
          }),
        );
      })
      .catch(() => undefined); // without names the entries show short ids
    return () => {
      live = false;
    };
  }, [api, providerId]);

  // Then the members and collections of the clients the shown entries mention (collection names decrypted here).
  useEffect(() => {
    const wanted = organizationsToRead(entries?.events ?? [], asked.current, book);
    for (const organizationId of wanted) {
      asked.current.add(organizationId);
      void readOrganization(organizationId).then(
        (names) => setBook((current) => withNames(current, names)),
        () => undefined, // that organization's ids stay short
      );
    }
    // readOrganization closes over api and session only, which never change.
  }, [entries, book]);

  async function readOrganization(organizationId: string) {
    const [members, collections, key] = await Promise.all([
      api.organizationMembers(organizationId),
      api.organizationCollections(organizationId),
      session.clientOrganizationKey(organizationId),
    ]);
    const named = await Promise.all(
      collections.map(async (collection) => [collection.id, await key.decryptString(collection.name).catch(() => "[cannot decrypt]")] as const),
    );
    const label = (member: { name?: string | null; email: string }) => (member.name?.trim() ? member.name : member.email);
    return {
      members: members.map((member) => [member.id, label(member)] as const),
      users: members.flatMap((member) => (member.userId ? [[member.userId, label(member)] as const] : [])),
      collections: named,
    };
  }

  const fetchPage = useCallback(
    (token: string | null) => {
      if (range === null) return Promise.resolve({ data: [], continuationToken: null });
      const query = { ...range, continuationToken: token };
      return log === "provider" ? api.providerEvents(providerId, query) : api.clientEvents(providerId, query);
    },
    [api, providerId, log, range],
  );

  useEffect(() => {
    let live = true;
    setEntries(null);
    setError(null);
    fetchPage(null).then(
      (page) => live && setEntries({ events: page.data, token: page.continuationToken ?? null }),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, [fetchPage]);

  async function loadMore() {
    if (entries?.token == null) return;
    setBusy(true);
    try {
      const page = await fetchPage(entries.token);
      setEntries({ events: [...entries.events, ...page.data], token: page.continuationToken ?? null });
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  function applyRange(event: FormEvent) {
    event.preventDefault();
    const query = rangeQuery(draft);
    if (!query.ok) {
      setError(query.error);
      return;
    }
    setRange({ start: query.start, end: query.end });
  }

  const described = useMemo(() => {
    const names = resolvers(book);
    return (entries?.events ?? []).map((entry) => describeEvent(entry, names));
  }, [entries, book]);

  return (
    <>
      <PageHeader title="Event logs" />
      <div className="pv-filters" role="group" aria-label="Which log">
        <Button aria-pressed={log === "provider"} onClick={() => setLog("provider")}>
          Provider
        </Button>
        <Button aria-pressed={log === "clients"} onClick={() => setLog("clients")}>
          All clients
        </Button>
      </div>
      <form className="pv-toolbar" onSubmit={applyRange} aria-label="Date range">
        <TextField label="From" type="datetime-local" value={draft.start} onChange={(event) => setDraft({ ...draft, start: event.target.value })} />
        <TextField label="To" type="datetime-local" value={draft.end} onChange={(event) => setDraft({ ...draft, end: event.target.value })} />
        <Button type="submit">Refresh</Button>
      </form>
      <ErrorBanner message={error} />
      {entries === null && error === null ? (
        <Loading label="Loading events…" />
      ) : entries !== null && entries.events.length === 0 ? (
        <EmptyState title="No events in this range" />
      ) : (
        <div className="ui-table-wrap">
        <table className="ui-table pv-events">
          <caption className="ui-visually-hidden">{log === "provider" ? "The provider's events" : "Events of all clients"}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Device</th>
            </tr>
          </thead>
          <tbody>
            {described.map((entry, index) => (
              <tr key={`${entry.date.getTime()}-${index}`}>
                <td>
                  <time dateTime={entry.date.toISOString()}>{dateFormat.format(entry.date)}</time>
                </td>
                <td>
                  <Named reference={entry.actor} capital /> {entry.action.map((part, at) => (typeof part === "string" ? <span key={at}>{part}</span> : <Named key={at} reference={part} />))}
                  {entry.organization && (
                    <>
                      {" in "}
                      <Named reference={entry.organization} />
                    </>
                  )}
                </td>
                <td>
                  {entry.device ?? "Unknown device"}
                  {entry.ipAddress && <span className="pv-sub">{entry.ipAddress}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {entries?.token && (
        <Button className="pv-more" busy={busy} onClick={() => void loadMore()}>
          Load more
        </Button>
      )}
    </>
  );
}

/** A name in a sentence; an id nobody could name shows as code, with the full id on hover. */
function Named(props: { reference: Reference; capital?: boolean }) {
  const { reference } = props;
  const label = props.capital ? reference.label.charAt(0).toUpperCase() + reference.label.slice(1) : reference.label;
  const isOrganization = reference.kind === "organization" || reference.kind === "clientOrganization";
  if (isOrganization && reference.known && reference.id) return <Link to={`/organizations/${reference.id}`}>{label}</Link>;
  if (reference.known) return <strong>{label}</strong>;
  return <code title={reference.id ?? undefined}>{label}</code>;
}
