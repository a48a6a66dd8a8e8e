// Where the suggestion model lives at run time. Every process that comments
// (workers) or explains (receiver) keeps its own in-memory SuggestionModel:
// about 10 MB per 10,000 linked tickets and under a millisecond per suggestion
// (bench/suggestions.ts), so a copy per process is cheap while a Redis round
// trip per scored node would not be.
//
// It is kept current incrementally: whenever a check records a verdict that
// makes a ticket a linked example, changes one, or ends one, the change goes on
// a capped Redis stream. Before a suggestion, a process reads the stream from
// where it left off (one round trip) and applies the entries. A process starts
// from the verdict records, and starts again from them only if the stream was
// trimmed past the point it had read.
import type { RedisClient } from './redis-client.js';
import type { StrategyIndex } from '../strategy/strategy-index.js';
import { SuggestionModel, type SuggestionExample } from '../strategy/suggestion-model.js';
import type { VerdictRecord } from '../records/verdict-record.js';
import { isExample, linkedNodes } from '../strategy/linked-examples.js';
import type { VerdictStore } from './verdict-store.js';
import type { Keys } from './keys.js';

/** Options for LearnedSuggestions; every field has a default. */
export interface LearnedSuggestionsOptions {
  /** Stream entries kept (approximately); a process that falls further behind rebuilds. Default 20,000. */
  maxStreamLength?: number;
}

const exampleKey = (r: Pick<VerdictRecord, 'tracker' | 'id'>): string => `${r.tracker}:${r.id}`;

interface Entry {
  key: string;
  /** Present: the ticket is an example with this lineage and text. Absent: it is not one (any more). */
  example?: { objectiveIds: string[]; title: string; description?: string; team?: string };
}

export class LearnedSuggestions {
  private model: SuggestionModel | undefined;
  private modelVersion = -1;
  /** The last stream entry applied ('0-0': none yet). */
  private lastId = '0-0';
  private updating: Promise<SuggestionModel> | undefined;
  private readonly maxStreamLength: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly verdicts: VerdictStore,
    options: LearnedSuggestionsOptions = {},
  ) {
    this.maxStreamLength = options.maxStreamLength ?? 20_000;
  }

  /** Notes what a verdict write means for the examples: call after the record is stored. Writes only when something changed. */
  async recordVerdict(previous: VerdictRecord | null, next: VerdictRecord): Promise<void> {
    const was = isExample(previous);
    const is = isExample(next);
    if (!was && !is) return;
    if (was && is && sameExample(previous, next)) return;
    await this.append(is ? { key: exampleKey(next), example: { objectiveIds: next.objectiveIds, title: next.title, description: next.description, team: next.team } } : { key: exampleKey(next) });
  }

  /** The ticket is gone from the tracker (or from Cascade's records). */
  async recordGone(tracker: VerdictRecord['tracker'], id: string): Promise<void> {
    await this.append({ key: exampleKey({ tracker, id }) });
  }

  /** The model over `tree`, with every example change recorded so far. Concurrent callers share one update. */
  async modelFor(config: { index: StrategyIndex; version: number }): Promise<SuggestionModel> {
    while (this.updating) await this.updating.catch(() => undefined);
    const run = this.update(config);
    this.updating = run;
    try {
      return await run;
    } finally {
      this.updating = undefined;
    }
  }

  private async update(config: { index: StrategyIndex; version: number }): Promise<SuggestionModel> {
    if (this.model && this.modelVersion !== config.version) {
      this.model = this.model.withTree(config.index);
      this.modelVersion = config.version;
    }
    if (this.model) {
      const [first] = await this.redis.xrange(this.keys.suggestionExamples, '-', '+', 'COUNT', 1);
      // The entry after the last one read was trimmed away: changes may be lost, start again.
      if (first && this.lastId !== '0-0' && compareIds(first[0], this.lastId) > 0) this.model = undefined;
      else if (!first && this.lastId !== '0-0' && (await this.redis.exists(this.keys.suggestionExamples)) === 0) this.model = undefined;
    }
    if (!this.model) await this.rebuild(config);
    const model = this.model as SuggestionModel;
    for (;;) {
      const entries = await this.redis.xrange(this.keys.suggestionExamples, `(${this.lastId}`, '+', 'COUNT', 1000);
      for (const [id, fields] of entries) {
        this.applyEntry(model, parseEntry(fields));
        this.lastId = id;
      }
      if (entries.length < 1000) break;
    }
    return model;
  }

  private async rebuild(config: { index: StrategyIndex; version: number }): Promise<void> {
    // Read the stream's end first: entries written while the records are read are replayed (idempotently) afterwards.
    const [last] = await this.redis.xrevrange(this.keys.suggestionExamples, '+', '-', 'COUNT', 1);
    const model = new SuggestionModel(config.index);
    for await (const record of this.verdicts.all()) {
      if (isExample(record)) model.add(toExample(exampleKey(record), record.objectiveIds, record, config.index));
    }
    this.model = model;
    this.modelVersion = config.version;
    this.lastId = last?.[0] ?? '0-0';
  }

  private applyEntry(model: SuggestionModel, entry: Entry): void {
    if (entry.example) model.add(toExample(entry.key, entry.example.objectiveIds, entry.example, model.tree));
    else model.remove(entry.key);
  }

  private async append(entry: Entry): Promise<void> {
    await this.redis.xadd(this.keys.suggestionExamples, 'MAXLEN', '~', this.maxStreamLength, '*', 'entry', JSON.stringify(entry));
  }
}

function toExample(key: string, objectiveIds: string[], text: { title: string; description?: string; team?: string }, tree: StrategyIndex): SuggestionExample {
  return { key, nodeIds: linkedNodes(objectiveIds, tree), title: text.title, description: text.description, team: text.team };
}

function sameExample(a: VerdictRecord, b: VerdictRecord): boolean {
  return a.title === b.title && a.description === b.description && a.team === b.team && a.objectiveIds.join(',') === b.objectiveIds.join(',');
}

function parseEntry(fields: string[]): Entry {
  const raw = fields[fields.indexOf('entry') + 1];
  return raw ? (JSON.parse(raw) as Entry) : { key: '' };
}

/** Orders two stream ids ("ms-seq"). */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}
