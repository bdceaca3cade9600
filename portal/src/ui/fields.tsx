/**
 * Form fields with a visible label, an optional hint and an error, all tied to the control (`aria-describedby`,
 * `aria-invalid`), so a screen reader announces them with the field.
 */
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId, useState } from "react";

type FieldFrameProps = { id: string; label: ReactNode; hint?: ReactNode; error?: string | null; children: ReactNode; className?: string };

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function FieldFrame({ id, label, hint, error, children, className }: FieldFrameProps) {
  return (
    <div className={["ui-field", error ? "ui-field-invalid" : null, className].filter(Boolean).join(" ")}>
      <label htmlFor={id} className="ui-label">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="ui-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="ui-field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id"> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  /** Extra control after the input (e.g. a show-password button). */
  after?: ReactNode;
};

export function TextField({ label, hint, error, after, className, ...input }: TextFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <div className="ui-control-row">
        <input
          {...input}
          id={id}
          className="ui-input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
        />
        {after}
      </div>
    </FieldFrame>
  );
}

/** A password input with a show/hide toggle; autocomplete defaults to `current-password`. */
export function PasswordField(props: Omit<TextFieldProps, "type" | "after">) {
  const [visible, setVisible] = useState(false);
  return (
    <TextField
      autoComplete="current-password"
      spellCheck={false}
      {...props}
      type={visible ? "text" : "password"}
      after={
        <button
          type="button"
          className="ui-button ui-button-secondary ui-toggle"
          aria-pressed={visible}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? "Hide" : "Show"}
          <span className="ui-visually-hidden"> password</span>
        </button>
      }
    />
  );
}

export type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
};

export function TextAreaField({ label, hint, error, className, ...area }: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <textarea {...area} id={id} className="ui-input" aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} />
    </FieldFrame>
  );
}

export type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  options: ReadonlyArray<{ value: string; label: string }>;
};

export function SelectField({ label, hint, error, options, className, ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <select {...select} id={id} className="ui-input" aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "type"> & { label: ReactNode; hint?: ReactNode };

export function Checkbox({ label, hint, className, ...input }: CheckboxProps) {
  const id = useId();
  return (
    <div className={["ui-checkbox", className].filter(Boolean).join(" ")}>
      <input {...input} id={id} type="checkbox" aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="ui-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A radio group in a fieldset with a legend. */
export function RadioGroup<T extends string>(props: {
  legend: ReactNode;
  name: string;
  value: T;
  onChange: (value: T) => void;
  options: ReadonlyArray<{ value: T; label: ReactNode; hint?: ReactNode }>;
}) {
  const id = useId();
  return (
    <fieldset className="ui-fieldset">
      <legend className="ui-label">{props.legend}</legend>
      {props.options.map((o) => (
        <div key={o.value} className="ui-radio">
          <input
            type="radio"
            id={`${id}-${o.value}`}
            name={props.name}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onChange(o.value)}
            aria-describedby={o.hint ? `${id}-${o.value}-hint` : undefined}
          />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
          {o.hint ? (
            <p id={`${id}-${o.value}-hint`} className="ui-hint">
              {o.hint}
            </p>
          ) : null}
        </div>
      ))}
    </fieldset>
  );
}
