// Small labelled inputs the item form and view share. Every control has a label; secrets have a reveal toggle.

import { type ReactNode, useId, useState } from "react";
import { Button } from "../../../ui";

export function TextField(props: {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  secret?: boolean;
  multiline?: boolean;
  required?: boolean;
  autoComplete?: string;
  type?: "text" | "email" | "tel" | "url";
  mono?: boolean;
  extra?: ReactNode;
}) {
  const id = useId();
  const [shown, setShown] = useState(false);
  const value = props.value ?? "";
  const set = (text: string) => props.onChange(text === "" ? null : text);
  const className = props.mono ? "field-input mono" : "field-input";
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="field-row">
        {props.multiline ? (
          <textarea id={id} className={className} value={value} rows={4} onChange={(e) => set(e.target.value)} />
        ) : (
          <input
            id={id}
            className={className}
            type={props.secret && !shown ? "password" : (props.type ?? "text")}
            value={value}
            required={props.required}
            autoComplete={props.autoComplete ?? "off"}
            spellCheck={false}
            onChange={(e) => set(e.target.value)}
          />
        )}
        {props.secret ? (
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
        {props.extra}
      </div>
    </div>
  );
}

export function SelectField<T extends string>(props: {
  label: string;
  value: T;
  options: ReadonlyArray<readonly [T, string]>;
  onChange: (value: T) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} className="field-input" value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField(props: { label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean; hint?: string }) {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? <span className="hint">{props.hint}</span> : null}
    </div>
  );
}

/** Copies a value to the clipboard and says so to screen readers. */
export function CopyButton(props: { value: string | null; label: string }) {
  const [copied, setCopied] = useState(false);
  if (!props.value) return null;
  const value = props.value;
  return (
    <Button
      type="button"
      className="icon-button"
      aria-label={props.label}
      title={props.label}
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          window.setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? "Copied" : "Copy"}
      <span className="ui-visually-hidden" aria-live="polite">
        {copied ? `${props.label}: done` : ""}
      </span>
    </Button>
  );
}
