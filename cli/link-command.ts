// `cascade link --theme "csv export" --to data-portability` (or `--ticket
// ENG-12 ENG-14`): links many tickets through POST /admin/link of a running
// Cascade. Without --apply it prints what would move and what cannot; with
// it, the tickets' own checks move them (inside the write budget) and a
// progress bar follows them until each is there.
import { adminRequest, adminTarget, AdminClientError, type AdminTarget } from './admin-client.js';
import { ProgressBar } from './progress-bar.js';

export interface LinkOptions {
  to: string;
  theme?: string;
  ticket?: string[];
  tracker?: 'linear' | 'jira';
  apply?: boolean;
  url?: string;
  /** How long to follow the moves with --apply; default 2 minutes. */
  waitMs?: number;
}

interface LinkAnswer {
  tracker: string;
  moves: number;
  results: Array<{ ticket: string; key: string | null; outcome: 'moves' | 'already' | 'cannot'; target?: string; why?: string; closest?: string[] }>;
  note: string;
}

export async function linkCommand(options: LinkOptions, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  if (!options.theme && !options.ticket?.length) throw new AdminClientError('name the tickets: --theme "<digest theme>" or --ticket <keys...>');
  const target = adminTarget(process.env, options.url);
  const trackers = options.tracker ? [options.tracker] : (['linear', 'jira'] as const);
  const moving: Array<{ tracker: string; keys: string[] }> = [];
  for (const tracker of trackers) {
    const body = { tracker, to: options.to, ...(options.ticket?.length ? { tickets: options.ticket } : { theme: options.theme }), dryRun: !options.apply };
    let answer: LinkAnswer;
    try {
      answer = await adminRequest<LinkAnswer>(target, 'POST', '/admin/link', body);
    } catch (e) {
      // Both trackers are asked unless --tracker says which: one that is not configured is skipped.
      if (!options.tracker && e instanceof AdminClientError && /not configured/.test(e.message)) continue;
      throw e;
    }
    if (answer.results.length === 0) continue;
    out.write(`${tracker}: ${answer.moves} of ${answer.results.length} ${options.apply ? 'moving' : 'would move'} to ${options.to}\n`);
    for (const r of answer.results) {
      const name = r.key ?? r.ticket;
      if (r.outcome === 'moves') out.write(`  ${name}  ${options.apply ? 'moving' : 'would move'} to ${r.target}\n`);
      else if (r.outcome === 'already') out.write(`  ${name}  already there (${r.target})\n`);
      else out.write(`  ${name}  cannot: ${r.why ?? ''}${r.closest?.length ? ` (closest: ${r.closest.join(', ')})` : ''}\n`);
    }
    if (answer.moves > 0) moving.push({ tracker, keys: answer.results.filter((r) => r.outcome === 'moves').map((r) => r.key ?? r.ticket) });
  }
  if (moving.length === 0) {
    out.write(`nothing to move${options.theme ? ` for the theme "${options.theme}"` : ''}\n`);
    return 0;
  }
  if (!options.apply) {
    out.write('nothing moved: run it again with --apply to move them\n');
    return 0;
  }
  return follow(target, moving, options, err);
}

/** Asks again (a dry run) until every moving ticket is there, drawing the share that is. */
async function follow(target: AdminTarget, moving: Array<{ tracker: string; keys: string[] }>, options: LinkOptions, err: NodeJS.WriteStream): Promise<number> {
  const total = moving.reduce((n, m) => n + m.keys.length, 0);
  const bar = new ProgressBar(err);
  const deadline = Date.now() + (options.waitMs ?? 120_000);
  for (;;) {
    let there = 0;
    for (const m of moving) {
      const answer = await adminRequest<LinkAnswer>(target, 'POST', '/admin/link', { tracker: m.tracker, tickets: m.keys, to: options.to, dryRun: true });
      there += answer.results.filter((r) => r.outcome === 'already').length;
    }
    bar.draw(there, total, `linked ${there} of ${total}`);
    if (there >= total) break;
    if (Date.now() > deadline) {
      bar.done();
      err.write(`${total - there} still waiting: beyond the write budget (rules.budget) they move in the next hours; GET /admin/queues shows the held checks\n`);
      return 0;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  bar.done();
  return 0;
}
