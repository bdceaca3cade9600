/**
 * Small pieces the provider pages share: a modal dialog on the native <dialog> element (focus kept inside,
 * Escape closes it), a not-found panel, and messages read out by screen readers. No inline styles: the CSP
 * forbids them; classes come from provider.css.
 */
import { useEffect, useId, useRef, type ReactNode } from "react";
import { Link } from "react-router";

export function Modal(props: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={props.wide ? "pv-dialog pv-dialog-wide" : "pv-dialog"}
      aria-labelledby={titleId}
      onClose={props.onClose}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

export function NotFound() {
  return (
    <section className="pv-not-found" aria-labelledby="pv-not-found-title">
      <h1 id="pv-not-found-title">Not found</h1>
      <p>There is nothing here, or you may not see it.</p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </section>
  );
}

export function ErrorMessage(props: { error: string | null }) {
  if (!props.error) return null;
  return (
    <p className="pv-error" role="alert">
      {props.error}
    </p>
  );
}

export function Status(props: { message: string | null }) {
  return (
    <p className="pv-status" role="status" aria-live="polite">
      {props.message ?? ""}
    </p>
  );
}

export function Loading(props: { what: string }) {
  return (
    <p className="pv-loading" role="status" aria-live="polite">
      Loading {props.what}…
    </p>
  );
}

/** A failure as a sentence: the API's message when it has one. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === "string") return error;
  return "Something went wrong. Try again.";
}
