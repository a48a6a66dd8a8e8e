// The suggestions for one ticket's comment, from the model learned from the
// workspace when this process has one, else from the tree's text alone. A
// suggestion is never worth failing a check over: if the examples cannot be
// read, the tree's text answers.
import { coldModel, suggestWithModel, type SuggestionResult } from '../src/strategy/suggest-objectives.js';
import type { CurrentConfig } from '../src/store/config-store.js';
import type { TicketSnapshot } from '../src/strategy/types.js';
import type { WorkerContext } from './worker-context.js';

export async function suggestForTicket(ctx: WorkerContext, config: Pick<CurrentConfig, 'index' | 'version'>, ticket: TicketSnapshot, now: Date): Promise<SuggestionResult> {
  let model = coldModel(config.index);
  if (ctx.suggestions) {
    try {
      model = await ctx.suggestions.modelFor(config);
    } catch (err) {
      ctx.logger.warn({ err, ticket: ticket.key }, 'suggestions: could not read the linked examples from Redis; suggesting from the strategy tree alone');
    }
  }
  return suggestWithModel(model, ticket, now);
}
