// The admin API (PRODUCT.md "Contract"): config, versions, rollback, re-check,
// explain and queue status, all behind the admin token; with tenants, each
// tenant's own through its admin token, and the tenants themselves. Absent entirely when
// no ADMIN_TOKEN is set.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { actingTenantOf, guardAdminRoutes, tenantOf } from './admin-auth.js';
import { configRoutes } from './config-routes.js';
import { explainRoutes } from './explain-routes.js';
import { exemptionRoutes } from './exemption-routes.js';
import { linkRoutes } from './link-routes.js';
import { installRoutes } from './install-routes.js';
import { queueRoutes } from './queue-routes.js';
import { recheckRoutes } from './recheck-routes.js';
import { reviewRoutes } from './review-routes.js';
import { rolloutRoutes } from './rollout-routes.js';
import { tenantRoutes } from './tenant-routes.js';
import { docsRoute } from './open-api.js';
import type { AdminRoutesOptions } from './admin-options.js';

export type { AdminRoutesOptions, AdminTenants, RecheckRequest, SweepProgress, TenantAdminParts } from './admin-options.js';
export { TENANT_HEADER } from './admin-auth.js';
export type { AdminRateLimit } from './admin-auth.js';

export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, options) => {
  if (options.tokens.length === 0) return; // no token, no routes: the admin API is never open
  await guardAdminRoutes(app, options.tokens, options.rateLimit, options.tenants?.directory);
  // Each group in its own scope: the config routes take raw JSON/YAML text, the others parse JSON as usual.
  await app.register(configRoutes, options);
  await app.register(explainRoutes, options);
  await app.register(recheckRoutes, options);
  await app.register(rolloutRoutes, options);
  await app.register(queueRoutes, options);
  await app.register(reviewRoutes, options);
  await app.register(exemptionRoutes, options);
  await app.register(linkRoutes, options);
  // A tenant's token sees its own installations only.
  await app.register(installRoutes, { ...options, tenantOf: options.tenantOf ?? tenantOf, actingTenantOf });
  await app.register(tenantRoutes, options);
  docsRoute(app);
};

/** For buildApp's `plugins`: `plugins: [adminPlugin(options)]`. */
export function adminPlugin(options: AdminRoutesOptions): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(adminRoutes, options);
  };
}
