/**
 * A modal dialog on the native <dialog> element: the browser keeps focus inside and Escape closes it; focus
 * returns to what opened it. Render it only while open: `{open && <Dialog …/>}`.
 */
import { type ReactNode, useEffect, useId, useRef } from "react";
import { Button } from "./Button";

export type DialogProps = {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom (a Cancel is added unless `hideCancel`). */
  actions?: ReactNode;
  hideCancel?: boolean;
  size?: "normal" | "wide";
};

export function Dialog({ title, onClose, children, actions, hideCancel = false, size = "normal" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
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
      className={`ui-dialog ui-dialog-${size}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="ui-dialog-title">
        {title}
      </h2>
      <div className="ui-dialog-body">{children}</div>
      <div className="ui-dialog-actions">
        {actions}
        {hideCancel ? null : <Button onClick={onClose}>Cancel</Button>}
      </div>
    </dialog>
  );
}

/** A yes/no question; `onConfirm` may be async (the button shows busy meanwhile). */
export function ConfirmDialog(props: {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      actions={
        <Button variant={props.danger ? "danger" : "primary"} busy={props.busy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </Button>
      }
    >
      {props.children}
    </Dialog>
  );
}
