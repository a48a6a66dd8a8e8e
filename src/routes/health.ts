// GET /healthz (the process answers) and GET /readyz (Redis answers too).
import type { FastifyPluginAsync } from 'fastify';

export interface HealthRoutesOptions {
  /** Resolves when Redis answers a PING. */
  ping(): Promise<unknown>;
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, options) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await withTimeout(options.ping(), 1000);
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ err }, 'not ready: Redis does not answer');
      return reply.code(503).send({ status: 'unavailable', reason: 'Redis is not reachable' });
    }
  });
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
