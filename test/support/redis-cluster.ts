// A local Redis Cluster of three masters (no replicas) from the redis-server and
// redis-cli on PATH, for the tests and the fault bench: free ports, one temporary
// directory per node, `redis-cli --cluster create`, then a wait until every node
// reports cluster_state:ok. The servers stay in the caller's process group (not
// detached, unlike the private redis-server of cli/redis-server.ts), so a test
// run stopped by a signal to its group takes them along; a normal exit of the
// process kills them too.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { canListen } from '../../cli/redis-server.js';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  /** redis://127.0.0.1:<port>: this node alone (a plain client gets MOVED for the other nodes' slots). */
  url: string;
  pid: number;
  dir: string;
}

export interface RedisCluster {
  nodes: ClusterNode[];
  /** `redis+cluster://127.0.0.1:<port>` seeded with the one node given (any node will do). */
  clusterUrl(node: ClusterNode): string;
  /** The slot of a key (CLUSTER KEYSLOT: a key with a hash tag hashes only the tag). */
  slotOf(key: string): Promise<number>;
  /** The master that serves a slot. */
  ownerOf(slot: number): Promise<ClusterNode>;
  /** A node that does NOT serve the key's slot: naming it alone, a plain client gets MOVED for that key. */
  nodeNotOwning(key: string): Promise<ClusterNode>;
  /** Asks one node a command (CLUSTER COUNTKEYSINSLOT, INFO…). */
  ask(node: ClusterNode, ...args: string[]): Promise<unknown>;
  /** Kills one node with SIGKILL and starts it again on its port and directory (its nodes.conf and AOF): it rejoins. */
  restart(node: ClusterNode, afterMs?: number): Promise<void>;
  /** The node's process, for SIGSTOP/SIGCONT. */
  processOf(node: ClusterNode): ChildProcess;
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  /** Masters. Default 3 (the least `redis-cli --cluster create` accepts). */
  masters?: number;
  /** Keep an append-only file, fsync'd always, as Cascade's private server does. Default false. */
  appendOnly?: boolean;
  /** How long to wait for cluster_state:ok. Default 20 s. */
  readyTimeoutMs?: number;
}

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const children = new Map<number, ChildProcess>();
  const nodes: ClusterNode[] = [];
  const killAll = (): void => {
    for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const launch = async (node: Omit<ClusterNode, 'pid'>): Promise<ChildProcess> => {
    const args = ['--port', String(node.port), '--bind', '127.0.0.1', '--dir', node.dir, '--save', '', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'];
    args.push(...(options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.set(node.port, child);
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`cluster node on port ${node.port} not ready: ${output.slice(-300)}`)), 10_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (!output.includes('Ready to accept connections')) return;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.resume();
      child.once('error', reject);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`cluster node on port ${node.port} exited with code ${code}: ${output.slice(-300)}`));
      });
    });
    return child;
  };

  const stop = async (): Promise<void> => {
    const exits = [...children.values()].filter((c) => c.exitCode === null && c.signalCode === null).map((c) => once(c, 'exit'));
    killAll();
    await Promise.all(exits);
    process.off('exit', killAll);
    for (const node of nodes) rmSync(node.dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < masters; i++) {
      const node = { port: await clusterPort(), url: '', dir: mkdtempSync(join(tmpdir(), 'cascade-cluster-')) };
      node.url = `redis://127.0.0.1:${node.port}`;
      const child = await launch(node);
      nodes.push({ ...node, pid: child.pid ?? 0 });
    }
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitUntilOk(nodes, readyTimeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }

  const ask = async (node: ClusterNode, ...args: string[]): Promise<unknown> => {
    const client = new Redis(node.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await client.connect();
      return await client.call(args[0]!, ...args.slice(1));
    } finally {
      client.disconnect();
    }
  };
  const slotOf = async (key: string): Promise<number> => Number(await ask(nodes[0]!, 'CLUSTER', 'KEYSLOT', key));
  const ownerOf = async (slot: number): Promise<ClusterNode> => {
    const ranges = (await ask(nodes[0]!, 'CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]]]>;
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    const owner = nodes.find((n) => n.port === range?.[2][1]);
    if (!owner) throw new Error(`no node serves slot ${slot}`);
    return owner;
  };
  return {
    nodes,
    clusterUrl: (node) => `redis+cluster://127.0.0.1:${node.port}`,
    slotOf,
    ownerOf,
    async nodeNotOwning(key) {
      const owner = await ownerOf(await slotOf(key));
      return nodes.find((n) => n !== owner)!;
    },
    ask,
    async restart(node, afterMs = 0) {
      const child = children.get(node.port)!;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exited;
      }
      if (afterMs > 0) await new Promise((resolve) => setTimeout(resolve, afterMs));
      node.pid = (await launch(node)).pid ?? 0;
      await waitUntilOk(nodes, readyTimeoutMs);
    },
    processOf: (node) => children.get(node.port)!,
    stop,
  };
}

async function waitUntilOk(nodes: ClusterNode[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(
      nodes.map(async (node) => {
        const client = new Redis(node.url, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
        client.on('error', () => undefined);
        try {
          await client.connect();
          return /cluster_state:ok/.test(await client.cluster('INFO'));
        } catch {
          return false;
        } finally {
          client.disconnect();
        }
      }),
    );
    if (states.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error(`the Redis Cluster on ports ${nodes.map((n) => n.port).join(', ')} did not reach cluster_state:ok within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A port for a cluster node whose cluster bus (the port + 10000) is free too, both
 * below Linux's ephemeral range (32768 and up): a bus port in that range may be
 * taken meanwhile by an outgoing connection, and the node then exits at start.
 */
async function clusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 2_700);
    if ((await canListen(port)) && (await canListen(port + 10_000))) return port;
  }
  throw new Error('no free port with a free cluster bus port beside it');
}
