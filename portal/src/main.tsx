import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { retryFailedStylesheets } from "./app/preloadRetry";
import { createRouter } from "./app/router";
import { session } from "./lib/session";
import "./ui/ui.css";

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root");

// Lock after 15 minutes without a key press, click, wheel or touch anywhere in the page.
session.startIdleLock({ target: window });
retryFailedStylesheets(window);

createRoot(root).render(
  <StrictMode>
    <RouterProvider router={createRouter()} />
  </StrictMode>,
);
