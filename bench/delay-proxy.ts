// A node:http proxy in front of a sandbox that answers each request after a
// fixed delay (a tracker "that answers in 20 ms") and counts what it forwards,
// telling reads from writes: GraphQL mutations for Linear, and for Jira every
// request that is not a GET or a search.
import { createServer, request as httpRequest, Agent, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyCounts {
  reads: number;
  writes: number;
}

export interface DelayProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:40123 (append the sandbox's path). */
  origin: string;
  counts(): ProxyCounts;
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export function isWrite(method: string, url: string, body: Buffer): boolean {
  if (url.includes('/graphql')) {
    try {
      const { query } = JSON.parse(body.toString('utf8')) as { query?: string };
      return typeof query === 'string' && /^\s*mutation\b/.test(query);
    } catch {
      return false;
    }
  }
  if (method === 'GET') return false;
  return !/\/search(\/jql)?\b/.test(url);
}

export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const counts: ProxyCounts = { reads: 0, writes: 0 };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      if (isWrite(req.method ?? 'GET', req.url ?? '/', body)) counts.writes++;
      else counts.reads++;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: `bench proxy: ${err.message}` }] }));
      });
      forward.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
