// The password generator (portal-ux §3.3): options, a fresh value, and "Use this password".

import { useId, useState } from "react";
import {
  DEFAULT_PASSPHRASE_OPTIONS,
  DEFAULT_PASSWORD_OPTIONS,
  generatePassphrase,
  generatePassword,
  type PassphraseOptions,
  type PasswordOptions,
} from "../../../lib/vault/generator";
import { CheckboxField, CopyButton } from "./fields";
import { Button } from "../../../ui";

export function GeneratorPanel(props: { onUse?: (value: string) => void; onClose?: () => void; wordList?: readonly string[] }) {
  const [mode, setMode] = useState<"password" | "passphrase">("password");
  const [options, setOptions] = useState<PasswordOptions>(DEFAULT_PASSWORD_OPTIONS);
  const [phrase, setPhrase] = useState<PassphraseOptions>(DEFAULT_PASSPHRASE_OPTIONS);
  const make = (m = mode, o = options, p = phrase) =>
    m === "passphrase" && props.wordList ? generatePassphrase(props.wordList, p) : generatePassword(o);
  const [value, setValue] = useState(() => make());
  const ids = { length: useId(), minNumbers: useId(), minSpecial: useId(), words: useId(), separator: useId() };
  const update = (next: Partial<PasswordOptions>) => {
    const o = { ...options, ...next };
    setOptions(o);
    setValue(make(mode, o));
  };
  const updatePhrase = (next: Partial<PassphraseOptions>) => {
    const p = { ...phrase, ...next };
    setPhrase(p);
    setValue(make(mode, options, p));
  };
  return (
    <section className="generator" aria-label="Password generator">
      <div className="generator-value">
        <output className="mono" aria-label="Generated password">
          {value}
        </output>
        <Button type="button" className="icon-button" onClick={() => setValue(make())} aria-label="Generate a new password">
          Regenerate
        </Button>
        <CopyButton value={value} label="Copy generated password" />
      </div>
      {props.wordList ? (
        <fieldset className="generator-mode">
          <legend>Type</legend>
          {(["password", "passphrase"] as const).map((m) => (
            <label key={m}>
              <input
                type="radio"
                name="generator-mode"
                checked={mode === m}
                onChange={() => {
                  setMode(m);
                  setValue(make(m));
                }}
              />
              {m === "password" ? "Password" : "Passphrase"}
            </label>
          ))}
        </fieldset>
      ) : null}
      {mode === "password" ? (
        <div className="generator-options">
          <div className="field">
            <label htmlFor={ids.length}>Length</label>
            <input id={ids.length} type="number" min={5} max={128} value={options.length} onChange={(e) => update({ length: Number(e.target.value) })} />
          </div>
          <CheckboxField label="A-Z" checked={options.uppercase} onChange={(uppercase) => update({ uppercase })} />
          <CheckboxField label="a-z" checked={options.lowercase} onChange={(lowercase) => update({ lowercase })} />
          <CheckboxField label="0-9" checked={options.numbers} onChange={(numbers) => update({ numbers })} />
          <CheckboxField label="!@#$%^&*" checked={options.special} onChange={(special) => update({ special })} />
          <div className="field">
            <label htmlFor={ids.minNumbers}>Minimum numbers</label>
            <input id={ids.minNumbers} type="number" min={0} max={9} value={options.minNumbers} onChange={(e) => update({ minNumbers: Number(e.target.value) })} />
          </div>
          <div className="field">
            <label htmlFor={ids.minSpecial}>Minimum special</label>
            <input id={ids.minSpecial} type="number" min={0} max={9} value={options.minSpecial} onChange={(e) => update({ minSpecial: Number(e.target.value) })} />
          </div>
          <CheckboxField label="Avoid ambiguous characters" checked={options.avoidAmbiguous} onChange={(avoidAmbiguous) => update({ avoidAmbiguous })} />
        </div>
      ) : (
        <div className="generator-options">
          <div className="field">
            <label htmlFor={ids.words}>Number of words</label>
            <input id={ids.words} type="number" min={3} max={20} value={phrase.words} onChange={(e) => updatePhrase({ words: Number(e.target.value) })} />
          </div>
          <div className="field">
            <label htmlFor={ids.separator}>Word separator</label>
            <input id={ids.separator} maxLength={1} value={phrase.separator} onChange={(e) => updatePhrase({ separator: e.target.value })} />
          </div>
          <CheckboxField label="Capitalize" checked={phrase.capitalize} onChange={(capitalize) => updatePhrase({ capitalize })} />
          <CheckboxField label="Include number" checked={phrase.includeNumber} onChange={(includeNumber) => updatePhrase({ includeNumber })} />
        </div>
      )}
      <div className="actions">
        {props.onUse ? (
          <Button type="button" variant="primary" onClick={() => props.onUse?.(value)}>
            Use this password
          </Button>
        ) : null}
        {props.onClose ? (
          <Button type="button" onClick={props.onClose}>
            Close
          </Button>
        ) : null}
      </div>
    </section>
  );
}
