/** The frame of the pages outside the shell: one card, the product name, the page's <h1>. */
import type { ReactNode } from "react";

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="auth-brand">MSPVault</p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
