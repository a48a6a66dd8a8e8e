// How REDIS_URL names Redis: `redis://` or `rediss://` is one server;
// `redis+cluster://` or `rediss+cluster://` lists one or more nodes of a Redis
// Cluster (src/store/redis-client.ts opens it with the cluster client). Pure
// string work, shared by the environment and the connection factory.

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

/** The address with its password hidden, for log lines and errors. */
export function redactAddress(address: string): string {
  return address.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}
