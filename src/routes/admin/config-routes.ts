// The config through the admin API: read (JSON or YAML, with its ETag), write
// with optimistic concurrency (If-Match), validate without saving, list the
// versions, roll back. Every save starts a re-check of the open tickets.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { diffConfig } from '../../config/diff-config.js';
import type { CascadeConfig } from '../../strategy/tree-schema.js';
import { validateConfig } from '../../config/validate-config.js';
import { VersionConflictError, type StoredVersion } from '../../store/config-store.js';
import { authorOf } from './admin-auth.js';
import {
  ConfigBusyError, InvalidConfigError, NoConfigError, PreconditionRequiredError, StaleEtagError, UnknownVersionError, sendError,
} from './admin-errors.js';
import { acceptConfigDocuments, CONFIG_CONTENT_TYPES, readConfigDocument, sameConfig, versionsIn } from './config-body.js';
import { estimateImpact } from './config-impact.js';
import { adminSchema, ErrorReply, IssueList, RecheckResult, StringEnum } from './route-schemas.js';
import { tenantOptions, type AdminRoutesOptions } from './admin-options.js';
import { trackerWarnings } from '../../config/tracker-warnings.js';

type ConfigRouteOptions = Pick<AdminRoutesOptions, 'configStore' | 'verdicts' | 'now' | 'startRecheck'> & Partial<Pick<AdminRoutesOptions, 'trackers' | 'timeZone' | 'tenants'>>;

const Warning = Type.Object({
  path: Type.String(), tracker: Type.String(), kind: Type.String(), value: Type.String(), closest: Type.Union([Type.String(), Type.Null()]), message: Type.String(),
});
const Warnings = Type.Array(Warning, { description: 'Match entries that name nothing in the tracker, with the closest existing name (never blocks a save)' });
const Unchecked = Type.Array(Type.Object({ tracker: Type.String(), reason: Type.String() }));

/** Warnings from the configured trackers that can list names; nothing when none can. */
async function warningsFor(options: ConfigRouteOptions, config: CascadeConfig): Promise<{ warnings?: Array<Static<typeof Warning>>; unchecked?: Array<Static<typeof Unchecked>[number]> }> {
  const trackers = options.trackers ?? {};
  if (!Object.values(trackers).some((t) => t?.outline)) return {};
  const check = await trackerWarnings(config, trackers);
  return { warnings: check.warnings, ...(check.unchecked.length ? { unchecked: check.unchecked } : {}) };
}

const SaveResult = Type.Object({
  version: Type.Integer(),
  summary: Type.Array(Type.String()),
  /** True when the document equals the current config: nothing stored, nothing re-checked. */
  unchanged: Type.Optional(Type.Boolean()),
  rolledBackTo: Type.Optional(Type.Integer()),
  recheck: RecheckResult,
  warnings: Type.Optional(Warnings),
  unchecked: Type.Optional(Unchecked),
});
type SaveResult = Static<typeof SaveResult>;

// Issues are optional: the same 400 also carries Fastify's own validation errors (a bad query or parameter).
const InvalidReply = Type.Object({ error: Type.String(), message: Type.String(), issues: Type.Optional(IssueList) });
const StaleReply = Type.Object({ error: Type.String(), message: Type.String(), currentVersion: Type.Integer() });
const DocumentBody = Type.String({ description: `The config document (PRODUCT.md "Config file") as ${CONFIG_CONTENT_TYPES.join(', ')}` });
const GetQuery = Type.Object({ format: Type.Optional(StringEnum(['json', 'yaml'] as const)) }, { additionalProperties: false });
const VersionsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }, { additionalProperties: false });
const VersionParams = Type.Object({ version: Type.Integer({ minimum: 1 }) });
const VersionsReply = Type.Object({
  current: Type.Union([Type.Integer(), Type.Null()]),
  versions: Type.Array(Type.Object({
    version: Type.Integer(), author: Type.String(), createdAt: Type.String(), summary: Type.Array(Type.String()), current: Type.Boolean(),
  })),
});

