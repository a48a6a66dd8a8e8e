// Every Redis connection Cascade opens is made here, from one address (see
// src/config/redis-address.ts): one server, or the nodes of a Redis Cluster,
// which get ioredis' cluster client (any node will do: the client learns the
// slot map from it and follows MOVED). The stores take either (`RedisClient`):
// every key of one prefix shares its hash tag, so each script and MULTI runs
// on one node (see keys.ts).
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { isClusterAddress, parseClusterAddress } from '../config/redis-address.js';

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

/** The masters of a cluster, or the one server: where a per-node command (INFO) must go. */
export function masterNodes(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
