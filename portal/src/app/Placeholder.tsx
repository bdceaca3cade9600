/** Stand-ins until the vault and organization areas mount their own routes (see areas.tsx). */
import { PageHeader } from "../ui";

export function VaultPlaceholder() {
  return <PageHeader title="My Vault" />;
}

export function OrganizationPlaceholder() {
  return <PageHeader title="Organization" />;
}
