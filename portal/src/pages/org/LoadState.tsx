import type { Loaded } from "./useOrgData";

/** A console list's three states before its table: the load failed, it is loading, or it holds nothing yet. */
export function LoadState<T>(props: { loaded: Loaded<T[]>; loading: string; empty: string }) {
  const { data, error } = props.loaded;
  if (error) {
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  }
  if (data === null) return <p role="status">{props.loading}</p>;
  return data.length === 0 ? <p className="empty">{props.empty}</p> : null;
}
