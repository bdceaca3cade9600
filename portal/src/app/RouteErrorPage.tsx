import { Link, useRouteError } from "react-router";
import { Button } from "../ui";
import { describeRouteError } from "./routeError";

/** The router's error element: a sentence and a way out instead of React Router's developer screen. */
export function RouteErrorPage() {
  const view = describeRouteError(useRouteError());
  return (
    <section className="page-not-found" aria-labelledby="route-error-title" role="alert">
      <h1 id="route-error-title">{view.title}</h1>
      <p>{view.message}</p>
      <p className="ui-actions">
        {view.reload ? <Button onClick={() => window.location.reload()}>Reload</Button> : null}
        <Link to="/vault">Go to My Vault</Link>
      </p>
    </section>
  );
}