export const configRoutes: FastifyPluginAsync<ConfigRouteOptions> = async (app, options) => {
  acceptConfigDocuments(app);
  // The tenant's config store and verdicts, per request.
  const ctxOf = async (request: FastifyRequest): Promise<Ctx> => {
    const own = await optionsOf(request);
    return { store: own.configStore, options: own };
  };
  const optionsOf = tenantOptions(options);

  app.get<{ Querystring: Static<typeof GetQuery> }>('/admin/config', {
    schema: adminSchema('The config in force, as JSON (default) or YAML, with its version as ETag', { querystring: GetQuery, response: { 404: ErrorReply } }),
  }, async (request, reply) => {
    const current = await currentStored(await ctxOf(request));
    if (!current) throw new NoConfigError();
    tagVersion(reply, current.version);
    const accept = String(request.headers.accept ?? '');
    if (request.query.format === 'yaml' || (request.query.format === undefined && /\b(application|text)\/(x-)?yaml\b/.test(accept))) {
      return reply.type('application/yaml; charset=utf-8').send(stringify(current.config));
    }
    return reply.send(current.config);
  });

  app.put('/admin/config', {
    schema: adminSchema('Replace the config (If-Match required); starts a re-check of open tickets', {
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ETag from GET /admin/config, e.g. "3"' })) }),
      body: DocumentBody,
      response: { 200: SaveResult, 400: InvalidReply, 412: StaleReply, 428: ErrorReply },
    }),
  }, async (request, reply) => {
    const ifMatch = request.headers['if-match'];
    if (typeof ifMatch !== 'string' || ifMatch.trim() === '') throw new PreconditionRequiredError();
    const read = readConfigDocument(request);
    if (!read.ok) return invalid(reply, read.issues);
    const ctx = await ctxOf(request);
    const expected = (await ctx.store.currentVersion()) ?? 0;
    if (!versionsIn(ifMatch).includes(expected)) return stale(reply, expected);
    try {
      return await save(ctx, request, reply, read.config, expected, []);
    } catch (err) {
      if (err instanceof VersionConflictError) return stale(reply, err.current);
      throw err;
    }
  });

  app.post('/admin/config/validate', {
    schema: adminSchema('Check a config without saving it: the problems, or what would change and which tickets it touches', {
      body: DocumentBody,
      response: { 400: InvalidReply },
    }),
  }, async (request, reply) => {
    const read = readConfigDocument(request);
    if (!read.ok) return invalid(reply, read.issues);
    const ctx = await ctxOf(request);
    const current = await currentStored(ctx);
    const before = current?.config ?? null;
    const own = ctx.options;
    const [impact, warnings] = await Promise.all([estimateImpact(own.verdicts, before, read.config, own.now(), own.timeZone), warningsFor(own, read.config)]);
    return reply.send({ valid: true, currentVersion: current?.version ?? null, summary: diffConfig(before, read.config), impact, ...warnings });
  });

  app.get<{ Querystring: Static<typeof VersionsQuery> }>('/admin/config/versions', {
    schema: adminSchema('Config versions, newest first', { querystring: VersionsQuery, response: { 200: VersionsReply } }),
  }, async (request) => {
    const { store } = await ctxOf(request);
    const [current, versions] = await Promise.all([store.currentVersion(), store.list(request.query.limit ?? 100)]);
    return { current, versions: versions.map((v) => ({ ...v, current: v.version === current })) };
  });

  app.post<{ Params: Static<typeof VersionParams> }>('/admin/config/rollback/:version', {
    schema: adminSchema('Make an earlier version current again, as a new version; starts a re-check', {
      params: VersionParams,
      response: { 200: SaveResult, 400: InvalidReply, 404: ErrorReply, 409: ErrorReply },
    }),
  }, async (request, reply) => {
    const { version } = request.params;
    const ctx = await ctxOf(request);
    const { store } = ctx;
    const target = await store.get(version);
    if (!target) throw new UnknownVersionError(String(version));
    // Rules may have tightened since that version was saved.
    const valid = validateConfig(target.config);
    if (!valid.ok) return invalid(reply, valid.issues, `version ${version} no longer passes validation`);
    // Rolling back means "make vN current" whatever is current now: retry a lost race a few times.
    for (let attempt = 0; attempt < 3; attempt++) {
      const expected = (await store.currentVersion()) ?? 0;
      try {
        return await save(ctx, request, reply, target.config, expected, [`rollback to v${version}`], version);
      } catch (err) {
        if (!(err instanceof VersionConflictError)) throw err;
      }
    }
    throw new ConfigBusyError();
  });
};

interface Ctx {
  store: ConfigRouteOptions['configStore'];
  options: ConfigRouteOptions;
}

async function currentStored(ctx: Ctx): Promise<StoredVersion | null> {
  const version = await ctx.store.currentVersion();
  return version === null ? null : ctx.store.get(version);
}

/** Stores `config` if the current version is still `expected`, then starts the re-check. */
async function save(
  ctx: Ctx, request: FastifyRequest, reply: FastifyReply, config: CascadeConfig, expected: number, lead: string[], rolledBackTo?: number,
): Promise<FastifyReply> {
  const before = expected > 0 ? ((await ctx.store.get(expected))?.config ?? null) : null;
  const extra = rolledBackTo === undefined ? {} : { rolledBackTo };
  // The same document again: a new version would only cost a re-check of every open ticket.
  if (before && sameConfig(before, config)) {
    tagVersion(reply, expected);
    return reply.send({ version: expected, summary: ['no changes'], unchanged: true, ...extra, recheck: { sweepIds: [] } } satisfies SaveResult);
  }
  const summary = [...lead, ...diffConfig(before, config)];
  const stored = await ctx.store.put(config, { author: authorOf(request), summary, expected: expected > 0 ? expected : null });
  request.log.info({ version: stored.version, author: stored.author, summary }, 'config saved');
  const [recheck, warnings] = await Promise.all([startRecheck(ctx.options, request), warningsFor(ctx.options, config)]);
  tagVersion(reply, stored.version);
  return reply.send({ version: stored.version, summary, ...extra, recheck, ...warnings } satisfies SaveResult);
}

/** The config is saved either way; a re-check that fails to start is caught up by the nightly sweep. */
async function startRecheck(options: ConfigRouteOptions, request: FastifyRequest): Promise<SaveResult['recheck']> {
  try {
    return { sweepIds: (await options.startRecheck({ reason: 'config' })).sweepIds };
  } catch (err) {
    request.log.warn({ err }, 'config saved, but the re-check did not start: POST /admin/recheck to retry (the nightly sweep also catches up)');
    return { sweepIds: [], error: (err as Error).message };
  }
}

function tagVersion(reply: FastifyReply, version: number): void {
  reply.header('etag', `"${version}"`).header('x-config-version', String(version));
}

function invalid(reply: FastifyReply, issues: Array<{ path: string; message: string }>, message?: string): FastifyReply {
  const error = new InvalidConfigError(String(issues.length));
  const text = message ? `${message}: ${error.message}` : error.message;
  return sendError(reply, { code: error.code, statusCode: error.statusCode, message: text }, { issues });
}

function stale(reply: FastifyReply, current: number): FastifyReply {
  tagVersion(reply, current);
  return sendError(reply, new StaleEtagError(String(current)), { currentVersion: current });
}
