// Tenant ids and where each tenant's keys live. The `default` tenant is the
// deployment as it ran before tenants: its keys keep the base prefix
// (`{cascade}`), so existing data stays where it is. Any other tenant's keys
// and queues sit under a hash tag of its own (`{cascade:<tenant>}`): on a Redis
// Cluster tenants spread over slots, and every script still touches one slot.

export const DEFAULT_TENANT = 'default';
export const TENANT_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,39}$';
const TENANT_ID = new RegExp(TENANT_ID_PATTERN);

/**
 * Ids no tenant may take: `default` is implicit, and `tenants` and `installs`
 * would share their tag with the tenant store and the installation store.
 */
export const RESERVED_TENANT_IDS: readonly string[] = [DEFAULT_TENANT, 'tenants', 'installs'];

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID.test(value);
}

/** `{cascade}` → `{cascade:acme}`: the tenant's name inside the base's hash tag. */
export function tenantPrefix(base: string, tenant: string): string {
  if (tenant === DEFAULT_TENANT) return base;
  return base.endsWith('}') ? `${base.slice(0, -1)}:${tenant}}` : `${base}:{${tenant}}`;
}
