// Add or edit an item of any of the five types (portal-ux §3.2): details, the type's section, custom fields.

import { type FormEvent, useId, useState } from "react";
import { emptyContent } from "../../../lib/vault/cipher";
import {
  CARD_FIELDS,
  CIPHER_TYPE_LABELS,
  type Card,
  type CipherContent,
  type CustomField,
  type FieldType,
  type Identity,
  IDENTITY_FIELDS,
  type Login,
  type PlainCipher,
  SSH_KEY_FIELDS,
  type SshKey,
  URI_MATCH_LABELS,
} from "../../../lib/vault/types";
import { CheckboxField, SelectField, TextField } from "./fields";
import { GeneratorPanel } from "./Generator";
import { Button, FormFooter } from "../../../ui";

export interface OwnerOption {
  id: string | null; // null = My vault
  name: string;
}

export interface CollectionOption {
  id: string;
  organizationId: string;
  name: string;
  /** The caller may not put items in or take them out of it. */
  readOnly: boolean;
}

export interface FolderOption {
  id: string;
  name: string;
}

const CARD_LABELS: Record<keyof Card, string> = {
  cardholderName: "Cardholder name",
  brand: "Brand",
  number: "Number",
  expMonth: "Expiration month",
  expYear: "Expiration year",
  code: "Security code",
};

const IDENTITY_LABELS: Record<keyof Identity, string> = {
  title: "Title",
  firstName: "First name",
  middleName: "Middle name",
  lastName: "Last name",
  username: "Username",
  company: "Company",
  ssn: "Social Security number",
  passportNumber: "Passport number",
  licenseNumber: "License number",
  email: "Email",
  phone: "Phone",
  address1: "Address 1",
  address2: "Address 2",
  address3: "Address 3",
  city: "City / Town",
  state: "State / Province",
  postalCode: "Zip / Postal code",
  country: "Country",
};

const SSH_LABELS: Record<keyof SshKey, string> = { privateKey: "Private key", publicKey: "Public key", keyFingerprint: "Fingerprint" };

const SECRET_FIELDS = new Set(["code", "number", "ssn", "passportNumber", "privateKey"]);
const BRANDS = ["", "Visa", "Mastercard", "Amex", "Discover", "Diners Club", "JCB", "Maestro", "UnionPay", "RuPay", "Other"];
const TITLES = ["", "Mr", "Mrs", "Ms", "Mx", "Dr"];

