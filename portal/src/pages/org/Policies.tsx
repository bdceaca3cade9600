// Policies: each with an "On" badge and a description; opening one edits whether it is on and its settings.

import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { POLICIES, type PolicyDefinition, formValues, policyData } from "../../lib/org/policies";
import { Modal } from "../vault/components/Modal";
import { type Policy, listPolicies, putPolicy } from "./api";
import { useOrg } from "./context";
import { Button, FormFooter } from "../../ui";

export default function Policies() {
  const { orgId } = useOrg();
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<PolicyDefinition | null>(null);
  const reload = useCallback(async () => {
    try {
      setPolicies(await listPolicies(orgId));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }, [orgId]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const stateOf = (type: number) => policies?.find((p) => p.type === type) ?? null;
  return (
    <section aria-labelledby="policies-heading">
      <h2 id="policies-heading">Policies</h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {policies === null && !error ? <p role="status">Loading policies…</p> : null}
      <ul className="policy-list">
        {POLICIES.map((definition) => (
          <li key={definition.type}>
            <div>
              <Button type="button" variant="link" onClick={() => setEditing(definition)}>
                {definition.name}
              </Button>
              {stateOf(definition.type)?.enabled ? <span className="on-badge">On</span> : null}
              <div className="hint">{definition.description}</div>
            </div>
          </li>
        ))}
      </ul>
      {editing ? (
        <PolicyDialog
          definition={editing}
          current={stateOf(editing.type)}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await reload();
          }}
        />
      ) : null}
    </section>
  );
}

function PolicyDialog(props: { definition: PolicyDefinition; current: Policy | null; onClose: () => void; onSaved: () => Promise<void> }) {
  const { orgId } = useOrg();
  const { definition } = props;
  const [enabled, setEnabled] = useState(props.current?.enabled ?? false);
  const [values, setValues] = useState(() => formValues(definition, props.current?.data));
  const [error, setError] = useState<string | null>(null);
  const enabledId = useId();
  const base = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await putPolicy(orgId, definition.type, enabled, policyData(definition, values));
      await props.onSaved();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "The policy could not be saved.");
    }
  }

  return (
    <Modal label={`Edit policy ${definition.name}`} onClose={props.onClose}>
      <form onSubmit={submit}>
        <h2>{definition.name}</h2>
        <p>{definition.description}</p>
        <div className="field field-check">
          <input id={enabledId} type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <label htmlFor={enabledId}>Turn on</label>
        </div>
        {definition.fields.map((field) => {
          const id = `${base}-${field.name}`;
          if (field.kind === "boolean") {
            return (
              <div key={field.name} className="field field-check">
                <input id={id} type="checkbox" checked={values[field.name] === true} onChange={(e) => setValues({ ...values, [field.name]: e.target.checked })} />
                <label htmlFor={id}>{field.label}</label>
              </div>
            );
          }
          if (field.kind === "number") {
            return (
              <div key={field.name} className="field">
                <label htmlFor={id}>{field.label}</label>
                <input
                  id={id}
                  type="number"
                  min={field.min}
                  max={field.max}
                  value={String(values[field.name] ?? "")}
                  onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
                />
              </div>
            );
          }
          return (
            <div key={field.name} className="field">
              <label htmlFor={id}>{field.label}</label>
              <select id={id} value={String(values[field.name] ?? "")} onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}>
                {field.options.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
        <FormFooter error={error} onCancel={props.onClose} />
      </form>
    </Modal>
  );
}
