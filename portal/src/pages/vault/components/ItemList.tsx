// The item table. Only the first rows are in the DOM; more are added as the end scrolls into view (or on
// "Show more"), so a vault of thousands stays quick without absolutely positioned rows (no inline styles).

import { useEffect, useRef, useState } from "react";
import { CIPHER_TYPE_LABELS } from "../../../lib/vault/types";
import type { ItemSummary } from "../../../lib/vault/summary";
import { CopyButton } from "./fields";
import { Button } from "../../../ui";

const PAGE = 100;

export function ItemList(props: {
  items: readonly ItemSummary[];
  ownerName: (organizationId: string | null) => string;
  onOpen: (item: ItemSummary) => void;
  copyPassword?: (item: ItemSummary) => Promise<string | null>;
  caption: string;
  /** Changes when the filter does, to start again from the top. */
  resetKey: string;
}) {
  const [limit, setLimit] = useState(PAGE);
  const sentinel = useRef<HTMLDivElement | null>(null);
  useEffect(() => setLimit(PAGE), [props.resetKey]);
  useEffect(() => {
    const node = sentinel.current;
    if (node === null || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setLimit((l) => l + PAGE);
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [props.items.length > limit]);
  const shown = props.items.slice(0, limit);
  if (props.items.length === 0) return <p className="empty">No items to list.</p>;
  return (
    <div className="item-list">
      <table>
        <caption className="ui-visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Owner</th>
            <th scope="col">
              <span className="ui-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((item) => (
            <tr key={item.id} className={item.broken ? "broken" : undefined}>
              <td>
                <Button type="button" variant="link" onClick={() => props.onOpen(item)} disabled={item.broken}>
                  {item.name || "(no name)"}
                </Button>
                <span className="type-badge">{CIPHER_TYPE_LABELS[item.type] ?? "Item"}</span>
                {item.favorite ? <span className="badge" aria-label="Favorite">★</span> : null}
                {!item.edit ? <span className="badge">View only</span> : null}
                <div className="hint">{item.subtitle}</div>
              </td>
              <td>{props.ownerName(item.organizationId)}</td>
              <td className="row-actions">
                {item.type === 1 && item.subtitle ? <CopyButton value={item.subtitle} label={`Copy username of ${item.name}`} /> : null}
                {item.type === 1 && item.viewPassword && props.copyPassword ? (
                  <LazyCopy label={`Copy password of ${item.name}`} load={() => props.copyPassword!(item)} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.items.length > limit ? (
        <div ref={sentinel} className="list-more">
          <Button type="button" onClick={() => setLimit(limit + PAGE)}>
            Show more ({props.items.length - limit} left)
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** A copy button whose value is decrypted only when pressed. */
function LazyCopy(props: { label: string; load: () => Promise<string | null> }) {
  const [state, setState] = useState<"idle" | "done" | "none">("idle");
  return (
    <Button
      type="button"
      className="icon-button"
      aria-label={props.label}
      title={props.label}
      onClick={async () => {
        const value = await props.load();
        if (!value) return setState("none");
        await navigator.clipboard?.writeText(value);
        setState("done");
        window.setTimeout(() => setState("idle"), 1500);
      }}
    >
      {state === "done" ? "Copied" : state === "none" ? "No password" : "Copy password"}
    </Button>
  );
}
