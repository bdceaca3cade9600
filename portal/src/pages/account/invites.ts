/**
 * The invitation links the services mail (organization service `invites.py`, provider service `ports.py`):
 *   /#/accept-organization?organizationId&organizationUserId&email&organizationName&token
 *   /#/providers/accept-provider?providerId&providerUserId&email&token[&providerName]
 * and the accept calls they lead to.
 */
import { api, call } from "../../lib/api";

export type Invitation = {
  kind: "organization" | "provider";
  /** What the invite is for, as the link names it (null when the link does not say). */
  name: string | null;
  email: string;
  token: string;
  accept: () => Promise<void>;
};

function get(params: URLSearchParams, name: string): string | null {
  const value = params.get(name)?.trim();
  return value ? value : null;
}

export function organizationInvitation(params: URLSearchParams): Invitation | null {
  const orgId = get(params, "organizationId");
  const memberId = get(params, "organizationUserId");
  const email = get(params, "email");
  const token = get(params, "token");
  if (!orgId || !memberId || !email || !token) return null;
  return {
    kind: "organization",
    name: get(params, "organizationName"),
    email,
    token,
    accept: async () => {
      await call(
        api.POST("/api/organizations/{org_id}/users/{member_id}/accept", {
          params: { path: { org_id: orgId, member_id: memberId } },
          body: { token },
        }),
      );
    },
  };
}

export function providerInvitation(params: URLSearchParams): Invitation | null {
  const providerId = get(params, "providerId");
  const providerUserId = get(params, "providerUserId");
  const email = get(params, "email");
  const token = get(params, "token");
  if (!providerId || !providerUserId || !email || !token) return null;
  return {
    kind: "provider",
    name: get(params, "providerName"),
    email,
    token,
    accept: async () => {
      await call(
        api.POST("/api/providers/{provider_id}/users/{provider_user_id}/accept", {
          params: { path: { provider_id: providerId, provider_user_id: providerUserId } },
          body: { token },
        }),
      );
    },
  };
}
