// Every Redis connection Cascade opens is made here, from one address: a
// `redis://` or `rediss://` URL is one server; a `redis+cluster://` or
// `rediss+cluster://` URL lists one or more nodes of a Redis Cluster (any
// node will do: the client learns the slot map from it and follows MOVED),
// and gets ioredis' cluster client. The stores take either (`RedisClient`):
// every key of one prefix shares its hash tag, so each script and MULTI runs
// on one node (see keys.ts).
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

/** The options Cascade sets on its connections, the same for one server and for a cluster. */
export interface RedisClientOptions {
  /** null: wait for ever (BullMQ workers). Default ioredis' 20. */
  maxRetriesPerRequest?: number | null;
  /** Default true (commands wait while disconnected). */
  enableOfflineQueue?: boolean;
  /** A command without an answer after this long fails. Default none. */
  commandTimeout?: number;
  /** Default false: connect on creation. */
  lazyConnect?: boolean;
  /** Default false. */
  enableAutoPipelining?: boolean;
  connectTimeout?: number;
  /** false: never reconnect by itself (the start-up wait drives its own attempts). Default true. */
  reconnect?: boolean;
}

export interface ClusterAddress {
  seeds: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  tls: boolean;
}

const CLUSTER_SCHEMES = ['redis+cluster:', 'rediss+cluster:'];

export function isClusterAddress(address: string): boolean {
  return CLUSTER_SCHEMES.some((scheme) => address.toLowerCase().startsWith(`${scheme}//`));
}

/** `redis://host:port` as a cluster seed: the same URL under the cluster scheme. */
export function asClusterAddress(url: string): string {
  return isClusterAddress(url) ? url : url.replace(/^(rediss?):/i, '$1+cluster:');
}

/**
 * Reads `redis+cluster://[user:password@]host:port[,host:port…]`; throws an
 * Error whose message says what is wrong. A cluster has one database, so a
 * path other than `/` or `/0` is refused.
 */
export function parseClusterAddress(address: string): ClusterAddress {
  const match = /^(rediss?)\+cluster:\/\/([^/?#]*)(\/[^?#]*)?([?#].*)?$/i.exec(address);
  if (!match) throw new Error('is not a redis+cluster://host:port[,host:port…] URL');
  const [, scheme, authority = '', path = ''] = match;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const hosts = at >= 0 ? authority.slice(at + 1) : authority;
  if (path !== '' && path !== '/' && path !== '/0') throw new Error('names a database: a Redis Cluster has only database 0');
  const seeds = hosts.split(',').map((entry) => {
    const seed = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(entry.trim());
    const port = Number(seed?.[2]);
    if (!seed || port < 1 || port > 65535) throw new Error(`has a node "${entry}" that is not host:port`);
    return { host: seed[1]!.replace(/^\[|\]$/g, ''), port };
  });
  const colon = userinfo.indexOf(':');
  const username = decodeURIComponent(colon >= 0 ? userinfo.slice(0, colon) : userinfo) || undefined;
  const password = colon >= 0 ? decodeURIComponent(userinfo.slice(colon + 1)) || undefined : undefined;
  return { seeds, username, password, tls: scheme!.toLowerCase() === 'rediss' };
}

export function createRedisClient(address: string, options: RedisClientOptions = {}): RedisClient {
  const { reconnect = true, enableOfflineQueue, lazyConnect, enableAutoPipelining, ...perNode } = options;
  if (!isClusterAddress(address)) {
    return new Redis(address, { ...perNode, enableOfflineQueue, lazyConnect, enableAutoPipelining, ...(reconnect ? {} : { retryStrategy: () => null }) });
  }
  const cluster = parseClusterAddress(address);
  // Per-node settings (retries, timeouts, credentials) go to every node's connection; queueing,
  // laziness and pipelining belong to the cluster client, which routes each command by its slot.
  const redisOptions: RedisOptions = { ...perNode, username: cluster.username, password: cluster.password, ...(cluster.tls ? { tls: {} } : {}) };
  const clusterOptions: ClusterOptions = { redisOptions, enableOfflineQueue, lazyConnect, enableAutoPipelining, ...(reconnect ? {} : { clusterRetryStrategy: () => null }) };
  return new Cluster(cluster.seeds, clusterOptions);
}

/** The address with its password hidden, for log lines and errors. */
export function redactAddress(address: string): string {
  return address.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/** The masters of a cluster, or the one server: where a per-node command (INFO, SCRIPT LOAD) must go. */
export function masterNodes(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
