/**
 * The provider pages' API calls over the typed client (lib/api): one function per route they use. The route
 * names and bodies come from the gateway's OpenAPI document, so a server change breaks the build here.
 */
import { api, call } from "../../lib/api";
import type { ProviderApi } from "./ports";

const provider = (providerId: string) => ({ params: { path: { provider_id: providerId } } });
const providerUser = (providerId: string, providerUserId: string) => ({
  params: { path: { provider_id: providerId, provider_user_id: providerUserId } },
});

export const providerApi: ProviderApi = {
  getProvider: (providerId) => call(api.GET("/api/providers/{provider_id}", provider(providerId))),

  updateProvider: (providerId, update) => call(api.PUT("/api/providers/{provider_id}", { ...provider(providerId), body: update })),

  listClients: async (providerId) => (await call(api.GET("/api/providers/{provider_id}/organizations", provider(providerId)))).data,

  clientPage: async (providerId, query) => {
    const page = await call(
      api.GET("/api/providers/{provider_id}/organizations", {
        params: {
          path: { provider_id: providerId },
          query: { pageSize: query.pageSize, search: query.search || undefined, continuationToken: query.continuationToken ?? undefined },
        },
      }),
    );
    return { data: page.data, continuationToken: page.continuationToken ?? null, count: page.count ?? page.data.length };
  },

  createClient: async (providerId, body) => {
    await call(api.POST("/api/providers/{provider_id}/clients", { ...provider(providerId), body }));
  },

  addableOrganizations: async (providerId) => (await call(api.GET("/api/providers/{provider_id}/clients/addable", provider(providerId)))).data,

  addExistingClient: async (providerId, organizationId, key) => {
    await call(api.POST("/api/providers/{provider_id}/clients/existing", { ...provider(providerId), body: { organizationId, key } }));
  },

  detachClient: async (providerId, providerOrganizationId) => {
    await call(
      api.DELETE("/api/providers/{provider_id}/organizations/{provider_organization_id}", {
        params: { path: { provider_id: providerId, provider_organization_id: providerOrganizationId } },
      }),
    );
  },

  setProviderAccessToItems: async (providerId, client, allowed) => {
    await call(
      api.PUT("/api/providers/{provider_id}/clients/{provider_organization_id}", {
        params: { path: { provider_id: providerId, provider_organization_id: client.id } },
        body: { assignedSeats: client.seats, providerAccessToItems: allowed },
      }),
    );
  },

  updateClient: async (providerId, providerOrganizationId, change) => {
    await call(
      api.PUT("/api/providers/{provider_id}/clients/{provider_organization_id}", {
        params: { path: { provider_id: providerId, provider_organization_id: providerOrganizationId } },
        body: { assignedSeats: change.seats, name: change.name },
      }),
    );
  },

  listUsers: async (providerId) => (await call(api.GET("/api/providers/{provider_id}/users", provider(providerId)))).data,

  invite: async (providerId, emails, type) => {
    await call(api.POST("/api/providers/{provider_id}/users/invite", { ...provider(providerId), body: { emails, type } }));
  },

  reinvite: async (providerId, ids) => (await call(api.POST("/api/providers/{provider_id}/users/reinvite", { ...provider(providerId), body: { ids } }))).data,

  publicKeys: async (providerId, ids) =>
    (await call(api.POST("/api/providers/{provider_id}/users/public-keys", { ...provider(providerId), body: { ids } }))).data,

  confirm: async (providerId, keys) => (await call(api.POST("/api/providers/{provider_id}/users/confirm", { ...provider(providerId), body: { keys } }))).data,

  changeType: async (providerId, providerUserId, type) => {
    await call(api.PUT("/api/providers/{provider_id}/users/{provider_user_id}", { ...providerUser(providerId, providerUserId), body: { type } }));
  },

  revoke: async (providerId, providerUserId) => {
    await call(api.POST("/api/providers/{provider_id}/users/{provider_user_id}/revoke", providerUser(providerId, providerUserId)));
  },

  restore: async (providerId, providerUserId) => {
    await call(api.POST("/api/providers/{provider_id}/users/{provider_user_id}/restore", providerUser(providerId, providerUserId)));
  },

  remove: async (providerId, ids) => (await call(api.POST("/api/providers/{provider_id}/users/delete", { ...provider(providerId), body: { ids } }))).data,

  organizationMembers: async (organizationId) =>
    (await call(api.GET("/api/organizations/{org_id}/users", { params: { path: { org_id: organizationId } } }))).data,

  organizationCollections: async (organizationId) =>
    (await call(api.GET("/api/organizations/{org_id}/collections", { params: { path: { org_id: organizationId } } }))).data,

  providerEvents: (providerId, query) =>
    call(api.GET("/api/providers/{provider_id}/events", { params: { path: { provider_id: providerId }, query: eventQuery(query) } })),

  clientEvents: (providerId, query) =>
    call(api.GET("/api/providers/{provider_id}/clients/events", { params: { path: { provider_id: providerId }, query: eventQuery(query) } })),
};

function eventQuery(query: { start: string; end: string; continuationToken?: string | null }) {
  return { start: query.start, end: query.end, ...(query.continuationToken ? { continuationToken: query.continuationToken } : {}) };
}
