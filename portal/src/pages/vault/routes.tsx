// My Vault's route for the app shell: /vault with the session's keys.

import { useMemo } from "react";
import { useSession } from "../../lib/session";
import { MyVault } from "./MyVault";

export function MyVaultRoute() {
  const state = useSession();
  const unlocked = state.status === "unlocked" ? state : null;
  const keys = useMemo(() => (unlocked ? { userId: unlocked.account.userId, keys: unlocked.keys } : null), [unlocked?.keys, unlocked?.account.userId]);
  if (keys === null) return null; // the shell's guard redirects
  return <MyVault keys={keys} />;
}

