// The admin console's route for the app shell: /organizations/:orgId/* with the session's keys and profile.

import { useMemo } from "react";
import { useSession } from "../../lib/session";
import { OrgConsole } from "./OrgConsole";

export function OrgConsoleRoute() {
  const state = useSession();
  const unlocked = state.status === "unlocked" ? state : null;
  const keys = useMemo(() => (unlocked ? { userId: unlocked.account.userId, keys: unlocked.keys } : null), [unlocked?.keys, unlocked?.account.userId]);
  if (unlocked === null || keys === null) return null; // the shell's guard redirects
  return <OrgConsole keys={keys} profile={unlocked.profile} />;
}

