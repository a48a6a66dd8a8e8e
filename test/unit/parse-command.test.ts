// The /cascade command grammar: what a person may write, and the answer each
// mistake gets. Properties run with a fixed seed so a failure replays.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commandLine, lapsesAt, parseCommand, MAX_TEXT } from '../../src/commands/parse-command.js';

const NOW = new Date('2026-11-29T23:30:00Z');
const SEED = 20261129;

describe('parseCommand', () => {
  it('is null for comments that are not commands', () => {
    for (const body of ['', 'Looks good to me', 'please run /cascade exempt later', '/cascades exempt x', '/cascadeexempt x', '> /cascade exempt quoted', 'text\n/cascade exempt second line']) {
      expect(parseCommand(body, NOW), body).toBeNull();
    }
  });

  it('reads an exemption with a reason', () => {
    expect(parseCommand('/cascade exempt support rotation', NOW)).toEqual({ kind: 'exempt', reason: 'support rotation', until: null });
    expect(parseCommand('  \n/Cascade EXEMPT   on-call   work  \nmore text below', NOW)).toEqual({ kind: 'exempt', reason: 'on-call work', until: null });
  });

  it('reads an exemption with an end date', () => {
    expect(parseCommand('/cascade exempt support rotation until 2027-03-31', NOW)).toEqual({ kind: 'exempt', reason: 'support rotation', until: '2027-03-31' });
    expect(parseCommand('/cascade exempt x UNTIL 2026-11-30', NOW)).toEqual({ kind: 'exempt', reason: 'x', until: '2026-11-30' });
  });

  it('keeps "until" inside the reason when no single date follows it', () => {
    expect(parseCommand('/cascade exempt blocked until the vendor replies', NOW)).toEqual({ kind: 'exempt', reason: 'blocked until the vendor replies', until: null });
  });

  it('answers a bad or past date with help that says what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['/cascade exempt x until 2027-02-30', /not a calendar date/],
      ['/cascade exempt x until 2027-13-01', /not a calendar date/],
      ['/cascade exempt x until 31/03/2027', /YYYY-MM-DD/],
      ['/cascade exempt x until 2027-3-31', /YYYY-MM-DD/],
      ['/cascade exempt x until tomorrow', /"tomorrow" is not a date/],
      ['/cascade exempt x until 2026-11-29', /not in the future/],
      ['/cascade exempt x until 2020-01-01', /not in the future/],
    ];
    for (const [body, error] of cases) {
      const command = parseCommand(body, NOW);
      expect(command?.kind, body).toBe('help');
      expect(command?.kind === 'help' ? command.error : '', body).toMatch(error);
    }
  });

  it('asks for a reason when there is none', () => {
    for (const body of ['/cascade exempt', '/cascade exempt until 2027-03-31', '/cascade exempt until']) {
      const command = parseCommand(body, NOW);
      expect(command?.kind === 'help' && command.error, body).toMatch(/reason|needs a date/);
    }
  });

  it('reads unexempt and propose', () => {
    expect(parseCommand('/cascade unexempt', NOW)).toEqual({ kind: 'unexempt' });
    expect(parseCommand('/cascade unexempt, the rotation ended', NOW)).toEqual({ kind: 'unexempt' });
    expect(parseCommand('/cascade unexempt the rotation ended', NOW)).toEqual({ kind: 'unexempt' });
    expect(parseCommand('/cascade propose Cut onboarding time in half', NOW)).toEqual({ kind: 'propose', title: 'Cut onboarding time in half' });
    expect(parseCommand('/cascade propose', NOW)).toMatchObject({ kind: 'help', error: expect.stringMatching(/needs the title/) });
  });

  it('answers anything else with help, naming the unknown word', () => {
    expect(parseCommand('/cascade', NOW)).toEqual({ kind: 'help' });
    expect(parseCommand('/cascade help', NOW)).toEqual({ kind: 'help' });
    expect(parseCommand('/cascade exmept typo', NOW)).toEqual({ kind: 'help', error: '"exmept" is not a Cascade command.' });
  });

  it('cuts long reasons and titles', () => {
    const long = 'word '.repeat(100).trim();
    const command = parseCommand(`/cascade propose ${long}`, NOW);
    expect(command?.kind === 'propose' && command.title.length).toBe(MAX_TEXT);
  });

  it('lapses an exemption at the start of its end date, UTC', () => {
    expect(lapsesAt('2027-03-31').toISOString()).toBe('2027-03-31T00:00:00.000Z');
  });
});

describe(`parseCommand properties (fast-check seed ${SEED})`, () => {
  const word = fc.stringMatching(/^[A-Za-z0-9,.'-]{1,12}$/).filter((w) => w.toLowerCase() !== 'until');
  const reasonArb = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
  const futureDay = fc.integer({ min: 1, max: 3000 }).map((d) => new Date(Date.UTC(2026, 10, 29) + d * 86_400_000).toISOString().slice(0, 10));
  const pastDay = fc.integer({ min: 0, max: 3000 }).map((d) => new Date(Date.UTC(2026, 10, 29) - d * 86_400_000).toISOString().slice(0, 10));

  it('any reason with any future date round-trips', () => {
    fc.assert(
      fc.property(reasonArb, futureDay, (reason, day) => {
        expect(parseCommand(`/cascade exempt ${reason} until ${day}`, NOW)).toEqual({ kind: 'exempt', reason, until: day });
      }),
      { seed: SEED },
    );
  });

  it('today or any past date is refused with help', () => {
    fc.assert(
      fc.property(reasonArb, pastDay, (reason, day) => {
        const command = parseCommand(`/cascade exempt ${reason} until ${day}`, NOW);
        expect(command).toMatchObject({ kind: 'help', error: expect.stringMatching(/not in the future/) });
      }),
      { seed: SEED },
    );
  });

  it('never throws, and every /cascade line gets an answer', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (rest) => {
        const command = parseCommand(`/cascade ${rest}`, NOW);
        expect(command).not.toBeNull();
        expect(['exempt', 'unexempt', 'propose', 'help']).toContain(command?.kind);
        expect(commandLine(`/cascade ${rest}`)).not.toBeNull();
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a body whose first line does not start with /cascade is never a command', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }).filter((s) => !/^\s*\/cascade(\s|$)/i.test(s)), (body) => {
        expect(parseCommand(body, NOW)).toBeNull();
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
