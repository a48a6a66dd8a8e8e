// One fixed seed for every property test, so a failure can be replayed exactly:
// CASCADE_FC_SEED=<seed> npx vitest run <file>. The global setup prints it.
import fc from 'fast-check';

export const PROPERTY_SEED = Number(process.env.CASCADE_FC_SEED ?? 20261129);

fc.configureGlobal({ seed: PROPERTY_SEED });
