// A job started by a config change must decide with that config: each process
// re-reads the current version only every 500 ms, and a job can reach a worker
// sooner than that.
import type { ConfigStore, CurrentConfig } from '../src/store/config-store.js';

export async function configAtLeast(store: ConfigStore, version: number | undefined): Promise<CurrentConfig> {
  const current = await store.current();
  if (version === undefined || current.version >= version) return current;
  store.expire();
  return store.current();
}
