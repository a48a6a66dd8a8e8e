// The shape of a normalised event and of a queued delivery, checked before an
// event is queued and again before one is handed to a worker: a payload that
// passes its normaliser but carries the wrong types (a numeric Jira issue id,
// say) is refused at the door instead of failing a job again and again later.
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { NormalisedEvent } from './normalised-event.js';

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
  teamId: Type.Optional(Id),
});

const Changed = Type.Union([Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 1000 }), Type.Null()]);

export interface EventChecks {
  isNormalisedEvent(value: unknown): value is NormalisedEvent;
  isEventJob(value: unknown): value is QueuedDelivery;
  /** The first reason a value is not a valid event, for the sender's 400. */
  eventProblem(value: unknown): string;
}

/** A queued delivery, as the inbox holds it and the events queue carries it. */
export interface QueuedDelivery {
  tracker: NormalisedEvent['tracker'];
  /** The tracker's installation the delivery came for; absent: the default one. */
  installation?: string;
  /** The tenant whose inbox and workers take it (the installation's); absent: `default`. */
  tenant?: string;
  deliveryId: string;
  receivedAt: string;
  event: NormalisedEvent;
}

/** The checks of events and queued deliveries, for the trackers registered (src/trackers/registry.ts, which the core cannot import). */
export function compileEventChecks(trackerIds: readonly string[]): EventChecks {
  const Tracker: TSchema = Type.Union(trackerIds.map((id) => Type.Literal(id)));
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
    workspaceId: Type.Optional(Id),
  });
  const ContainerEventSchema = Type.Object({
    kind: Type.Literal('container'),
    tracker: Tracker,
    container: Type.Object({ kind: Type.Union([Type.Literal('ticket'), Type.Literal('project'), Type.Literal('initiative')]), id: Id }),
    actorId: Type.Optional(Id),
    changed: Changed,
    workspaceId: Type.Optional(Id),
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
    workspaceId: Type.Optional(Id),
  });
  const InstallationRevokedSchema = Type.Object({
    kind: Type.Literal('installation-revoked'),
    tracker: Tracker,
    workspaceId: Id,
    appId: Type.Optional(Id),
  });
  const TeamIds = Type.Array(Id, { maxItems: 10_000 });
  const AccessChangedSchema = Type.Object({
    kind: Type.Literal('access-changed'),
    tracker: Tracker,
    workspaceId: Id,
    addedTeamIds: TeamIds,
    removedTeamIds: TeamIds,
    allPublic: Type.Optional(Type.Boolean()),
  });
  const NormalisedEventSchema = Type.Union([TicketEventSchema, ContainerEventSchema, CommentEventSchema, InstallationRevokedSchema, AccessChangedSchema]);
  const EventJobSchema = Type.Object({
    tracker: Tracker,
    installation: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    tenant: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$' })),
    deliveryId: Type.String({ minLength: 1, maxLength: 200 }),
    receivedAt: Type.String(),
    event: NormalisedEventSchema,
  });
  const eventCheck = TypeCompiler.Compile(NormalisedEventSchema);
  const jobCheck = TypeCompiler.Compile(EventJobSchema);
  return {
    isNormalisedEvent: (value): value is NormalisedEvent => eventCheck.Check(value),
    isEventJob: (value): value is QueuedDelivery => jobCheck.Check(value),
    eventProblem(value) {
      const first = eventCheck.Errors(value).First();
      return first ? `${first.path || 'event'}: ${first.message}` : 'invalid event';
    },
  };
}
