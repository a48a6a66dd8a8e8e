// `npm start` (cascade all) runs the demo only without any tracker credentials;
// a Linear app's client id and secret count as credentials.
import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../../src/config/environment.js';
import { runsTheDemo } from '../../cli/demo-mode.js';

const KEY = 'e'.repeat(64);

describe('runsTheDemo', () => {
  it('runs the demo without credentials, and for real with an API key or a Linear app', () => {
    expect(runsTheDemo('all', readEnvironment({}))).toBe(true);
    expect(runsTheDemo('all', readEnvironment({ LINEAR_API_KEY: 'lin_api_x' }))).toBe(false);
    expect(runsTheDemo('all', readEnvironment({ LINEAR_CLIENT_ID: 'client', LINEAR_CLIENT_SECRET: 'secret', CASCADE_SECRET_KEY: KEY }))).toBe(false);
    expect(runsTheDemo('serve', readEnvironment({}))).toBe(false);
  });
});
