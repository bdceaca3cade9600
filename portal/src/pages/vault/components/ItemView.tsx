// An item, read-only, with copy buttons (portal-ux §3.2 "View mode"). Where the collection hides passwords the
// secrets are not shown nor copyable; where it is read-only there are no edit controls.

import { useId, useState } from "react";
import { CIPHER_TYPE_LABELS, type PlainCipher } from "../../../lib/vault/types";
import { CopyButton } from "./fields";
import { TotpCode } from "./Totp";
import { Button } from "../../../ui";

function Row(props: { label: string; value: string | null; secret?: boolean; canReveal?: boolean; mono?: boolean; copy?: boolean }) {
  const [shown, setShown] = useState(false);
  const id = useId();
  if (props.value === null || props.value === "") return null;
  const hidden = props.secret && !shown;
  return (
    <div className="view-row">
      <dt id={id}>{props.label}</dt>
      <dd aria-labelledby={id}>
        <span className={props.mono || props.secret ? "mono view-value" : "view-value"}>{hidden ? "••••••••" : props.value}</span>
        {props.secret && props.canReveal !== false ? (
          <Button
            type="button"
            className="icon-button"
            aria-pressed={shown}
            aria-label={`${shown ? "Hide" : "Show"} ${props.label.toLowerCase()}`}
            onClick={() => setShown(!shown)}
          >
            {shown ? "Hide" : "Show"}
          </Button>
        ) : null}
        {props.copy !== false && !(props.secret && props.canReveal === false) ? (
          <CopyButton value={props.value} label={`Copy ${props.label.toLowerCase()}`} />
        ) : null}
      </dd>
    </div>
  );
}

export function ItemView(props: {
  item: PlainCipher;
  ownerName: string;
  folderName?: string | null;
  collectionNames: string[];
  onEdit?: () => void;
  onDelete?: () => void;
  onRestore?: () => void;
  onClose: () => void;
}) {
  const { item } = props;
  const canSee = item.viewPassword;
  const headingId = useId();
  return (
    <article className="item-view" aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>{item.name}</h2>
        <p className="hint">
          {CIPHER_TYPE_LABELS[item.type]} · {props.ownerName}
          {item.favorite ? " · Favorite" : ""}
          {item.deletedDate ? " · In the trash" : ""}
          {!item.edit ? " · View only" : ""}
          {!canSee ? " · Passwords hidden" : ""}
        </p>
      </header>
      <dl>
        {item.type === 1 ? (
          <>
            <Row label="Username" value={item.login.username} />
            <Row label="Password" value={item.login.password} secret canReveal={canSee} />
            {item.login.totp && canSee ? (
              <div className="view-row">
                <dt>Verification code (TOTP)</dt>
                <dd>
                  <TotpCode secret={item.login.totp} />
                </dd>
              </div>
            ) : null}
            {item.login.uris.map((u, i) => (
              <Row key={i} label={item.login.uris.length > 1 ? `Website ${i + 1}` : "Website"} value={u.uri} />
            ))}
          </>
        ) : null}
        {item.type === 3 ? (
          <>
            <Row label="Cardholder name" value={item.card.cardholderName} />
            <Row label="Brand" value={item.card.brand} copy={false} />
            <Row label="Number" value={item.card.number} secret canReveal={canSee} />
            <Row
              label="Expiration"
              value={item.card.expMonth || item.card.expYear ? `${item.card.expMonth ?? "--"} / ${item.card.expYear ?? "----"}` : null}
              copy={false}
            />
            <Row label="Security code" value={item.card.code} secret canReveal={canSee} />
          </>
        ) : null}
        {item.type === 4 ? (
          <>
            <Row
              label="Name"
              value={[item.identity.title, item.identity.firstName, item.identity.middleName, item.identity.lastName].filter(Boolean).join(" ") || null}
            />
            <Row label="Username" value={item.identity.username} />
            <Row label="Company" value={item.identity.company} />
            <Row label="Social Security number" value={item.identity.ssn} secret canReveal={canSee} />
            <Row label="Passport number" value={item.identity.passportNumber} secret canReveal={canSee} />
            <Row label="License number" value={item.identity.licenseNumber} />
            <Row label="Email" value={item.identity.email} />
            <Row label="Phone" value={item.identity.phone} />
            <Row
              label="Address"
              value={
                [
                  item.identity.address1,
                  item.identity.address2,
                  item.identity.address3,
                  [item.identity.city, item.identity.state, item.identity.postalCode].filter(Boolean).join(", "),
                  item.identity.country,
                ]
                  .filter(Boolean)
                  .join("\n") || null
              }
            />
          </>
        ) : null}
        {item.type === 5 ? (
          <>
            <Row label="Private key" value={item.sshKey.privateKey} secret canReveal={canSee} mono />
            <Row label="Public key" value={item.sshKey.publicKey} mono />
            <Row label="Fingerprint" value={item.sshKey.keyFingerprint} mono />
          </>
        ) : null}
        <Row label="Notes" value={item.notes} />
        {item.fields.map((f, i) =>
          f.type === 2 ? (
            <Row key={i} label={f.name ?? `Field ${i + 1}`} value={f.value === "true" ? "Yes" : "No"} copy={false} />
          ) : (
            <Row key={i} label={f.name ?? `Field ${i + 1}`} value={f.value} secret={f.type === 1} canReveal={canSee} />
          ),
        )}
        {props.folderName ? <Row label="Folder" value={props.folderName} copy={false} /> : null}
        {props.collectionNames.length ? <Row label="Collections" value={props.collectionNames.join(", ")} copy={false} /> : null}
        {item.revisionDate ? <Row label="Last edited" value={new Date(item.revisionDate).toLocaleString()} copy={false} /> : null}
        {item.passwordHistory.length && canSee ? (
          <Row label="Password history" value={`${item.passwordHistory.length} earlier password(s)`} copy={false} />
        ) : null}
      </dl>
      <div className="actions">
        {props.onEdit && item.edit && !item.deletedDate ? (
          <Button type="button" variant="primary" onClick={props.onEdit}>
            Edit
          </Button>
        ) : null}
        {props.onRestore && item.deletedDate && item.edit ? (
          <Button type="button" onClick={props.onRestore}>
            Restore
          </Button>
        ) : null}
        {props.onDelete && item.edit ? (
          <Button type="button" variant="danger" onClick={props.onDelete}>
            {item.deletedDate ? "Delete permanently" : "Delete"}
          </Button>
        ) : null}
        <Button type="button" onClick={props.onClose}>
          Close
        </Button>
      </div>
    </article>
  );
}
