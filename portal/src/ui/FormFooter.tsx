import type { ReactNode } from "react";
import { Button } from "./Button";

/**
 * The bottom of a dialog's form: its error (announced at once), the submit button, Cancel, then any extra actions
 * (Revoke, Delete…). One component, so every dialog reports and offers the same way. While `busy`, neither button
 * answers: a save in flight is not abandoned half-way.
 */
export function FormFooter(props: { error: string | null; onCancel: () => void; submitLabel?: string; busy?: boolean; children?: ReactNode }) {
  return (
    <>
      {props.error ? (
        <p role="alert" className="error">
          {props.error}
        </p>
      ) : null}
      <div className="actions">
        <Button type="submit" variant="primary" disabled={props.busy}>
          {props.submitLabel ?? "Save"}
        </Button>
        <Button type="button" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </Button>
        {props.children}
      </div>
    </>
  );
}
