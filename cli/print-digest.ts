// `cascade digest` / `npm run digest`: compute this week's digest from Redis and print it (nothing is stored).
import { createRedisClient } from '../src/store/redis-client.js';
import type { Logger } from 'pino';
import type { AppEnv } from '../src/config/environment.js';
import { ConfigStore } from '../src/store/config-store.js';
import { DigestStore } from '../src/store/digest-store.js';
import { keysFor } from '../src/store/keys.js';
import { VerdictStore } from '../src/store/verdict-store.js';
import { ProposalStore } from '../src/store/proposal-store.js';
import { ExemptionStore } from '../src/store/exemption-store.js';
import { computeDigestNow } from '../workers/current-digest.js';
import { renderDigestText } from '../src/digest/render-text.js';

export async function printDigest(options: { env: AppEnv; redisUrl: string; logger: Logger }): Promise<number> {
  const redis = createRedisClient(options.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const keys = keysFor();
    const configStore = new ConfigStore(redis, keys);
    if ((await configStore.currentVersion()) === null) {
      console.error('cascade digest: Redis holds no config yet: start Cascade once (npm start) so it checks some tickets');
      return 1;
    }
    const digest = await computeDigestNow({ configStore, verdicts: new VerdictStore(redis, keys), digests: new DigestStore(redis, keys), proposals: new ProposalStore(redis, keys), exemptions: new ExemptionStore(redis, keys), timeZone: options.env.digestTz, publicUrl: options.env.publicUrl }, new Date());
    process.stdout.write(`${renderDigestText(digest, { width: Math.min(process.stdout.columns || 100, 120) })}\n`);
    return 0;
  } finally {
    redis.disconnect();
  }
}
