// Comment properties as REST v3 has them: `POST /rest/api/3/comment/list`
// (comments by id, `expand=properties` adds each one's properties) and the
// property endpoints under /rest/api/3/comment/{commentId}/properties.
import type { FastifyInstance } from 'fastify';
import { commentView } from './issue-view.js';
import type { RouteContext } from './routes.js';
import { JiraSandboxError } from './types.js';

type PropertyParams = { commentId: string; propertyKey: string };

export function registerCommentPropertyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  const find = (commentId: string) => {
    const hit = store.commentById(commentId);
    if (!hit) throw new JiraSandboxError(404, [`Can not find a comment for the id: ${commentId}.`]);
    return hit;
  };

  app.post<{ Querystring: Record<string, string | undefined> }>('/rest/api/3/comment/list', async (request) => {
    const ids = (request.body as { ids?: unknown } | null)?.ids;
    if (!Array.isArray(ids) || ids.length === 0) throw new JiraSandboxError(400, ['The list of comment IDs must not be empty.']);
    if (ids.length > 1000) throw new JiraSandboxError(400, ['A maximum of 1000 IDs can be specified.']);
    const withProperties = (request.query.expand ?? '').split(',').includes('properties');
    const values = ids
      .map((id) => store.commentById(String(id)))
      .filter((hit) => hit !== null)
      .map(({ issue, comment }) => commentView(store, ctx.baseUrl(), issue, comment, withProperties));
    return { maxResults: 1000, startAt: 0, total: values.length, isLast: true, values };
  });

  app.get<{ Params: { commentId: string } }>('/rest/api/3/comment/:commentId/properties', async (request) => {
    const { comment } = find(request.params.commentId);
    const base = ctx.baseUrl();
    return { keys: Object.keys(comment.properties ?? {}).map((key) => ({ key, self: `${base}/rest/api/3/comment/${comment.id}/properties/${key}` })) };
  });

  app.get<{ Params: PropertyParams }>('/rest/api/3/comment/:commentId/properties/:propertyKey', async (request) => {
    const { comment } = find(request.params.commentId);
    const { propertyKey } = request.params;
    if (!comment.properties || !(propertyKey in comment.properties)) throw new JiraSandboxError(404, [`The property with key '${propertyKey}' does not exist.`]);
    return { key: propertyKey, value: comment.properties[propertyKey] };
  });

  app.put<{ Params: PropertyParams }>('/rest/api/3/comment/:commentId/properties/:propertyKey', async (request, reply) => {
    const { comment } = find(request.params.commentId);
    const { propertyKey } = request.params;
    if (propertyKey.length > 255) throw new JiraSandboxError(400, ['The property key must be between 1 and 255 characters.']);
    const existed = comment.properties !== undefined && propertyKey in comment.properties;
    comment.properties = { ...comment.properties, [propertyKey]: request.body };
    return reply.code(existed ? 200 : 201).send();
  });

  app.delete<{ Params: PropertyParams }>('/rest/api/3/comment/:commentId/properties/:propertyKey', async (request, reply) => {
    const { comment } = find(request.params.commentId);
    const { propertyKey } = request.params;
    if (!comment.properties || !(propertyKey in comment.properties)) throw new JiraSandboxError(404, [`The property with key '${propertyKey}' does not exist.`]);
    delete comment.properties[propertyKey];
    return reply.code(204).send();
  });
}
