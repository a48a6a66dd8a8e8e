// GET /oauth/:tracker/callback: where a tracker sends the admin's browser after
// the consent. No token (the browser has none); the one-use state is what
// proves the install was asked for by an admin. Answers a small page that
// names the workspace (escaped), or says what went wrong.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { html, type Html } from '../digest/html.js';
import type { InstallService } from '../installs/install-service.js';

export interface OAuthCallbackOptions {
  installs?: InstallService;
}

const Query = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 2000 })),
  state: Type.Optional(Type.String({ maxLength: 200 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  error_description: Type.Optional(Type.String({ maxLength: 1000 })),
});

function page(reply: FastifyReply, status: number, title: string, body: Html): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .send(String(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2328}h1{font-size:1.4rem}a{color:#0969da}</style></head>
<body><h1>${title}</h1>${body}<p><a href="/settings">Back to Cascade's settings</a></p></body></html>`));
}

export const oauthCallbackRoutes: FastifyPluginAsync<OAuthCallbackOptions> = async (app, options) => {
  const installs = options.installs;
  if (!installs) return;
  app.get<{ Params: { tracker: string }; Querystring: Static<typeof Query> }>('/oauth/:tracker/callback', {
    schema: { hide: true, params: Type.Object({ tracker: Type.String({ pattern: '^[a-z]{1,20}$' }) }), querystring: Query },
  }, async (request, reply) => {
    const { code, state, error, error_description: description } = request.query;
    if (error) return page(reply, 400, 'Cascade was not installed', html`<p>The tracker answered: ${description ?? error}.</p>`);
    if (!code || !state) return page(reply, 400, 'Cascade was not installed', html`<p>The link is missing its code or state. Start again from the settings page.</p>`);
    try {
      const stored = await installs.complete(request.params.tracker, code, state);
      const names = stored.map((r) => r.workspace.name);
      return page(reply, 200, `Cascade is installed in ${names.join(', ')}`, html`<p>Cascade now checks the tickets of ${names.map((n, i) => html`${i > 0 ? ', ' : ''}<strong>${n}</strong>`)} against the strategy of tenant <strong>${stored[0]?.tenant ?? 'default'}</strong>.</p>`);
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status && status < 500) return page(reply, status, 'Cascade was not installed', html`<p>${(err as Error).message}</p>`);
      request.log.error({ err }, 'the install could not be completed');
      return page(reply, 502, 'Cascade was not installed', html`<p>The tracker could not be reached to complete the install. Try again in a minute.</p>`);
    }
  });
};
