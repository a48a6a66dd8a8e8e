// The Jira app's delivery JWT check: HS256 with the client secret only, in
// constant time, and not past its exp.
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { jiraJwtRefusal } from '../../src/trackers/jira/app-jwt.js';

const SECRET = 'client-secret-of-the-app';
const NOW_MS = Date.parse('2026-12-07T12:00:00Z');
const NOW = NOW_MS / 1000;

function token(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }, secret = SECRET, algorithm = 'sha256'): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part(header)}.${part(claims)}`;
  return `${unsigned}.${createHmac(algorithm, secret).update(unsigned).digest('base64url')}`;
}

describe('jiraJwtRefusal', () => {
  const claims = { iss: 'client-id', iat: NOW, exp: NOW + 180 };

  it('accepts an HS256 token signed with the client secret, before its exp', () => {
    expect(jiraJwtRefusal(`Bearer ${token(claims)}`, [SECRET], NOW_MS)).toBeNull();
    expect(jiraJwtRefusal(`Bearer ${token(claims)}`, ['an-older-secret', SECRET], NOW_MS)).toBeNull();
  });

  it('refuses another secret, another algorithm, none, an expired or a missing exp', () => {
    expect(jiraJwtRefusal(`Bearer ${token(claims, undefined, 'not-the-secret')}`, [SECRET], NOW_MS)).toBe('signature');
    expect(jiraJwtRefusal(`Bearer ${token(claims, { alg: 'HS512', typ: 'JWT' }, SECRET, 'sha512')}`, [SECRET], NOW_MS)).toBe('algorithm');
    const unsigned = token(claims, { alg: 'none', typ: 'JWT' }).split('.').slice(0, 2).join('.');
    expect(jiraJwtRefusal(`Bearer ${unsigned}.`, [SECRET], NOW_MS)).toBe('algorithm');
    expect(jiraJwtRefusal(`Bearer ${token({ ...claims, exp: NOW - 60 })}`, [SECRET], NOW_MS)).toBe('expired');
    expect(jiraJwtRefusal(`Bearer ${token({ iss: 'client-id', iat: NOW })}`, [SECRET], NOW_MS)).toBe('expired');
  });

  it('refuses what is not a bearer JWT', () => {
    expect(jiraJwtRefusal(undefined, [SECRET], NOW_MS)).toBe('missing');
    expect(jiraJwtRefusal('Basic dXNlcjpwYXNz', [SECRET], NOW_MS)).toBe('malformed');
    expect(jiraJwtRefusal('Bearer not.a.jwt!', [SECRET], NOW_MS)).toBe('malformed');
    expect(jiraJwtRefusal(`Bearer ${Buffer.from('[]').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`, [SECRET], NOW_MS)).toBe('malformed');
  });
});
