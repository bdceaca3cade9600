// One table for "who/what gets which access": collections for a member or group, members and groups for a
// collection. Each row is a labelled select: no access, or one of the five levels (portal-ux §2.3).

import { ACCESS_LEVELS, type AccessLevel, DEFAULT_ACCESS } from "../../lib/org/access";

export interface AccessCandidate {
  id: string;
  label: string;
  detail?: string;
  depth?: number;
}

export function AccessEditor(props: {
  caption: string;
  candidates: readonly AccessCandidate[];
  value: ReadonlyMap<string, AccessLevel>;
  onChange: (next: Map<string, AccessLevel>) => void;
  /** Plain membership (groups' members): a checkbox, no levels. */
  membershipOnly?: boolean;
  empty?: string;
}) {
  if (props.candidates.length === 0) return <p className="hint">{props.empty ?? "Nothing to choose from."}</p>;
  const set = (id: string, level: AccessLevel | null) => {
    const next = new Map(props.value);
    if (level === null) next.delete(id);
    else next.set(id, level);
    props.onChange(next);
  };
  return (
    <table className="data access-table">
      <caption className="ui-visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">{props.membershipOnly ? "Member" : "Access"}</th>
        </tr>
      </thead>
      <tbody>
        {props.candidates.map((c) => {
          const level = props.value.get(c.id) ?? null;
          const label = `${props.membershipOnly ? "Member" : "Access"}: ${c.label}${c.detail ? ` (${c.detail})` : ""}`;
          return (
            <tr key={c.id}>
              <td className={c.depth ? `depth-${Math.min(c.depth, 6)}` : undefined}>
                {c.label}
                {c.detail ? <div className="hint">{c.detail}</div> : null}
              </td>
              <td>
                {props.membershipOnly ? (
                  <input type="checkbox" aria-label={label} checked={level !== null} onChange={(e) => set(c.id, e.target.checked ? DEFAULT_ACCESS : null)} />
                ) : (
                  <select aria-label={label} value={level ?? ""} onChange={(e) => set(c.id, e.target.value === "" ? null : (e.target.value as AccessLevel))}>
                    <option value="">No access</option>
                    {ACCESS_LEVELS.map(([value, text]) => (
                      <option key={value} value={value}>
                        {text}
                      </option>
                    ))}
                  </select>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Accessible tabs for the dialogs (Role / Groups / Collections, Info / Access). */
export function Tabs<T extends string>(props: { tabs: ReadonlyArray<readonly [T, string]>; current: T; onSelect: (tab: T) => void; label: string }) {
  return (
    <div role="tablist" aria-label={props.label} className="tabs">
      {props.tabs.map(([id, text]) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={props.current === id}
          tabIndex={props.current === id ? 0 : -1}
          onClick={() => props.onSelect(id)}
          onKeyDown={(e) => {
            const index = props.tabs.findIndex(([t]) => t === id);
            const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
            if (step === 0) return;
            e.preventDefault();
            const next = props.tabs[(index + step + props.tabs.length) % props.tabs.length];
            if (next) {
              props.onSelect(next[0]);
              const siblings = (e.currentTarget.parentElement?.querySelectorAll('[role="tab"]') ?? []) as NodeListOf<HTMLElement>;
              siblings[(index + step + props.tabs.length) % props.tabs.length]?.focus();
            }
          }}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
