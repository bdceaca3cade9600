import { Link } from "react-router";

/** Anything the user may not see, or that does not exist, looks the same: ids do not leak. */
export function NotFoundPage() {
  return (
    <section className="page-not-found" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>There is nothing here, or you do not have access to it.</p>
      <p>
        <Link to="/vault">Go to My Vault</Link>
      </p>
    </section>
  );
}
