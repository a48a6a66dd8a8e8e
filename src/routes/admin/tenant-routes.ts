// Tenants (PRODUCT.md "Several workspaces per deployment"): POST /admin/tenants
// makes one and answers its admin and digest tokens, once; GET /admin/tenants
// lists them; POST /admin/tenants/:id/rotate replaces both tokens. Only the
// operator's tokens (ADMIN_TOKEN) may: a tenant's token gets 403.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { OtherTenantError, tenantOf } from './admin-auth.js';
import { adminSchema, ErrorReply } from './route-schemas.js';
import type { AdminRoutesOptions } from './admin-options.js';
import { TENANT_ID_PATTERN } from '../../tenants/tenant-ids.js';
import { BadTenantIdError } from '../../tenants/tenant-store.js';

const Listed = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  rotatedAt: Type.Optional(Type.String()),
});
const WithTokens = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  adminToken: Type.String({ description: 'The tenant\'s admin token (`cta_…`): shown this once, only its digest is kept' }),
  digestToken: Type.String({ description: 'The tenant\'s digest token (`ctd_…`): shown this once' }),
});
// The id is checked by the store, so a bad one gets its own clear message rather than a schema's.
const Create = Type.Object({
  id: Type.String({ maxLength: 100, description: `The tenant's id: ${TENANT_ID_PATTERN}` }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

export const tenantRoutes: FastifyPluginAsync<Pick<AdminRoutesOptions, 'tenants'>> = async (app, options) => {
  const tenants = options.tenants;
  if (!tenants) return;
  const store = tenants.directory.store;
  const operatorOnly = async (request: FastifyRequest): Promise<void> => {
    const limited = tenantOf(request);
    if (limited !== undefined) throw new OtherTenantError(limited);
  };

  app.post<{ Body: Static<typeof Create> }>('/admin/tenants', {
    preHandler: operatorOnly,
    schema: adminSchema('Makes a tenant: its own config, verdicts, digest and queues; answers its tokens once (operator only)', {
      body: Create,
      response: { 201: WithTokens, 400: ErrorReply, 403: ErrorReply, 409: ErrorReply },
    }),
  }, async (request, reply) => {
    const made = await store.create(request.body.id, request.body.name);
    tenants.directory.invalidate();
    request.log.info({ tenant: made.tenant.id }, `tenant ${made.tenant.id} created`);
    return reply.code(201).send({ ...made.tenant, adminToken: made.adminToken, digestToken: made.digestToken });
  });

  app.get('/admin/tenants', {
    preHandler: operatorOnly,
    schema: adminSchema('The tenants besides `default` (never their tokens; operator only)', { response: { 200: Type.Array(Listed), 403: ErrorReply } }),
  }, async () => (await store.list()).map(({ id, name, createdAt, rotatedAt }) => ({ id, name, createdAt, ...(rotatedAt ? { rotatedAt } : {}) })));

  app.post<{ Params: Static<typeof IdParams> }>('/admin/tenants/:id/rotate', {
    preHandler: operatorOnly,
    schema: adminSchema('Replaces a tenant\'s admin and digest tokens: the old ones stop working (operator only)', {
      params: IdParams,
      response: { 200: WithTokens, 400: ErrorReply, 403: ErrorReply, 404: ErrorReply },
    }),
  }, async (request) => {
    if (request.params.id === 'default') throw new BadTenantIdError('default');
    const made = await store.rotate(request.params.id);
    tenants.directory.invalidate();
    request.log.info({ tenant: made.tenant.id }, `tokens of tenant ${made.tenant.id} replaced`);
    return { ...made.tenant, adminToken: made.adminToken, digestToken: made.digestToken };
  });
};
