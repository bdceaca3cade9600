// A modal on the native <dialog> for forms that carry their own buttons (the kit's Dialog puts its actions
// outside the body): the browser traps focus, Esc closes, and focus returns to the opener. Styled as the kit's.

import { type ReactNode, useEffect, useRef, useState } from "react";
import { ConfirmDialog, messageOf } from "../../../ui";

export function Modal(props: { label: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={props.wide ? "ui-dialog ui-dialog-wide" : "ui-dialog"}
      aria-label={props.label}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      {props.children}
    </dialog>
  );
}

/** "Are you sure?" with the action named on its button; closes when the action is done. */
export function Confirm(props: {
  title: string;
  message: ReactNode;
  action: string;
  danger?: boolean;
  onConfirm: () => Promise<void> | void;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <ConfirmDialog
      title={props.title}
      confirmLabel={props.action}
      danger={props.danger}
      busy={busy}
      onClose={props.onClose}
      onConfirm={async () => {
        setBusy(true);
        try {
          await props.onConfirm();
          props.onClose();
        } catch (caught) {
          setError(messageOf(caught));
          setBusy(false);
        }
      }}
    >
      <div>{props.message}</div>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
