// The shape of a normalised event and of a queued delivery, checked before an
// event is queued and again before one is handed to a worker: a payload that
// passes its normaliser but carries the wrong types (a numeric Jira issue id,
// say) is refused at the door instead of failing a job again and again later.
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const Tracker = Type.Union([Type.Literal('linear'), Type.Literal('jira')]);
/** Ids and keys as trackers send them: Linear UUIDs, Jira numeric-string ids, `ENT-123` keys. */
const Id = Type.String({ minLength: 1, maxLength: 256 });
const Text = Type.String({ maxLength: 100_000 });

const PayloadFieldsSchema = Type.Object({
  key: Type.Optional(Id),
  title: Type.Optional(Text),
  estimate: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  closed: Type.Optional(Type.Boolean()),
  stateName: Type.Optional(Text),
  url: Type.Optional(Text),
  team: Type.Optional(Text),
});

const Changed = Type.Union([Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 1000 }), Type.Null()]);

const TicketEventSchema = Type.Object({
  kind: Type.Literal('ticket'),
  tracker: Tracker,
  action: Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('remove')]),
  ticketId: Id,
  actorId: Type.Optional(Id),
  changed: Changed,
  relevant: Type.Boolean(),
  fanout: Type.Boolean(),
  fields: PayloadFieldsSchema,
});

const ContainerEventSchema = Type.Object({
  kind: Type.Literal('container'),
  tracker: Tracker,
  container: Type.Object({ kind: Type.Union([Type.Literal('ticket'), Type.Literal('project'), Type.Literal('initiative')]), id: Id }),
  actorId: Type.Optional(Id),
  changed: Changed,
});

const CommentEventSchema = Type.Object({
  kind: Type.Literal('comment'),
  tracker: Tracker,
  action: Type.Union([Type.Literal('create'), Type.Literal('update')]),
  ticketId: Id,
  ticketKey: Type.Optional(Id),
  ticketUrl: Type.Optional(Text),
  commentId: Id,
  actorId: Type.Optional(Id),
  actorName: Type.Optional(Type.String({ maxLength: 1000 })),
  command: Type.String({ minLength: 1, maxLength: 4000 }),
  writtenAt: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z$', maxLength: 40 })),
  restricted: Type.Optional(Type.Boolean()),
});

export const NormalisedEventSchema = Type.Union([TicketEventSchema, ContainerEventSchema, CommentEventSchema]);

export const EventJobSchema = Type.Object({
  tracker: Tracker,
  deliveryId: Type.String({ minLength: 1, maxLength: 200 }),
  receivedAt: Type.String(),
  event: NormalisedEventSchema,
});

const eventCheck = TypeCompiler.Compile(NormalisedEventSchema);
const jobCheck = TypeCompiler.Compile(EventJobSchema);

export function isNormalisedEvent(value: unknown): value is Static<typeof NormalisedEventSchema> {
  return eventCheck.Check(value);
}

export function isEventJob(value: unknown): value is Static<typeof EventJobSchema> {
  return jobCheck.Check(value);
}

/** The first reason a value is not a valid event, for the sender's 400. */
export function eventProblem(value: unknown): string {
  const first = eventCheck.Errors(value).First();
  return first ? `${first.path || 'event'}: ${first.message}` : 'invalid event';
}
