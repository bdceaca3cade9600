/**
 * "New client": name, client owner email, plan and seats. The org key and its RSA pair are made here, the private
 * key wrapped with the org key, the default collection's name encrypted with it, and the org key wrapped with the
 * provider key (portal-ux §4.4); the server receives only those wrapped forms.
 */
import { useEffect, useId, useState, type FormEvent } from "react";
import { useProviderDeps } from "./context";
import { ErrorMessage, Modal, messageOf } from "./parts";
import { NAME_MAX, checkNewClient, clientPlans, type NewClientInput } from "./plans";
import { newClientBody } from "./providerKeys";

type FieldErrors = Partial<Record<keyof NewClientInput, string>>;

/** `providerType` when the profile tells it; otherwise the provider is read once to offer its plans. */
export function NewClientDialog(props: { providerId: string; providerType?: number | undefined; onClose: () => void; onCreated: (name: string) => void }) {
  const { api, session } = useProviderDeps();
  const [providerType, setProviderType] = useState(props.providerType ?? 0);
  const plans = clientPlans(providerType);
  const [input, setInput] = useState<NewClientInput>({ name: "", ownerEmail: "", planType: plans[0]?.planType ?? 17, seats: "1" });

  useEffect(() => {
    if (props.providerType !== undefined) return;
    api.getProvider(props.providerId).then(
      (provider) => {
        setProviderType(provider.type);
        const first = clientPlans(provider.type)[0];
        if (first) setInput((current) => ({ ...current, planType: first.planType }));
      },
      () => undefined, // the MSP plans stay offered; the server checks the plan anyway
    );
  }, [api, props.providerId, props.providerType]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkNewClient(input, providerType);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const providerKey = await session.providerKey(props.providerId);
      await api.createClient(props.providerId, await newClientBody(checked.value, providerKey));
      props.onCreated(checked.value.name);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  const field = (name: keyof NewClientInput) => ({
    id: `${id}-${name}`,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${id}-${name}-error` : undefined,
  });
  const fieldError = (name: keyof NewClientInput) =>
    errors[name] ? (
      <span className="pv-field-error" id={`${id}-${name}-error`}>
        {errors[name]}
      </span>
    ) : null;

  return (
    <Modal title="New client" onClose={props.onClose}>
      <form className="pv-form" onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="pv-plans">
          <legend>Plan</legend>
          {plans.map((plan) => (
            <label key={plan.planType} className="pv-plan">
              <input
                type="radio"
                name={`${id}-plan`}
                value={plan.planType}
                checked={input.planType === plan.planType}
                onChange={() => setInput({ ...input, planType: plan.planType })}
              />
              <span className="pv-plan-name">{plan.label}</span>
              <span className="pv-plan-description">{plan.description}</span>
            </label>
          ))}
          {fieldError("planType")}
        </fieldset>
        <label htmlFor={`${id}-name`}>Organization name</label>
        <input
          {...field("name")}
          required
          maxLength={NAME_MAX}
          autoComplete="organization"
          value={input.name}
          onChange={(event) => setInput({ ...input, name: event.target.value })}
        />
        {fieldError("name")}
        <label htmlFor={`${id}-ownerEmail`}>Client owner email</label>
        <input
          {...field("ownerEmail")}
          type="email"
          required
          autoComplete="off"
          value={input.ownerEmail}
          onChange={(event) => setInput({ ...input, ownerEmail: event.target.value })}
        />
        <span className="pv-hint">They are invited as the organization's Owner. It is also its billing email.</span>
        {fieldError("ownerEmail")}
        <label htmlFor={`${id}-seats`}>Seats</label>
        <input
          {...field("seats")}
          type="number"
          min={1}
          step={1}
          required
          inputMode="numeric"
          value={input.seats}
          onChange={(event) => setInput({ ...input, seats: event.target.value })}
        />
        {fieldError("seats")}
        <ErrorMessage error={error} />
        <div className="pv-dialog-actions">
          <button type="submit" className="pv-primary" disabled={busy}>
            {busy ? "Creating…" : "Create client"}
          </button>
          <button type="button" onClick={props.onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
