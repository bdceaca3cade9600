/**
 * "New client": name, client owner email, plan and seats. The org key and its RSA pair are made here, the private
 * key wrapped with the org key, the default collection's name encrypted with it, and the org key wrapped with the
 * provider key (portal-ux §4.4); the server receives only those wrapped forms.
 */
import { useEffect, useId, useState, type FormEvent } from "react";
import { Button, Dialog, ErrorBanner, RadioGroup, TextField, messageOf } from "../../ui";
import { useProviderDeps } from "./context";
import { NAME_MAX, checkNewClient, clientPlans, type NewClientInput } from "./plans";
import { newClientBody } from "./providerKeys";

type FieldErrors = Partial<Record<keyof NewClientInput, string>>;

/** `providerType` when the profile tells it; otherwise the provider is read once to offer its plans. */
export function NewClientDialog(props: { providerId: string; providerType?: number | undefined; onClose: () => void; onCreated: (name: string) => void }) {
  const { api, session } = useProviderDeps();
  const [providerType, setProviderType] = useState(props.providerType ?? 0);
  const plans = clientPlans(providerType);
  const [input, setInput] = useState<NewClientInput>({ name: "", ownerEmail: "", planType: plans[0]?.planType ?? 17, seats: "1" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formId = useId();

  useEffect(() => {
    if (props.providerType !== undefined) return;
    api.getProvider(props.providerId).then(
      (provider) => {
        setProviderType(provider.type);
        // A plan picked while the provider was being read stays picked when this provider offers it.
        const offered = clientPlans(provider.type);
        const first = offered[0];
        setInput((current) =>
          first && !offered.some((plan) => plan.planType === current.planType) ? { ...current, planType: first.planType } : current,
        );
      },
      () => undefined, // the MSP plans stay offered; the server checks the plan anyway
    );
  }, [api, props.providerId, props.providerType]);

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

  return (
    <Dialog
      title="New client"
      onClose={props.onClose}
      actions={
        <Button type="submit" form={formId} variant="primary" busy={busy}>
          Create client
        </Button>
      }
    >
      <form id={formId} className="pv-form" onSubmit={(event) => void submit(event)} noValidate>
        <RadioGroup
          legend="Plan"
          name={`${formId}-plan`}
          value={String(input.planType)}
          onChange={(value) => setInput({ ...input, planType: Number(value) })}
          options={plans.map((plan) => ({ value: String(plan.planType), label: plan.label, hint: plan.description }))}
        />
        {errors.planType ? <p className="ui-field-error">{errors.planType}</p> : null}
        <TextField
          label="Organization name"
          required
          maxLength={NAME_MAX}
          autoComplete="organization"
          value={input.name}
          error={errors.name}
          onChange={(event) => setInput({ ...input, name: event.target.value })}
        />
        <TextField
          label="Client owner email"
          type="email"
          required
          autoComplete="off"
          hint="They are invited as the organization's Owner."
          value={input.ownerEmail}
          error={errors.ownerEmail}
          onChange={(event) => setInput({ ...input, ownerEmail: event.target.value })}
        />
        <TextField
          label="Seats"
          type="number"
          min={1}
          step={1}
          required
          inputMode="numeric"
          value={input.seats}
          error={errors.seats}
          onChange={(event) => setInput({ ...input, seats: event.target.value })}
        />
        <ErrorBanner message={error} />
      </form>
    </Dialog>
  );
}
