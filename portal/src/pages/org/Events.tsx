// Event logs of the organization: a date range (last 30 days by default), newest first, "Load more" pages,
// every entry as a sentence (lib/events) naming members, items, collections and groups where the browser can.

import { type FormEvent, useCallback, useEffect, useId, useMemo, useState } from "react";
import { POLICY_NAMES, type DateRange, type DescribedEvent, defaultRange, describeEvent, rangeQuery } from "../../lib/events";
import { type AuditEvent, type Policy, listEvents, listPolicies } from "./api";
import { useOrg } from "./context";
import { useGroups, useMembers, useOrgCollections } from "./useOrgData";
import { Button } from "../../ui";

export default function Events() {
  const { orgId, entry, vault, provider, caller } = useOrg();
  const members = useMembers();
  const collections = useOrgCollections();
  const groups = useGroups(entry.useGroups !== false);
  const [policies, setPolicies] = useState<Policy[]>([]);
  const [range, setRange] = useState<DateRange>(() => defaultRange());
  const [applied, setApplied] = useState<DateRange>(range);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const ids = { start: useId(), end: useId() };

  const load = useCallback(
    async (window: DateRange, continuationToken: string | null) => {
      const query = rangeQuery(window);
      if (!query.ok) return setError(query.error);
      setLoading(true);
      setError(null);
      try {
        const page = await listEvents(orgId, { start: query.start, end: query.end, continuationToken });
        setEvents((current) => (continuationToken ? [...current, ...page.data] : page.data));
        setToken(page.continuationToken);
      } catch (caught) {
        setError(caught instanceof Error ? caught.message : String(caught));
      } finally {
        setLoading(false);
      }
    },
    [orgId],
  );
  useEffect(() => {
    void load(applied, null);
  }, [applied, load]);
  useEffect(() => {
    listPolicies(orgId).then(setPolicies, () => undefined);
  }, [orgId]);

  const names = useMemo(() => {
    const byUser = new Map<string, string>();
    const byMember = new Map<string, string>();
    for (const m of members.data ?? []) {
      const label = m.name || m.email;
      byMember.set(m.id, label);
      if (m.userId) byUser.set(m.userId, label);
    }
    const byCollection = new Map((collections.data ?? []).map((c) => [c.id, c.name]));
    const byGroup = new Map((groups.data ?? []).map((g) => [g.id, g.name]));
    const byCipher = new Map(vault.items.filter((i) => !i.broken).map((i) => [i.id, i.name]));
    const byPolicy = new Map(policies.flatMap((p) => (p.id ? [[p.id, POLICY_NAMES.get(p.type) ?? `policy ${p.type}`] as const] : [])));
    // The caller is named even when no member (a provider user); other provider users by their provider.
    if (!byUser.has(caller.id)) byUser.set(caller.id, caller.name);
    return {
      user: (id: string) => byUser.get(id),
      provider: (id: string) => (provider && id === provider.id ? provider.name : undefined),
      member: (id: string) => byMember.get(id),
      collection: (id: string) => byCollection.get(id),
      group: (id: string) => byGroup.get(id),
      cipher: (id: string) => byCipher.get(id),
      policy: (id: string) => byPolicy.get(id),
      organization: (id: string) => (id === orgId ? entry.name : undefined),
    };
  }, [members.data, collections.data, groups.data, vault.items, policies, orgId, entry.name, provider, caller.id, caller.name]);
  const described: DescribedEvent[] = useMemo(() => events.map((e) => describeEvent(e, names)), [events, names]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setApplied({ ...range });
  }

  function exportCsv() {
    const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
    const lines = [
      ["Timestamp", "Device", "IP address", "Member", "Event"].join(","),
      ...described.map((d) => [d.date.toISOString(), d.device ?? "", d.ipAddress ?? "", d.actor.label, d.text].map(quote).join(",")),
    ];
    const url = URL.createObjectURL(new Blob([lines.join("\n")], { type: "text/csv" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `org-events-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading">Event logs</h2>
      <form className="events-filter" onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.start}>From</label>
          <input id={ids.start} type="datetime-local" value={range.start} onChange={(e) => setRange({ ...range, start: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.end}>To</label>
          <input id={ids.end} type="datetime-local" value={range.end} onChange={(e) => setRange({ ...range, end: e.target.value })} />
        </div>
        <Button type="submit" variant="primary">
          Update
        </Button>
        <Button type="button" onClick={exportCsv} disabled={described.length === 0 || range.start !== applied.start || range.end !== applied.end}>
          Export
        </Button>
      </form>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {loading && events.length === 0 ? <p role="status">Loading events…</p> : null}
      {!loading && !error && events.length === 0 ? <p className="empty">No events in this period.</p> : null}
      {described.length ? (
        <table className="data">
          <caption className="ui-visually-hidden">Events of {entry.name}</caption>
          <thead>
            <tr>
              <th scope="col">Timestamp</th>
              <th scope="col">Client</th>
              <th scope="col">Member</th>
              <th scope="col">Event</th>
            </tr>
          </thead>
          <tbody>
            {described.map((d, i) => (
              <tr key={i}>
                <td>{d.date.toLocaleString()}</td>
                <td title={d.ipAddress ?? undefined}>{d.device ?? "—"}</td>
                <td>{d.actor.label}</td>
                <td>{d.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {token ? (
        <div className="actions">
          <Button type="button" onClick={() => void load(applied, token)} disabled={loading}>
            {loading ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
