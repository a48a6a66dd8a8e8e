// Installations (PRODUCT.md "Installed as an app"): POST /admin/installs/:tracker
// answers the authorize URL an admin opens to consent; GET /admin/installs lists
// every installation with its status and expiries (never a token);
// DELETE /admin/installs/:id disconnects one. Absent when no app is set up and
// no installation service is given.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { InstallService } from '../../installs/install-service.js';
import { adminSchema, ErrorReply, TrackerName } from './route-schemas.js';
import { DEFAULT_TENANT } from '../../tenants/tenant-ids.js';

export interface InstallRoutesOptions {
  installs?: InstallService;
  /** PUBLIC_URL: where trackers and browsers reach Cascade; absent: the request's own origin. */
  publicUrl?: string;
  /** The tenant an admin token is limited to; undefined: the operator's token, which sees all. */
  tenantOf?(request: FastifyRequest): string | undefined;
  /** The tenant the request acts on: the token's, or the one the operator names by header or query; absent: `default`. */
  actingTenantOf?(request: FastifyRequest): string;
}

const Listed = Type.Object({
  id: Type.String(),
  tracker: Type.String(),
  workspace: Type.Object({ id: Type.String(), name: Type.String() }),
  tenant: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('needs_reauth'), Type.Literal('revoked')]),
  statusReason: Type.Optional(Type.String()),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  refreshChainEndsAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  webhook: Type.Union([Type.Object({ expiresAt: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  installedAt: Type.String(),
});

const Begin = Type.Object({ tenant: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'The tenant the workspace serves; default `default`' })) }, { additionalProperties: false });

export const installRoutes: FastifyPluginAsync<InstallRoutesOptions> = async (app, options) => {
  const installs = options.installs;
  if (!installs) return;
  const tenantOf = (request: FastifyRequest): string | undefined => options.tenantOf?.(request);

  app.get('/admin/installs', {
    schema: adminSchema('Installations of Cascade as an app: workspace, tenant, status, when the token and the webhook end', { response: { 200: Type.Array(Listed) } }),
  }, async (request) => {
    // The operator's token lists every tenant's, or the one it names (`cascade-tenant`, `?tenant=`) as on every admin route.
    const acting = options.actingTenantOf?.(request);
    return installs.list(tenantOf(request) ?? (acting !== undefined && acting !== DEFAULT_TENANT ? acting : undefined));
  });

  app.post<{ Params: { tracker: string }; Body: Static<typeof Begin> | undefined }>('/admin/installs/:tracker', {
    schema: adminSchema('Starts an install: the URL an admin opens to consent (one use, 15 minutes)', {
      params: Type.Object({ tracker: TrackerName }),
      body: Type.Optional(Begin),
      response: { 200: Type.Object({ authorizeUrl: Type.String(), expiresAt: Type.String() }), 400: ErrorReply, 403: ErrorReply, 404: ErrorReply },
    }),
  }, async (request) => {
    const limited = tenantOf(request);
    const acting = options.actingTenantOf?.(request) ?? limited ?? DEFAULT_TENANT;
    const named = request.body?.tenant;
    if (limited !== undefined && (named ?? limited) !== limited) throw Object.assign(new Error(`this token belongs to tenant ${limited}`), { statusCode: 403, code: 'CASCADE_OTHER_TENANT' });
    // The operator names a tenant by header or query as on every admin route, or in the body; two different names are a mistake.
    if (named !== undefined && acting !== DEFAULT_TENANT && named !== acting) {
      throw Object.assign(new Error(`the body names tenant ${named} but the request acts on tenant ${acting}: name one`), { statusCode: 400, code: 'CASCADE_TENANT_CONFLICT' });
    }
    const tenant = named ?? acting;
    const base = options.publicUrl ?? `${request.protocol}://${request.host}`;
    const { authorizeUrl, expiresAt } = await installs.begin(request.params.tracker, tenant, base);
    return { authorizeUrl, expiresAt };
  });

  app.delete<{ Params: { id: string } }>('/admin/installs/:id', {
    schema: adminSchema('Disconnects an installation: the token revoked and webhooks deleted at the tracker, no further reads or writes', {
      params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,80}$' }) }),
      response: { 200: Listed, 404: ErrorReply },
    }),
  }, async (request) => installs.disconnect(request.params.id, tenantOf(request)));
};
