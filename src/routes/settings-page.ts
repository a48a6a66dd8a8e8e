// GET /settings: the page where an admin lists Cascade's installations and
// connects or disconnects workspaces (PRODUCT.md "Installed as an app",
// "Installations"). The page and its script (/settings.js) hold no data and
// need no token; the script asks for the admin token and reads the admin API
// with it (src/routes/admin/install-routes.ts). Absent when no admin token is
// set, as the admin API is.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { SETTINGS_SCRIPT } from './settings-script.js';
import { settingsShell, SETTINGS_STYLE_HASH } from './settings-shell.js';

export interface SettingsPageOptions {
  /** Whether the admin API is served (ADMIN_TOKEN set); without it the page could do nothing. */
  adminApi: boolean;
  /** The tracker ids offered in Connect buttons, in the registry's order. */
  trackers: readonly string[];
}

/**
 * Scripts from Cascade only (no inline script), the page's own stylesheet by its
 * hash, calls to Cascade only, no form may post anywhere (the token field must
 * never leave in a form), and no framing (the Disconnect buttons cannot be
 * clicked through another site's page).
 */
const POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src ${SETTINGS_STYLE_HASH}`,
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function secured(reply: FastifyReply, type: string): FastifyReply {
  return reply
    .header('content-type', type)
    .header('cache-control', 'no-store')
    .header('content-security-policy', POLICY)
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY');
}

export const settingsPageRoutes: FastifyPluginAsync<SettingsPageOptions> = async (app, options) => {
  if (!options.adminApi) return;
  const page = Buffer.from(settingsShell(options.trackers));
  const script = Buffer.from(SETTINGS_SCRIPT);
  app.get('/settings', { schema: { hide: true } }, async (_request, reply) => secured(reply, 'text/html; charset=utf-8').send(page));
  app.get('/settings.js', { schema: { hide: true } }, async (_request, reply) => secured(reply, 'text/javascript; charset=utf-8').send(script));
};
