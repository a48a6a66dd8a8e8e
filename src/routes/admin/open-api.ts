// The OpenAPI description, built by @fastify/swagger from the routes' TypeBox
// schemas. Swagger sees only routes declared after it in its own scope and
// below, so buildApp registers it once, before every route (the one place).
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Cascade',
        description: 'Keeps every Linear and Jira ticket tied to a company objective. Admin routes take `Authorization: Bearer $ADMIN_TOKEN`.',
        version: '0.1.0',
      },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
    },
  });
}

/** GET /docs/json: the description, behind the admin token like the routes it describes. */
export function docsRoute(app: FastifyInstance): void {
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
}
