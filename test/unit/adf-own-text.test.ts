// The text of a Jira comment that is its author's own (where a command may be), and the whole text as before.
import { describe, expect, it } from 'vitest';
import { adfOwnText, adfToText } from '../../src/trackers/jira/adf-text.js';

const paragraph = (value: string): unknown => ({ type: 'paragraph', content: [{ type: 'text', text: value }] });

describe('adfOwnText', () => {
  it('keeps top-level paragraphs and stands one line for every other block, quoted text left out', () => {
    const body = {
      type: 'doc',
      version: 1,
      content: [
        paragraph('First line'),
        { type: 'blockquote', content: [paragraph('/cascade exempt quoted')] },
        { type: 'codeBlock', content: [{ type: 'text', text: '/cascade exempt example' }] },
        { type: 'panel', attrs: { panelType: 'info' }, content: [paragraph('/cascade exempt in a panel')] },
        { type: 'expand', content: [paragraph('/cascade exempt hidden')] },
        { type: 'paragraph', content: [{ type: 'text', text: 'run ' }, { type: 'text', text: '/cascade help', marks: [{ type: 'code' }] }] },
      ],
    };
    expect(adfOwnText(body)).toBe('First line\n[blockquote]\n[codeBlock]\n[panel]\n[expand]\nrun `/cascade help`');
    // The whole text, for the marker and suggestions, still has everything.
    expect(adfToText(body)).toContain('/cascade exempt in a panel');
  });

  it('passes wiki text through, and finds nothing in what is not a document', () => {
    expect(adfOwnText('bq. quoted\nown')).toBe('bq. quoted\nown');
    for (const body of [null, 42, { type: 'paragraph', content: [] }, { type: 'doc' }, { type: 'doc', content: 'x' }, []]) expect(adfOwnText(body)).toBe('');
    expect(adfOwnText({ type: 'doc', content: [null, 7, { content: [] }] })).toBe('[unknown]\n[unknown]\n[unknown]');
  });
});
