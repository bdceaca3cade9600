/**
 * What the route error page says. A page area's script that failed to download (a new deployment replaced the hashed
 * files, or the connection dropped) is not a bug in the page: the cure is a reload. Anything else is shown as a
 * plain sentence — never a stack trace, never the server's internals.
 */
import { isRouteErrorResponse } from "react-router";

export interface RouteErrorView {
  title: string;
  message: string;
  /** A reload fixes it: offer the button first. */
  reload: boolean;
}

const STALE_CHUNK = /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Failed to fetch/i;

export function describeRouteError(error: unknown): RouteErrorView {
  if (isRouteErrorResponse(error) && error.status === 404) {
    return { title: "Page not found", message: "There is nothing here, or you do not have access to it.", reload: false };
  }
  const text = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  if (STALE_CHUNK.test(text)) {
    return {
      title: "This page could not be loaded",
      message: "Part of the portal did not download (the connection dropped or the portal was updated). Reload to try again; you will be asked to unlock.",
      reload: true,
    };
  }
  return {
    title: "Something went wrong",
    message: "The page stopped because of an unexpected error. Reload to try again; nothing you saved is lost.",
    reload: true,
  };
}