export function ItemForm(props: {
  initial: PlainCipher;
  owners: readonly OwnerOption[];
  folders: readonly FolderOption[];
  collections: readonly CollectionOption[];
  /** The owner cannot change (an organization's item stays in it). */
  ownerFixed?: boolean;
  onSave: (item: PlainCipher) => Promise<void>;
  onCancel: () => void;
  wordList?: readonly string[];
}) {
  const [item, setItem] = useState<PlainCipher>(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const isNew = props.initial.id === null;
  const headingId = useId();
  const set = (patch: Partial<PlainCipher>) => setItem((current) => ({ ...current, ...patch }) as PlainCipher);
  const setContent = (content: CipherContent) => setItem((current) => ({ ...current, ...content }) as PlainCipher);
  const orgCollections = props.collections.filter((c) => c.organizationId === item.organizationId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (item.name.trim() === "") return setError("The item needs a name.");
    if (item.organizationId !== null && item.collectionIds.length === 0) {
      return setError("Choose at least one collection for an organization's item.");
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSave(item);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "The item could not be saved.");
    } finally {
      setBusy(false);
    }
  }

  const ownerOptions = props.owners.map((o) => [o.id ?? "", o.name] as const);
  return (
    <form className="item-form" onSubmit={submit} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {isNew ? "New" : "Edit"} {CIPHER_TYPE_LABELS[item.type].toLowerCase()}
      </h2>
      {isNew ? (
        <SelectField
          label="Item type"
          value={String(item.type)}
          options={([1, 2, 3, 4, 5] as const).map((t) => [String(t), CIPHER_TYPE_LABELS[t]] as const)}
          onChange={(value) => setContent(emptyContent(Number(value) as CipherContent["type"]))}
        />
      ) : null}
      <fieldset>
        <legend>Item details</legend>
        <TextField label="Item name" value={item.name} required onChange={(name) => set({ name: name ?? "" })} />
        <SelectField
          label="Owner"
          value={item.organizationId ?? ""}
          options={ownerOptions}
          disabled={props.ownerFixed || (!isNew && item.organizationId !== null)}
          onChange={(value) => set({ organizationId: value === "" ? null : value, collectionIds: [] })}
        />
        {item.organizationId === null ? (
          <SelectField
            label="Folder"
            value={item.folderId ?? ""}
            options={[["", "No folder"] as const, ...props.folders.map((f) => [f.id, f.name] as const)]}
            onChange={(value) => set({ folderId: value === "" ? null : value })}
          />
        ) : (
          <fieldset className="collections-pick">
            <legend>Collections</legend>
            {orgCollections.length === 0 ? <p className="hint">You can add items to none of this organization's collections.</p> : null}
            {orgCollections.map((c) => {
              const checked = item.collectionIds.includes(c.id);
              return (
                <CheckboxField
                  key={c.id}
                  label={c.name}
                  checked={checked}
                  disabled={c.readOnly}
                  hint={c.readOnly ? "view only" : undefined}
                  onChange={(on) =>
                    set({ collectionIds: on ? [...item.collectionIds, c.id] : item.collectionIds.filter((id) => id !== c.id) })
                  }
                />
              );
            })}
          </fieldset>
        )}
        <CheckboxField label="Favorite" checked={item.favorite} onChange={(favorite) => set({ favorite })} />
      </fieldset>
      <TypeSection item={item} setContent={setContent} wordList={props.wordList} />
      <fieldset>
        <legend>Additional options</legend>
        <TextField label="Notes" multiline value={item.notes} onChange={(notes) => set({ notes })} />
        <CheckboxField
          label="Master password re-prompt"
          checked={item.reprompt === 1}
          onChange={(on) => set({ reprompt: on ? 1 : 0 })}
        />
        <CustomFields fields={item.fields} onChange={(fields) => set({ fields })} />
      </fieldset>
      <FormFooter error={error} onCancel={props.onCancel} busy={busy} submitLabel={busy ? "Saving…" : "Save"} />
    </form>
  );
}

function TypeSection(props: { item: PlainCipher; setContent: (c: CipherContent) => void; wordList?: readonly string[] }) {
  const { item, setContent } = props;
  switch (item.type) {
    case 1:
      return <LoginSection login={item.login} onChange={(login) => setContent({ type: 1, login })} wordList={props.wordList} />;
    case 2:
      return null;
    case 3:
      return (
        <fieldset>
          <legend>Card details</legend>
          {CARD_FIELDS.map((name) =>
            name === "brand" ? (
              <SelectField
                key={name}
                label="Brand"
                value={item.card.brand ?? ""}
                options={BRANDS.map((b) => [b, b === "" ? "-- Select --" : b] as const)}
                onChange={(brand) => setContent({ type: 3, card: { ...item.card, brand: brand === "" ? null : brand } })}
              />
            ) : (
              <TextField
                key={name}
                label={CARD_LABELS[name]}
                secret={SECRET_FIELDS.has(name)}
                value={item.card[name]}
                onChange={(value) => setContent({ type: 3, card: { ...item.card, [name]: value } })}
              />
            ),
          )}
        </fieldset>
      );
    case 4:
      return (
        <fieldset>
          <legend>Identity</legend>
          {(Object.keys(IDENTITY_LABELS) as (keyof Identity)[])
            .filter((name) => (IDENTITY_FIELDS as readonly string[]).includes(name))
            .map((name) =>
              name === "title" ? (
                <SelectField
                  key={name}
                  label="Title"
                  value={item.identity.title ?? ""}
                  options={TITLES.map((t) => [t, t === "" ? "-- Select --" : t] as const)}
                  onChange={(title) => setContent({ type: 4, identity: { ...item.identity, title: title === "" ? null : title } })}
                />
              ) : (
                <TextField
                  key={name}
                  label={IDENTITY_LABELS[name]}
                  secret={SECRET_FIELDS.has(name)}
                  value={item.identity[name]}
                  onChange={(value) => setContent({ type: 4, identity: { ...item.identity, [name]: value } })}
                />
              ),
            )}
        </fieldset>
      );
    case 5:
      return (
        <fieldset>
          <legend>SSH key</legend>
          {SSH_KEY_FIELDS.map((name) => (
            <TextField
              key={name}
              label={SSH_LABELS[name]}
              multiline={name !== "keyFingerprint"}
              secret={name === "privateKey"}
              mono
              value={item.sshKey[name]}
              onChange={(value) => setContent({ type: 5, sshKey: { ...item.sshKey, [name]: value } })}
            />
          ))}
        </fieldset>
      );
  }
}

function LoginSection(props: { login: Login; onChange: (login: Login) => void; wordList?: readonly string[] }) {
  const { login, onChange } = props;
  const [generating, setGenerating] = useState(false);
  return (
    <fieldset>
      <legend>Login credentials</legend>
      <TextField label="Username" value={login.username} autoComplete="off" onChange={(username) => onChange({ ...login, username })} />
      <TextField
        label="Password"
        secret
        mono
        value={login.password}
        onChange={(password) => onChange({ ...login, password })}
        extra={
          <Button type="button" className="icon-button" aria-expanded={generating} onClick={() => setGenerating(!generating)}>
            Generate
          </Button>
        }
      />
      {generating ? (
        <GeneratorPanel
          wordList={props.wordList}
          onUse={(password) => {
            onChange({ ...login, password });
            setGenerating(false);
          }}
          onClose={() => setGenerating(false)}
        />
      ) : null}
      <TextField label="Authenticator key (TOTP)" secret mono value={login.totp} onChange={(totp) => onChange({ ...login, totp })} />
      <fieldset className="uris">
        <legend>Websites</legend>
        {login.uris.map((u, i) => (
          <div className="uri-row" key={i}>
            <TextField
              label={`Website (URI) ${i + 1}`}
              type="url"
              value={u.uri}
              onChange={(uri) => onChange({ ...login, uris: login.uris.map((x, j) => (j === i ? { ...x, uri: uri ?? "" } : x)) })}
            />
            <SelectField
              label={`Match detection ${i + 1}`}
              value={u.match === null ? "" : String(u.match)}
              options={URI_MATCH_LABELS.map(([m, label]) => [m === null ? "" : String(m), label] as const)}
              onChange={(m) =>
                onChange({ ...login, uris: login.uris.map((x, j) => (j === i ? { ...x, match: m === "" ? null : Number(m) } : x)) })
              }
            />
            <Button type="button" className="icon-button" aria-label={`Remove website ${i + 1}`} onClick={() => onChange({ ...login, uris: login.uris.filter((_, j) => j !== i) })}>
              Remove
            </Button>
          </div>
        ))}
        <Button type="button" onClick={() => onChange({ ...login, uris: [...login.uris, { uri: "", match: null }] })}>
          Add website
        </Button>
      </fieldset>
    </fieldset>
  );
}

const FIELD_TYPES: ReadonlyArray<readonly [string, string]> = [
  ["0", "Text"],
  ["1", "Hidden"],
  ["2", "Checkbox"],
];

function CustomFields(props: { fields: CustomField[]; onChange: (fields: CustomField[]) => void }) {
  const { fields, onChange } = props;
  const update = (i: number, patch: Partial<CustomField>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset className="custom-fields">
      <legend>Custom fields</legend>
      {fields.map((f, i) => (
        <div className="custom-field" key={i}>
          <SelectField
            label={`Field ${i + 1} type`}
            value={String(f.type)}
            options={f.type === 3 ? [...FIELD_TYPES, ["3", "Linked"] as const] : FIELD_TYPES}
            onChange={(t) => update(i, { type: Number(t) as FieldType, value: Number(t) === 2 ? "false" : f.value })}
          />
          <TextField label={`Field ${i + 1} name`} value={f.name} onChange={(name) => update(i, { name })} />
          {f.type === 2 ? (
            <CheckboxField label={`Field ${i + 1} value`} checked={f.value === "true"} onChange={(on) => update(i, { value: on ? "true" : "false" })} />
          ) : f.type === 3 ? null : (
            <TextField label={`Field ${i + 1} value`} secret={f.type === 1} value={f.value} onChange={(value) => update(i, { value })} />
          )}
          <Button type="button" className="icon-button" aria-label={`Remove field ${i + 1}`} onClick={() => onChange(fields.filter((_, j) => j !== i))}>
            Remove
          </Button>
        </div>
      ))}
      <Button type="button" onClick={() => onChange([...fields, { type: 0, name: null, value: null, linkedId: null }])}>
        Add field
      </Button>
    </fieldset>
  );
}
