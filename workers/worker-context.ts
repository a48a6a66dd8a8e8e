// What every processor receives: passed in, never imported as singletons.
import type { Logger } from 'pino';
import type { ConfigStore } from '../src/store/config-store.js';
import type { VerdictStore } from '../src/store/verdict-store.js';
import type { ExemptionStore } from '../src/store/exemption-store.js';
import type { CommandReplyStore } from '../src/store/command-reply-store.js';
import type { ProposalStore } from '../src/store/proposal-store.js';
import type { LearnedSuggestions } from '../src/store/learned-suggestions.js';
import type { WrittenStore } from '../src/store/written-store.js';
import type { WriteBudget } from '../src/store/write-budget.js';
import type { CompletionStore } from '../src/store/completion-store.js';
import type { WorkspaceSignalsStore } from '../src/store/workspace-signals-store.js';
import type { Queues } from '../src/queue/queues.js';
import type { Metrics } from '../src/metrics.js';
import type { TrackerRegistry } from '../src/trackers/tracker-registry.js';
import type { Installations } from '../src/trackers/installations.js';

export interface WorkerContext {
  /** The default installation's adapter of each tracker with credentials in the environment. */
  trackers: TrackerRegistry;
  /** The tracker apps' installations (one per workspace); absent: a deployment without apps. Adapters through trackerFor (src/trackers/installations.ts). */
  installations?: Installations;
  config: ConfigStore;
  verdicts: VerdictStore;
  /** What people asked with `/cascade` commands: exemptions, the answer to their last command, proposals. */
  exemptions: ExemptionStore;
  commandReplies: CommandReplyStore;
  proposals: ProposalStore;
  /** The suggestion model learned from linked tickets; absent: suggestions from the tree's text alone. */
  suggestions?: LearnedSuggestions;
  /** What Cascade last wrote on each ticket. */
  written: WrittenStore;
  /** rules.budget.writes_per_hour. */
  budget: WriteBudget;
  /** Finished tickets with the lineage they had when they closed (the forecasts' history). */
  completions: CompletionStore;
  /** Customer requests and the health reported on projects and initiatives. */
  signals: WorkspaceSignalsStore;
  queues: Queues;
  logger: Logger;
  metrics: Metrics;
  now(): Date;
  /** Edits to one ticket within this window collapse into one check. */
  quietMs: number;
  /** DRY_RUN from the environment; undefined leaves rules.dry_run in charge. */
  dryRun?: boolean;
  publicUrl?: string;
}
