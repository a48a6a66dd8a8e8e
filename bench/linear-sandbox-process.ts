// The Linear sandbox of the ingest-all bench, in a process of its own: it
// stands in for Linear's servers, whose CPU is not on Cascade's machine, so
// the bench runs it in the idle scheduling class (as Cascade's own workers)
// and its work for the workers' tracker reads does not count against the
// receiver. Started by forkLinearSandbox; answers over the IPC channel and
// stops when that channel closes.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { envelopeFor, startLinearSandbox, type LinearWebhookEnvelope } from '../sandbox/linear/index.js';
import { giveWay } from '../cli/worker-process.js';
import { seedLinearBacklog } from './linear-workspace.js';

export interface SandboxProcess {
  apiUrl: string;
  apiKey: string;
  /** The seeded tickets' ids. */
  tickets: string[];
  /** A delivery that makes Cascade read the tracker at once: one of the tickets, created. */
  firstEnvelope: LinearWebhookEnvelope;
  requestCount(): Promise<number>;
  /** Tickets carrying more than one comment by Cascade's account (it keeps one per ticket). */
  duplicateComments(): Promise<number>;
  close(): Promise<void>;
}

interface Ready {
  apiUrl: string;
  apiKey: string;
  tickets: string[];
  firstEnvelope: LinearWebhookEnvelope;
}

/** `idle: false` keeps the sandbox at normal priority (a bench that saturates the cores must not starve "Linear"). */
export async function forkLinearSandbox(tickets: number, options: { idle?: boolean } = {}): Promise<SandboxProcess> {
  const child = fork(fileURLToPath(import.meta.url), [String(tickets)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  if (child.pid !== undefined && options.idle !== false) giveWay(child.pid, { debug: () => undefined });
  const [ready] = (await once(child, 'message')) as [Ready];
  return {
    ...ready,
    async requestCount() {
      const answer = once(child, 'message') as Promise<[{ requestCount: number }]>;
      child.send('requestCount');
      return (await answer)[0].requestCount;
    },
    async duplicateComments() {
      const answer = once(child, 'message') as Promise<[{ duplicateComments: number }]>;
      child.send('duplicateComments');
      return (await answer)[0].duplicateComments;
    },
    async close() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let tickets: string[] = [];
  const sandbox = await startLinearSandbox({ requestsLimit: 1_000_000, seed: (store) => void (tickets = seedLinearBacklog(store, Number(process.argv[2]), 0.02)) });
  const store = sandbox.store;
  const first = store.issues.get(tickets[0]!)!;
  const firstEnvelope = envelopeFor(store, { type: 'Issue', action: 'create', record: first, actorId: store.person.id }, { webhookId: 'bench' });
  process.send!({ apiUrl: sandbox.apiUrl, apiKey: sandbox.apiKey, tickets, firstEnvelope } satisfies Ready);
  process.on('message', (message) => {
    if (message === 'requestCount') process.send!({ requestCount: sandbox.requestCount() });
    if (message === 'duplicateComments') {
      const own = (id: string): number => store.commentsOn(id).filter((c) => c.userId === store.bot.id && !c.body.startsWith('/cascade')).length;
      process.send!({ duplicateComments: [...store.issues.keys()].filter((id) => own(id) > 1).length });
    }
  });
  process.once('disconnect', () => void sandbox.close().then(() => process.exit(0)));
}
