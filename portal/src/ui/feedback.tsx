/** Messages: an error banner (role=alert), a callout, a loading line, an empty state, a badge. */
import type { ReactNode } from "react";

/** A form-level or page-level error, announced at once. Renders nothing without a message. */
export function ErrorBanner({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div className="ui-banner ui-banner-error" role="alert">
      {message}
    </div>
  );
}

export function Callout({ tone = "info", title, children }: { tone?: "info" | "success" | "warning"; title?: ReactNode; children: ReactNode }) {
  return (
    <div className={`ui-banner ui-banner-${tone}`}>
      {title ? <p className="ui-banner-title">{title}</p> : null}
      {children}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="ui-loading" role="status" aria-live="polite">
      <span className="ui-spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="ui-empty">
      <p className="ui-empty-title">{title}</p>
      {children}
    </div>
  );
}

export function Badge({ tone = "neutral", children }: { tone?: "neutral" | "success" | "warning" | "danger" | "info"; children: ReactNode }) {
  return <span className={`ui-badge ui-badge-${tone}`}>{children}</span>;
}

/** A page's title row: the one <h1>, and its actions. */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <header className="ui-page-header">
      <h1>{title}</h1>
      {children ? <div className="ui-actions">{children}</div> : null}
    </header>
  );
}

/** The message of anything thrown, fit to show (ApiError carries the server's sentence). */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === "string" && error) return error;
  return "Something went wrong. Try again.";
}
