// The suggestion model a check scores with: the one learned from the workspace
// when this process has one, else the tree's text alone. A suggestion is never
// worth failing a check over: if the examples cannot be read, the tree answers.
import { coldModel } from '../src/strategy/suggest-objectives.js';
import type { SuggestionModel } from '../src/strategy/suggestion-model.js';
import type { CurrentConfig } from '../src/store/config-store.js';
import type { WorkerContext } from './worker-context.js';

export async function learnedModel(ctx: Pick<WorkerContext, 'suggestions' | 'logger'>, config: Pick<CurrentConfig, 'index' | 'version'>): Promise<SuggestionModel> {
  if (ctx.suggestions) {
    try {
      return await ctx.suggestions.modelFor(config);
    } catch (err) {
      ctx.logger.warn({ err }, 'suggestions: could not read the linked examples from Redis; suggesting from the strategy tree alone');
    }
  }
  return coldModel(config.index);
}
