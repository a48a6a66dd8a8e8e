import { describe, expect, it } from 'vitest';
import { demandByNode, demandedThemes, demandSentence, type CustomerNeed, type DemandLineage } from '../../src/forecast/customer-demand.js';
import { checkReportedHealth } from '../../src/forecast/reported-health.js';

const acme = { id: 'c-acme', name: 'Acme', revenue: 120_000, tier: 'Enterprise' };
const globex = { id: 'c-globex', name: 'Globex', revenue: 30_000, tier: null };
const initech = { id: 'c-initech', name: 'Initech', revenue: null };
const hooli = { id: 'c-hooli', name: 'Hooli', revenue: 5_000 };

const lineage: DemandLineage = {
  issues: new Map([
    ['ENG-1', ['obj-retain', 'goal-billing']],
    ['ENG-2', ['obj-retain', 'goal-onboarding']],
    ['ENG-9', []],
  ]),
  projects: new Map([['proj-billing', ['obj-retain', 'goal-billing']]]),
};

describe('customer demand per objective', () => {
  it('counts requests, distinct customers, and each customer’s revenue once per objective', () => {
    const needs: CustomerNeed[] = [
      { id: 'n1', issueKey: 'ENG-1', customer: acme },
      { id: 'n2', issueKey: 'ENG-2', customer: acme },
      { id: 'n3', projectId: 'proj-billing', customer: acme },
      { id: 'n4', issueKey: 'ENG-2', customer: globex },
      { id: 'n5', issueKey: 'ENG-9', customer: initech },
      { id: 'n1', issueKey: 'ENG-1', customer: acme }, // the same need read twice
    ];
    const demand = demandByNode(needs, lineage);
    const retain = demand.get('obj-retain')!;
    expect({ requests: retain.requests, customers: retain.customers, revenue: retain.revenue }).toEqual({ requests: 4, customers: 2, revenue: 150_000 });
    expect(retain.byCustomer.map((c) => c.name)).toEqual(['Acme', 'Globex']);
    expect(demandSentence(retain)).toBe('4 requests from 2 customers, $150,000 revenue');
    expect(demand.get('goal-billing')).toMatchObject({ requests: 2, customers: 1, revenue: 120_000 });
    expect(demand.has('goal-unrelated')).toBe(false);
  });

  it('says one request from one customer in the singular', () => {
    expect(demandSentence({ requests: 1, customers: 1, revenue: 0, byCustomer: [] })).toBe('1 request from 1 customer, $0 revenue');
  });

  it('lists orphan themes asked for by at least 3 customers as candidates', () => {
    const needs: CustomerNeed[] = [
      { id: 'a', issueKey: 'ENG-9', customer: acme },
      { id: 'b', issueKey: 'ENG-10', customer: globex },
      { id: 'c', issueKey: 'ENG-10', customer: globex },
      { id: 'd', issueKey: 'ENG-11', customer: initech },
      { id: 'e', issueKey: 'OPS-1', customer: hooli },
      { id: 'f', issueKey: 'OPS-2', customer: acme },
    ];
    const themes = [
      { id: 'sso', title: 'single sign-on', ticketKeys: ['ENG-9', 'ENG-10', 'ENG-11'] },
      { id: 'exports', title: 'csv exports', ticketKeys: ['OPS-1', 'OPS-2'] },
    ];
    expect(demandedThemes(themes, needs)).toEqual([
      { themeId: 'sso', title: 'single sign-on', requests: 4, customers: 3, revenue: 150_000, byCustomer: [acme, globex, initech] },
    ]);
    expect(demandedThemes(themes, needs, 2).map((t) => t.themeId)).toEqual(['sso', 'exports']);
  });

  it('refuses a need without a customer id', () => {
    expect(() => demandByNode([{ id: 'n1', issueKey: 'ENG-1', customer: { id: '', name: 'x' } }], lineage)).toThrow(/customer id/);
  });
});

describe('reported health against the forecast', () => {
  it('flags on track said against off track forecast, and nothing else', () => {
    expect(checkReportedHealth('onTrack', 'off track').flagged).toBe(true);
    expect(checkReportedHealth('onTrack', 'at risk').flagged).toBe(false);
    expect(checkReportedHealth('onTrack', 'low data').flagged).toBe(false);
    expect(checkReportedHealth('atRisk', 'off track').flagged).toBe(false);
    expect(checkReportedHealth(null, 'off track').flagged).toBe(false);
  });
});
