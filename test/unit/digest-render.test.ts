import { describe, expect, it } from 'vitest';
import type { CascadeConfig } from '../../src/strategy/tree-schema.js';
import { computeDigest } from '../../src/digest/compute.js';
import { postToSlack, SlackDeliveryError } from '../../src/digest/deliver-slack.js';
import { safeHttpUrl } from '../../src/digest/escape.js';
import { html as htmlTag } from '../../src/digest/html.js';
import { renderDigestHtml } from '../../src/digest/render-html.js';
import { renderDigestSlack, SLACK_LIMITS, type SlackBlock, type SlackPayload } from '../../src/digest/render-slack.js';
import { renderDigestText } from '../../src/digest/render-text.js';
import type { VerdictRecord } from '../../src/records/verdict-record.js';
import type { Verdict } from '../../src/strategy/types.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const config: CascadeConfig = {
  objectives: [
    { id: 'growth', title: 'Grow <b>revenue</b> & margin', target_share: 0.6, children: [{ id: 'pricing', title: 'Pricing', target_share: 1 }] },
    { id: 'platform', title: 'Platform', target_share: 0.4 },
    { id: 'idle', title: 'Idle "quoted" objective' },
  ],
};

let n = 0;
function rec(p: Partial<VerdictRecord> & { verdict: Verdict }): VerdictRecord {
  n++;
  return {
    tracker: 'jira', id: `${n}`, key: `OPS-${n}`, title: `Ticket ${n}`, url: `https://acme.atlassian.net/browse/OPS-${n}`,
    team: 'OPS', state: 'open', objectiveIds: [], checkedAt: NOW.toISOString(), configVersion: 1, ...p,
  };
}

const hostile = [
  rec({ verdict: 'orphan', title: '<script>alert(1)</script>', url: 'javascript:alert(1)', team: '<img src=x onerror=alert(2)>' }),
  rec({ verdict: 'orphan', title: 'Dark mode & contrast', url: 'https://x.test/a?b=1&c="2"' }),
  rec({ verdict: 'orphan', title: 'Dark mode in emails' }),
  rec({ verdict: 'aligned', objectiveIds: ['pricing', 'growth'] }),
  rec({ verdict: 'aligned', objectiveIds: ['platform'] }),
  // Aligned work to compare the orphans with, so "dark mode" stands out as their theme.
  ...Array.from({ length: 30 }, () => rec({ verdict: 'aligned', objectiveIds: ['platform'] })),
];
const digest = computeDigest({ config, records: hostile, history: [], now: NOW, timeZone: 'UTC', publicUrl: 'https://cascade.example.com/' });

describe('escaping helpers', () => {
  it('escapes all five HTML metacharacters and keeps only http(s) urls', () => {
    const text = `<a href="x" title='y'>&</a>`;
    expect(String(htmlTag`<p title="${text}">${text}</p>`)).toBe(
      '<p title="&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;">&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;</p>',
    );
    // A nested fragment is markup already and passes through once, not escaped twice.
    expect(String(htmlTag`<div>${htmlTag`<b>${'&'}</b>`}</div>`)).toBe('<div><b>&amp;</b></div>');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl(' JavaScript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,<b>')).toBeNull();
    expect(safeHttpUrl('/relative')).toBeNull();
    expect(safeHttpUrl('https://linear.app/a/issue/ENG-1')).toBe('https://linear.app/a/issue/ENG-1');
  });
});

describe('renderDigestHtml', () => {
  const html = renderDigestHtml(digest);

  it('draws the three charts as inline SVG with accessible titles', () => {
    for (const id of ['trend-chart', 'target-chart', 'team-chart']) {
      expect(html).toMatch(new RegExp(`<svg class="chart" id="${id}"[^>]*role="img"[^>]*aria-labelledby="${id}-title`));
      expect(html).toContain(`<title id="${id}-title">`);
    }
    expect(html.match(/<svg/g)).toHaveLength(3);
  });

  it('escapes user text and drops non-http urls', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('Grow &lt;b&gt;revenue&lt;/b&gt; &amp; margin');
    expect(html).toContain('Idle &quot;quoted&quot; objective');
    expect(html).toContain('href="https://x.test/a?b=1&amp;c=%222%22"');
    // The hostile ticket is still listed, as text without a link.
    expect(html).toMatch(/<span class="key">OPS-1<\/span><\/td><td>&lt;script&gt;/);
  });

  it('is a whole page with a title, week navigation and no external asset or script', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Cascade digest 2026-W48: ');
    expect(html).toContain('href="/digest/2026-W47"');
    expect(html).not.toContain('/digest/2026-W49');
    expect(html).not.toMatch(/<script|<link(?! rel="icon" href="data:,")|@import|src="http/i);
    expect(renderDigestHtml(digest, { showNextWeek: true, token: 'a b&c', basePath: '/d/' })).toContain('href="/d/2026-W49?token=a%20b%26c"');
  });

  it('shows the headline, the empty objective and the theme', () => {
    expect(html).toContain('<h1>91% of open work serves an objective</h1>');
    expect(html).toMatch(/id="no-work".*Idle &quot;quoted&quot; objective/s);
    expect(html).toMatch(/id="themes".*dark mode/s);
  });
});

function texts(blocks: SlackBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'header') return [b.text.text];
    if (b.type === 'section') return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return b.elements.map((e) => e.text);
    if (b.type === 'actions') return b.elements.map((e) => e.text.text);
    return [];
  });
}

