/**
 * A page area's stylesheet that fails to load (a connection dropped under load: Chromium's ERR_TOO_MANY_RETRIES)
 * should not take the whole page to the router's error screen. Vite reports it as `vite:preloadError`; we let the
 * area's script run and ask for the stylesheet once more.
 */
const CSS_URL = /https?:\/\/\S+?\.css/;

export function stylesheetToRetry(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  return CSS_URL.exec(message)?.[0] ?? null;
}

export function retryFailedStylesheets(target: Window): void {
  target.addEventListener("vite:preloadError", (event) => {
    const href = stylesheetToRetry((event as Event & { payload?: unknown }).payload);
    if (href === null) return; // a script that failed: let the router show it
    event.preventDefault();
    const link = target.document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    target.document.head.appendChild(link);
  });
}
