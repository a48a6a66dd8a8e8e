// Relay-style paging as Linear does it: `first` (default 50) and `after`, an
// opaque cursor (here the last node's id), `nodes` and `pageInfo`.
import { GraphQLError } from 'graphql';
import { invalidInput } from './errors.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Linear's default page size when `first` is absent. */
export const DEFAULT_PAGE_SIZE = 50;
/** Linear refuses larger pages. */
export const MAX_PAGE_SIZE = 250;

export function paginate<R extends { id: string }, V>(rows: R[], args: PageArgs, view: (row: R) => V): Connection<V> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw invalidInput(`first must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  let start = 0;
  if (args.after) {
    const index = rows.findIndex((row) => row.id === args.after);
    if (index < 0) throw new GraphQLError('Invalid cursor', { extensions: { type: 'invalid input', code: 'INPUT_ERROR' } });
    start = index + 1;
  }
  const page = rows.slice(start, start + first);
  return {
    nodes: page.map(view),
    pageInfo: {
      hasNextPage: start + first < rows.length,
      hasPreviousPage: start > 0,
      startCursor: page[0]?.id ?? null,
      endCursor: page.at(-1)?.id ?? null,
    },
  };
}
