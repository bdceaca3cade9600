/**
 * Route guards. Pages under `RequireUnlocked` render only with an unlocked session: logged out → /login,
 * locked (reload, lock button, 15 idle minutes) → /unlock; either way `next` brings the user back here.
 * An account an admin recovered (the profile's forcePasswordReset) goes to /update-password before anything else.
 */
import { Navigate, Outlet, useLocation } from "react-router";
import { useSession } from "../lib/session";
import { withNext } from "./navigation";

export const UPDATE_PASSWORD = "/update-password";

export function RequireUnlocked() {
  const state = useSession();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  if (state.status === "loggedOut") return <Navigate to={withNext("/login", here)} replace />;
  if (state.status === "locked") return <Navigate to={withNext("/unlock", here)} replace />;
  if (state.profile.forcePasswordReset && location.pathname !== UPDATE_PASSWORD) return <Navigate to={UPDATE_PASSWORD} replace />;
  return <Outlet />;
}
