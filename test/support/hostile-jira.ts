// Signed Jira bodies that are hostile in ways a signature does not prevent: an
// event named after an Object.prototype key, changelog field names that are
// objects, numeric issue ids and keys. Named cases with the answer each must
// get, and a fast-check arbitrary that mixes them into plausible payloads.
import fc from 'fast-check';

/** Fixed so a failure reproduces; printed in the test titles. CASCADE_FC_SEED overrides it. */
export const HOSTILE_SEED = Number(process.env.CASCADE_FC_SEED ?? 917_263);

export const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'];

const issue = (id: unknown = '10001', key: unknown = 'ENT-1') => ({
  id,
  key,
  fields: { summary: 'Hostile', issuetype: { name: 'Story', hierarchyLevel: 0 }, project: { key: 'ENT' }, status: { name: 'To Do', statusCategory: { key: 'new' } } },
});

export interface HostileCase {
  name: string;
  body: unknown;
  /** The answer it must get: 200 with this status, or 400. */
  expected: 'ignored' | 400;
}

/** Each signed with the current time (Jira's `timestamp`), so that only its hostile part decides its answer. */
export function hostileJiraCases(): HostileCase[] {
  const timestamp = Date.now();
  return [
    ...PROTOTYPE_KEYS.map((event) => ({ name: `webhookEvent "${event}"`, body: { timestamp, webhookEvent: event, issue: issue() }, expected: 'ignored' as const })),
    { name: 'a changelog field {"toString": 1}', body: { timestamp, webhookEvent: 'jira:issue_updated', issue: issue(), changelog: { items: [{ field: { toString: 1 } }] } }, expected: 400 },
    { name: 'a changelog fieldId {"valueOf": 1}', body: { timestamp, webhookEvent: 'jira:issue_updated', issue: issue(), changelog: { items: [{ field: 'parent', fieldId: { valueOf: 1 } }] } }, expected: 400 },
    { name: 'a numeric issue.id', body: { timestamp, webhookEvent: 'jira:issue_created', issue: issue(10001) }, expected: 400 },
    { name: 'a numeric issue.key', body: { timestamp, webhookEvent: 'jira:issue_updated', issue: issue('10001', 42), changelog: { items: [{ field: 'parent' }] } }, expected: 400 },
    { name: 'numeric issue.id and issue.key on a delete', body: { timestamp, webhookEvent: 'jira:issue_deleted', issue: issue(7, 8) }, expected: 400 },
  ];
}

const hostileValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...PROTOTYPE_KEYS).map((k) => ({ [k]: 1 })),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
  fc.string({ maxLength: 12 }),
);

/** Plausible Jira payloads with one or more hostile parts. */
export const hostileJiraBody: fc.Arbitrary<string> = fc
  .record({
    webhookEvent: fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom('jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted')),
    id: fc.oneof(fc.constant('10001'), fc.integer({ min: 0, max: 1e6 }).map(String), hostileValue),
    key: fc.oneof(fc.constant('ENT-1'), hostileValue),
    items: fc.array(fc.record({ field: fc.oneof(fc.constantFrom('parent', 'labels', 'summary'), hostileValue), fieldId: fc.option(hostileValue, { nil: undefined }) }), { maxLength: 3 }),
    typeName: fc.option(fc.oneof(fc.constantFrom('issue_generic', 'issue_commented'), hostileValue), { nil: undefined }),
  })
  .map(({ webhookEvent, id, key, items, typeName }) =>
    JSON.stringify({ webhookEvent, issue_event_type_name: typeName, timestamp: Date.now(), issue: { ...issue(id, key) }, changelog: { items }, user: { accountId: 'x' } }),
  );