function expectWithinLimits(p: SlackPayload): void {
  expect(p.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of p.blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === 'section') {
      expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.text);
      expect(b.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
  }
  expect(p.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
}

describe('renderDigestSlack', () => {
  it('escapes &, < and > in user text and never links a non-http url', () => {
    const p = renderDigestSlack(digest);
    const all = texts(p.blocks).join('\n');
    expect(all).toContain('Grow &lt;b&gt;revenue&lt;/b&gt; &amp; margin');
    expect(all).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(all).not.toMatch(/javascript:/i);
    expect(all).toContain('<https://acme.atlassian.net/browse/OPS-3|OPS-3>');
    expect(p.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Cascade digest · 2026-W48', emoji: true } });
    expectWithinLimits(p);
  });

  it('links the button to publicUrl/digest, and has no button without a public url', () => {
    const withUrl = renderDigestSlack(digest).blocks.at(-1);
    expect(withUrl).toMatchObject({ type: 'actions', elements: [{ url: 'https://cascade.example.com/digest' }] });
    const { publicUrl: _drop, ...rest } = digest;
    expect(renderDigestSlack(rest).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('stays within Block Kit limits for a huge digest', () => {
    const long = 'x'.repeat(2500);
    const many: VerdictRecord[] = [];
    for (let i = 0; i < 400; i++) many.push(rec({ verdict: 'orphan', team: `T${i % 60}-${long.slice(0, 300)}`, title: `${long} <&> ${i}` }));
    const bigConfig: CascadeConfig = {
      objectives: Array.from({ length: 40 }, (_, i) => ({ id: `o${i}`, title: `${long}${i}`, children: [{ id: `c${i}`, title: `${long}c${i}` }] })),
    };
    const big = computeDigest({ config: bigConfig, records: many, history: [], now: NOW, timeZone: 'UTC', publicUrl: 'https://c.example' });
    expectWithinLimits(renderDigestSlack(big));
  });
});

describe('postToSlack', () => {
  const payload: SlackPayload = { text: 'hi', blocks: [] };
  const answer = (status: number, body = '', headers: Record<string, string> = {}) => async () => ({
    ok: status >= 200 && status < 300,
    status,
    headers: { get: (k: string) => headers[k.toLowerCase()] ?? null },
    text: async () => body,
  });

  it('posts JSON and resolves on 2xx', async () => {
    let seen: { url: string; body: string; type: string | undefined } | undefined;
    await postToSlack('https://hooks.slack.com/services/T/B/secret', payload, async (url, init) => {
      seen = { url, body: init.body, type: init.headers['content-type'] };
      return answer(200, 'ok')();
    });
    expect(seen).toEqual({ url: 'https://hooks.slack.com/services/T/B/secret', body: '{"text":"hi","blocks":[]}', type: 'application/json; charset=utf-8' });
  });

  it('throws a retryable error on 5xx and 429, a permanent one on a revoked webhook, never naming the url', async () => {
    const url = 'https://hooks.slack.com/services/T/B/secret';
    const e500 = await postToSlack(url, payload, answer(500, 'oops')).catch((e: unknown) => e);
    expect(e500).toBeInstanceOf(SlackDeliveryError);
    expect(e500).toMatchObject({ status: 500, retryable: true, code: 'CASCADE_SLACK_DELIVERY' });
    const e429 = await postToSlack(url, payload, answer(429, '', { 'retry-after': '30' })).catch((e: unknown) => e);
    expect(e429).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 30 });
    const e404 = await postToSlack(url, payload, answer(404, 'no_service')).catch((e: unknown) => e);
    expect(e404).toMatchObject({ status: 404, retryable: false });
    expect((e404 as Error).message).toMatch(/404 \(no_service\).*SLACK_WEBHOOK_URL/);
    const down = await postToSlack(url, payload, async () => Promise.reject(new Error('ECONNREFUSED'))).catch((e: unknown) => e);
    expect(down).toMatchObject({ status: 0, retryable: true });
    for (const e of [e500, e429, e404, down]) expect((e as Error).message).not.toContain('secret');
  });
});

describe('renderDigestText', () => {
  it('prints the headline, bars and the tickets, without terminal control characters', () => {
    const d = computeDigest({
      config,
      records: [...hostile, rec({ verdict: 'orphan', title: 'Evil \u001b[31mred\u001b[0m title' })],
      history: [],
      now: NOW,
      timeZone: 'UTC',
    });
    const text = renderDigestText(d);
    expect(text).toContain('89% of open work serves an objective');
    expect(text).toMatch(/2026-W48\s+89% █+·+/);
    expect(text).toContain('2026-W47   gap');
    expect(text).toContain('<script>alert(1)</script>');
    // eslint-disable-next-line no-control-regex -- asserting their absence
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});

describe('a theme that probably belongs under an objective', () => {
  const placed = {
    ...digest,
    themes: [{ label: 'csv export', term: 'csv export', count: 5, orphanRate: 0.5, otherRate: 0.01, examples: [], placement: { kind: 'objective' as const, objectiveId: 'data', objectiveTitle: 'Data portability', nodeId: 'data-portability', nodeTitle: 'Data portability', similarity: 0.4, confidence: 0.8 } }],
  };
  const command = 'cascade link --theme "csv export" --to data-portability';

  it('shows the command that links its tickets there, in every rendering', () => {
    expect(renderDigestHtml(placed)).toContain(command.replace(/"/g, '&quot;'));
    expect(renderDigestText(placed)).toContain(`link them: ${command}`);
    expect(texts(renderDigestSlack(placed).blocks).join('\n')).toContain(command);
  });
});
